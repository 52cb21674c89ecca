/**
 * Minimal functional layers over tf.Variables. Hand-written instead of tf.layers: the students reuse a
 * teacher's convolutional torso as a unit, the optimiser needs plain variable lists, and tf.layers adds
 * per-call symbolic bookkeeping to every training step. On the native backend, convolution and dense
 * layers are single TensorFlow kernels (native-kernels.ts); on the pure-JS backend, tfjs's fused ops.
 */
import type { Rng } from '../util/rng';
import { type Activation, nativeConv2d, nativeDense, nativeKernelsAvailable } from './native-kernels';
import { type Tensor, type Tensor2D, type Tensor4D, tf, type Variable, variableFrom } from './tf';

export interface Module<I extends Tensor = Tensor, O extends Tensor = Tensor> {
  readonly name: string;
  /** Trainable variables in a fixed order. */
  readonly variables: readonly Variable[];
  /** A name per variable (same order), unique within a network: the keys of checkpoints. */
  readonly variableNames: readonly string[];
  apply(input: I): O;
}

export interface ConvSpec {
  readonly filters: number;
  readonly kernel: number;
  readonly stride: number;
}

/** PyTorch's default initialisation, U(−1/√fan_in, 1/√fan_in), drawn from our seeded generator. */
function uniformVariable(rng: Rng, shape: number[], fanIn: number): Variable {
  const bound = 1 / Math.sqrt(fanIn);
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = (rng.random() * 2 - 1) * bound;
  // tfjs variable names are global to the process; ours live in Module.variableNames instead.
  return variableFrom(tf.tensor(values, shape), true);
}

export function conv2dLayer(
  name: string,
  inChannels: number,
  spec: ConvSpec,
  rng: Rng,
  activation: Activation = 'relu',
): Module<Tensor4D, Tensor4D> {
  const fanIn = inChannels * spec.kernel * spec.kernel;
  const filter = uniformVariable(rng, [spec.kernel, spec.kernel, inChannels, spec.filters], fanIn);
  const bias = uniformVariable(rng, [spec.filters], fanIn);
  const native = nativeKernelsAvailable();
  return {
    name,
    variables: [filter, bias],
    variableNames: [`${name}/kernel`, `${name}/bias`],
    apply: (x) =>
      native
        ? nativeConv2d(x, filter as Tensor4D, bias, spec.stride, activation)
        : tf.fused.conv2d({
            x,
            filter: filter as Tensor4D,
            strides: spec.stride,
            pad: 'valid',
            bias,
            activation,
          }),
  };
}

export function denseLayer(
  name: string,
  inDim: number,
  outDim: number,
  rng: Rng,
  activation: Activation,
): Module<Tensor2D, Tensor2D> {
  const kernel = uniformVariable(rng, [inDim, outDim], inDim);
  const bias = uniformVariable(rng, [outDim], inDim);
  const native = nativeKernelsAvailable();
  return {
    name,
    variables: [kernel, bias],
    variableNames: [`${name}/kernel`, `${name}/bias`],
    apply: (x) =>
      native
        ? nativeDense(x, kernel as Tensor2D, bias, activation)
        : (tf.fused.matMul({ a: x, b: kernel as Tensor2D, bias, activation }) as Tensor2D),
  };
}

/** Spatial size after a 'valid' convolution. */
export function convOutputSize(size: number, spec: ConvSpec): number {
  return Math.floor((size - spec.kernel) / spec.stride) + 1;
}

export interface ConvTorso extends Module<Tensor4D, Tensor2D> {
  readonly inputShape: readonly [number, number, number];
  /** Length of the flattened feature vector. */
  readonly outputDim: number;
}

/** Convolutions each followed by a rectifier, then flattened: the task-specific feature extractor. */
export function convTorso(
  name: string,
  inputShape: readonly [number, number, number],
  specs: readonly ConvSpec[],
  rng: Rng,
): ConvTorso {
  let [h, w, c] = inputShape;
  const layers: Module<Tensor4D, Tensor4D>[] = [];
  specs.forEach((spec, i) => {
    layers.push(conv2dLayer(`${name}/conv${i}`, c, spec, rng));
    h = convOutputSize(h, spec);
    w = convOutputSize(w, spec);
    c = spec.filters;
    if (h < 1 || w < 1) throw new RangeError(`${name}: input ${inputShape.join('×')} is too small for conv ${i}`);
  });
  const outputDim = h * w * c;
  return {
    name,
    inputShape,
    outputDim,
    variables: layers.flatMap((l) => l.variables),
    variableNames: layers.flatMap((l) => l.variableNames),
    apply: (x) => layers.reduce((t, l) => l.apply(t), x).reshape([-1, outputDim]) as Tensor2D,
  };
}

/** Layer normalisation over the last axis (Ba et al. 2016), with a learned gain (ones) and offset (zeros). */
export function layerNormLayer(name: string, size: number, activation: Activation): Module<Tensor2D, Tensor2D> {
  const gain = variableFrom(tf.ones([size]), true);
  const offset = variableFrom(tf.zeros([size]), true);
  // PyTorch's default ε = 1e-5 (flax's, the reference's, is 1e-6); both far below the features' variance.
  const epsilon = 1e-5;
  return {
    name,
    variables: [gain, offset],
    variableNames: [`${name}/gain`, `${name}/offset`],
    apply: (x) => {
      const { mean, variance } = tf.moments(x, -1, true);
      const normalised = tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, epsilon))), gain), offset);
      return (activation === 'relu' ? tf.relu(normalised) : normalised) as Tensor2D;
    },
  };
}

/**
 * Fully connected layers: rectifiers between, linear output. With `layerNorm`, each hidden layer is
 * dense → LayerNorm → rectifier, as in PQN (Gallici et al. 2024), whose stability without a target network rests on it.
 */
export function mlp(
  name: string,
  inDim: number,
  sizes: readonly number[],
  rng: Rng,
  layerNorm = false,
): Module<Tensor2D, Tensor2D> {
  const layers = sizes.flatMap((size, i) => {
    const last = i === sizes.length - 1;
    const dense = denseLayer(
      `${name}/dense${i}`,
      i === 0 ? inDim : sizes[i - 1],
      size,
      rng,
      last || layerNorm ? 'linear' : 'relu',
    );
    return last || !layerNorm ? [dense] : [dense, layerNormLayer(`${name}/norm${i}`, size, 'relu')];
  });
  return {
    name,
    variables: layers.flatMap((l) => l.variables),
    variableNames: layers.flatMap((l) => l.variableNames),
    apply: (x) => layers.reduce((t, l) => l.apply(t), x),
  };
}

/** Number of scalar parameters in a set of variables. */
export function parameterCount(variables: readonly Variable[]): number {
  return variables.reduce((n, v) => n + v.size, 0);
}
