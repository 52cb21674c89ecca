/**
 * RMSProp (TensorFlow's arithmetic, optionally centred) applied to all variables at once.
 * Written here rather than using tf.train.rmsprop because that one issues about a dozen kernels per
 * variable and re-uploads its scalar hyper-parameters on every call; concatenating the gradients into
 * one vector makes the update a handful of kernels whatever the number of layers (measured in bench/backend).
 * Its centred form also computes √(ms − (mg² + ε)), subtracting ε; this one follows TensorFlow.
 *   ms ← ρ·ms + (1−ρ)·g²;   mg ← ρ·mg + (1−ρ)·g (centred);   θ ← θ − lr·g / √(ms − mg² + ε)
 * With `epsilonOutsideRoot`, PyTorch's form θ ← θ − lr·g / (√(ms − mg²) + ε), which MinAtar's published DQN
 * baseline used (torch.optim.RMSprop): the same ε = 0.01 inside the root would cap steps ~10× lower.
 */
import { type Scalar, type Tensor, type Tensor1D, tf, type Variable, variableFrom } from './tf';

export interface RmsPropOptions {
  readonly learningRate: number;
  /** ρ, the decay of the running averages. */
  readonly decay: number;
  readonly epsilon: number;
  readonly centered: boolean;
  /** PyTorch's placement of ε, added after the square root (default false: TensorFlow's, inside it). */
  readonly epsilonOutsideRoot?: boolean;
}

export interface RmsPropState {
  readonly meanSquare: Float32Array;
  /** Present when centred. */
  readonly meanGradient: Float32Array | null;
  readonly steps: number;
}

export function validateRmsPropOptions(o: RmsPropOptions): void {
  const check = (key: string, value: number, ok: boolean, range: string) => {
    if (!ok) throw new RangeError(`rmsprop.${key} = ${value} is outside ${range}`);
  };
  check('learningRate', o.learningRate, o.learningRate > 0 && Number.isFinite(o.learningRate), '(0, ∞)');
  check('decay', o.decay, o.decay >= 0 && o.decay < 1, '[0, 1)');
  check('epsilon', o.epsilon, o.epsilon > 0 && Number.isFinite(o.epsilon), '(0, ∞)');
}

export class RmsProp {
  readonly size: number;
  private readonly shapes: number[][];
  private readonly sizes: number[];
  private readonly meanSquare: Variable;
  private readonly meanGradient: Variable | null;
  private readonly constants: {
    decay: Scalar;
    oneMinusDecay: Scalar;
    epsilon: Scalar;
    learningRate: Scalar;
    one: Scalar;
    zero: Scalar;
  };
  private zeroMeanGradient: Tensor | null = null;
  private stepCount = 0;

  constructor(
    private readonly variables: readonly Variable[],
    readonly options: RmsPropOptions,
  ) {
    validateRmsPropOptions(options);
    if (variables.length === 0) throw new RangeError('RmsProp needs at least one variable');
    this.shapes = variables.map((v) => v.shape);
    this.sizes = variables.map((v) => v.size);
    this.size = this.sizes.reduce((a, b) => a + b, 0);
    this.meanSquare = variableFrom(tf.zeros([this.size]), false);
    this.meanGradient = options.centered ? variableFrom(tf.zeros([this.size]), false) : null;
    this.constants = {
      decay: tf.scalar(options.decay),
      oneMinusDecay: tf.scalar(1 - options.decay),
      epsilon: tf.scalar(options.epsilon),
      learningRate: tf.scalar(options.learningRate),
      one: tf.scalar(1),
      zero: tf.scalar(0),
    };
  }

  get steps(): number {
    return this.stepCount;
  }

  /** Computes the gradients of `loss` with respect to the variables and applies one update; returns the loss. */
  minimize(loss: () => Scalar): Scalar {
    return tf.tidy(() => {
      const { value, grads } = tf.variableGrads(loss, this.variables as Variable[]);
      this.apply(this.variables.map((v) => grads[v.name]));
      return tf.keep(value);
    });
  }

  /** Applies one update from gradients given in the variables' order. */
  apply(gradients: readonly Tensor[]): void {
    if (gradients.length !== this.variables.length) {
      throw new RangeError(`expected ${this.variables.length} gradients, got ${gradients.length}`);
    }
    const { decay, oneMinusDecay, epsilon, learningRate } = this.constants;
    tf.tidy(() => {
      const g = tf.concat(gradients.map((grad) => grad.reshape([-1])));
      const ms = tf.add(tf.mul(this.meanSquare, decay), tf.mul(tf.square(g), oneMinusDecay));
      this.meanSquare.assign(ms);
      let denominator: Tensor = ms;
      if (this.meanGradient) {
        const mg = tf.add(tf.mul(this.meanGradient, decay), tf.mul(g, oneMinusDecay));
        this.meanGradient.assign(mg);
        denominator = tf.sub(ms, tf.square(mg));
      }
      const scale = this.options.epsilonOutsideRoot
        ? tf.reciprocal(tf.add(tf.sqrt(denominator), epsilon))
        : tf.rsqrt(tf.add(denominator, epsilon));
      const update = tf.mul(tf.mul(g, learningRate), scale);
      const parts = tf.split(update as Tensor1D, this.sizes);
      this.variables.forEach((v, i) => {
        v.assign(tf.sub(v, parts[i].reshape(this.shapes[i])));
      });
    });
    this.stepCount++;
  }

  /**
   * The inputs of an update computed elsewhere (the graph route of exported-graph.ts): hyper-parameters as
   * scalars (flags 1/0) and the running averages, with zeros standing in for the mean gradient when not centred.
   */
  graphInputs(): Record<string, Tensor> {
    this.zeroMeanGradient ??= this.meanGradient ? null : tf.keep(tf.zeros([this.size]));
    return {
      learning_rate: this.constants.learningRate,
      decay: this.constants.decay,
      epsilon: this.constants.epsilon,
      epsilon_outside_root: this.flag(this.options.epsilonOutsideRoot === true),
      centered: this.flag(this.options.centered),
      mean_square: this.meanSquare,
      mean_gradient: this.meanGradient ?? (this.zeroMeanGradient as Tensor),
    };
  }

  /** Takes over `steps` updates computed elsewhere: the variables' new values and the new running averages. */
  adoptStep(values: readonly Tensor[], meanSquare: Tensor, meanGradient: Tensor, steps = 1): void {
    if (values.length !== this.variables.length) {
      throw new RangeError(`expected ${this.variables.length} new values, got ${values.length}`);
    }
    this.variables.forEach((v, i) => {
      v.assign(values[i]);
    });
    this.meanSquare.assign(meanSquare);
    this.meanGradient?.assign(meanGradient);
    this.stepCount += steps;
  }

  private flag(on: boolean): Scalar {
    return on ? this.constants.one : this.constants.zero;
  }

  getState(): RmsPropState {
    return {
      meanSquare: this.meanSquare.dataSync() as Float32Array,
      meanGradient: this.meanGradient ? (this.meanGradient.dataSync() as Float32Array) : null,
      steps: this.stepCount,
    };
  }

  setState(state: RmsPropState): void {
    if (state.meanSquare.length !== this.size) {
      throw new RangeError(`optimizer state has ${state.meanSquare.length} slots, this optimizer has ${this.size}`);
    }
    if ((state.meanGradient === null) !== (this.meanGradient === null)) {
      throw new RangeError(
        `optimizer state is ${state.meanGradient ? '' : 'not '}centred, this optimizer is the opposite`,
      );
    }
    this.meanSquare.assign(tf.tensor1d(state.meanSquare));
    if (this.meanGradient && state.meanGradient) this.meanGradient.assign(tf.tensor1d(state.meanGradient));
    this.stepCount = state.steps;
  }

  dispose(): void {
    tf.dispose([
      this.meanSquare,
      ...(this.meanGradient ? [this.meanGradient] : []),
      ...(this.zeroMeanGradient ? [this.zeroMeanGradient] : []),
      ...Object.values(this.constants),
    ]);
  }
}
