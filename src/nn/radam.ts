/**
 * Rectified Adam (Liu et al. 2020) after gradient clipping by global norm: PQN's optimizer
 * (optax.chain(clip_by_global_norm, radam)), with optax's defaults β1 0.9, β2 0.999, ε 1e-8 and
 * rectification threshold 5. Written here rather than with tf.train.adam because tfjs has no RAdam, and, as
 * in rmsprop.ts, one flat vector of all gradients makes a step a handful of kernels whatever the layer count.
 *   g ← g · min(1, c / ‖g‖);  m ← β1 m + (1−β1) g;  v ← β2 v + (1−β2) g²;  m̂ = m / (1−β1ᵗ)
 *   ρ∞ = 2/(1−β2) − 1;  ρₜ = ρ∞ − 2t β2ᵗ / (1−β2ᵗ)
 *   ρₜ > 5: θ ← θ − lr · rₜ · m̂ / (√(v / (1−β2ᵗ)) + ε),  rₜ = √((ρₜ−4)(ρₜ−2)ρ∞ / ((ρ∞−4)(ρ∞−2)ρₜ));  else θ ← θ − lr · m̂
 */
import { type Scalar, type Tensor, type Tensor1D, tf, type Variable, variableFrom } from './tf';

export interface RadamOptions {
  /** Largest global gradient norm; larger gradients are scaled down to it. */
  readonly maxGradNorm: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
}

export interface RadamState {
  readonly firstMoment: Float32Array;
  readonly secondMoment: Float32Array;
  readonly steps: number;
}

const RECTIFICATION_THRESHOLD = 5;

/** The step's scalars: how much of m̂ to take, and whether to divide by √v̂ + ε. Pure, for tests. */
export function radamStepScalars(
  step: number,
  beta1: number,
  beta2: number,
): { readonly momentScale: number; readonly rectified: boolean; readonly secondCorrection: number } {
  const rhoInfinity = 2 / (1 - beta2) - 1;
  const beta2Power = beta2 ** step;
  const rho = rhoInfinity - (2 * step * beta2Power) / (1 - beta2Power);
  const firstCorrection = 1 - beta1 ** step;
  if (rho <= RECTIFICATION_THRESHOLD)
    return { momentScale: 1 / firstCorrection, rectified: false, secondCorrection: 1 };
  const r = Math.sqrt(((rho - 4) * (rho - 2) * rhoInfinity) / ((rhoInfinity - 4) * (rhoInfinity - 2) * rho));
  return { momentScale: r / firstCorrection, rectified: true, secondCorrection: 1 - beta2Power };
}

export class Radam {
  readonly size: number;
  private readonly sizes: number[];
  private readonly shapes: number[][];
  private readonly firstMoment: Variable;
  private readonly secondMoment: Variable;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private stepCount = 0;

  constructor(
    private readonly variables: readonly Variable[],
    readonly options: RadamOptions,
  ) {
    if (!(options.maxGradNorm > 0)) throw new RangeError(`radam.maxGradNorm = ${options.maxGradNorm}: expected > 0`);
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.sizes = variables.map((v) => v.size);
    this.shapes = variables.map((v) => v.shape);
    this.size = this.sizes.reduce((a, b) => a + b, 0);
    this.firstMoment = variableFrom(tf.zeros([this.size]), false);
    this.secondMoment = variableFrom(tf.zeros([this.size]), false);
  }

  get steps(): number {
    return this.stepCount;
  }

  /** Gradients of `loss` with respect to the variables, one clipped RAdam step at `learningRate`; returns the loss. */
  minimize(loss: () => Scalar, learningRate: number): Scalar {
    return tf.tidy(() => {
      const { value, grads } = tf.variableGrads(loss, this.variables as Variable[]);
      this.apply(
        this.variables.map((v) => grads[v.name]),
        learningRate,
      );
      return tf.keep(value);
    });
  }

  apply(gradients: readonly Tensor[], learningRate: number): void {
    if (gradients.length !== this.variables.length) {
      throw new RangeError(`expected ${this.variables.length} gradients, got ${gradients.length}`);
    }
    const step = this.stepCount + 1;
    const { momentScale, rectified, secondCorrection } = radamStepScalars(step, this.beta1, this.beta2);
    tf.tidy(() => {
      const raw = tf.concat(gradients.map((g) => g.reshape([-1])));
      const norm = tf.norm(raw);
      const g = tf.mul(raw, tf.minimum(1, tf.div(this.options.maxGradNorm, tf.maximum(norm, 1e-30))));
      const m = tf.add(tf.mul(this.firstMoment, this.beta1), tf.mul(g, 1 - this.beta1));
      const v = tf.add(tf.mul(this.secondMoment, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
      this.firstMoment.assign(m);
      this.secondMoment.assign(v);
      let update: Tensor = tf.mul(m, learningRate * momentScale);
      if (rectified) update = tf.div(update, tf.add(tf.sqrt(tf.div(v, secondCorrection)), this.epsilon));
      const parts = tf.split(update as Tensor1D, this.sizes);
      this.variables.forEach((variable, i) => {
        variable.assign(tf.sub(variable, parts[i].reshape(this.shapes[i])));
      });
    });
    this.stepCount = step;
  }

  /** β1, β2 and ε as the exported update graph takes them. */
  get hyperParameters(): { readonly beta1: number; readonly beta2: number; readonly epsilon: number } {
    return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }

  /** The scalars of the next `count` steps (graph route): how much of m̂, whether rectified, 1 − β2ᵗ. */
  nextStepScalars(count: number): {
    momentScales: Float32Array;
    rectified: Float32Array;
    secondCorrections: Float32Array;
  } {
    const momentScales = new Float32Array(count);
    const rectified = new Float32Array(count);
    const secondCorrections = new Float32Array(count);
    for (let k = 0; k < count; k++) {
      const step = radamStepScalars(this.stepCount + 1 + k, this.beta1, this.beta2);
      momentScales[k] = step.momentScale;
      rectified[k] = step.rectified ? 1 : 0;
      secondCorrections[k] = step.secondCorrection;
    }
    return { momentScales, rectified, secondCorrections };
  }

  /** The moment vectors, as inputs of an update computed elsewhere (the graph route). */
  moments(): { readonly firstMoment: Tensor; readonly secondMoment: Tensor } {
    return { firstMoment: this.firstMoment, secondMoment: this.secondMoment };
  }

  /** Takes over `count` steps computed elsewhere: the variables' new values and the new moments. */
  adoptSteps(values: readonly Tensor[], firstMoment: Tensor, secondMoment: Tensor, count: number): void {
    if (values.length !== this.variables.length) {
      throw new RangeError(`expected ${this.variables.length} new values, got ${values.length}`);
    }
    this.variables.forEach((v, i) => {
      v.assign(values[i]);
    });
    this.firstMoment.assign(firstMoment);
    this.secondMoment.assign(secondMoment);
    this.stepCount += count;
  }

  getState(): RadamState {
    return {
      firstMoment: this.firstMoment.dataSync() as Float32Array,
      secondMoment: this.secondMoment.dataSync() as Float32Array,
      steps: this.stepCount,
    };
  }

  setState(state: RadamState): void {
    for (const [name, slot] of [
      ['first moment', state.firstMoment],
      ['second moment', state.secondMoment],
    ] as const) {
      if (slot.length !== this.size) {
        throw new RangeError(`optimizer state's ${name} has ${slot.length} values, this optimizer has ${this.size}`);
      }
    }
    this.firstMoment.assign(tf.tensor1d(state.firstMoment));
    this.secondMoment.assign(tf.tensor1d(state.secondMoment));
    this.stepCount = state.steps;
  }

  dispose(): void {
    tf.dispose([this.firstMoment, this.secondMoment]);
  }
}
