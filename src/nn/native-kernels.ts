/**
 * Dense and convolution layers as single tfjs kernels on the native TensorFlow backend, with their
 * gradients. Why: tfjs-node runs a 2-D matMul as BatchMatMulV2 plus reshapes (measured 2× slower than
 * TensorFlow's MatMul on the DQN's 3136×512 layer) and a rectifier's gradient as five kernels; TensorFlow's
 * own MatMul, BiasAdd, ReluGrad and BiasAddGrad do the same work in one kernel each. Registered through
 * tfjs's public registerKernel/registerGradient, so autodiff treats them like any other op and computes
 * only the input gradients on the path to the variables.
 */

import type { NamedAttrMap, NamedTensorMap, Tensor, Tensor2D, Tensor4D } from './tf';
import { backendInfo, tf } from './tf';

/** The activations a layer applies after its affine map. */
export type Activation = 'relu' | 'linear';

export const NATIVE_DENSE = 'DistillLabDense';
export const NATIVE_CONV2D = 'DistillLabConv2D';

interface TfeOpAttr {
  name: string;
  type: number;
  value: unknown;
}

interface NodeBackend {
  binding: {
    TF_ATTR_BOOL: number;
    TF_ATTR_STRING: number;
    TF_ATTR_TYPE: number;
    TF_ATTR_INT: number;
    TF_FLOAT: number;
  };
  executeSingleOutput(name: string, attrs: TfeOpAttr[], inputs: Tensor[]): Tensor;
}

let registered = false;

/** True when layers use the native kernels: on the native backend, unless DISTILL_LAB_NATIVE_KERNELS=0. */
export function nativeKernelsAvailable(): boolean {
  if (backendInfo.kind === 'js' || process.env.DISTILL_LAB_NATIVE_KERNELS === '0') return false;
  if (!registered) registerNativeKernels();
  return true;
}

function registerNativeKernels(): void {
  const backend = tf.backend() as unknown as NodeBackend;
  const { binding } = backend;
  const float: TfeOpAttr = { name: 'T', type: binding.TF_ATTR_TYPE, value: binding.TF_FLOAT };
  const nhwc: TfeOpAttr = { name: 'data_format', type: binding.TF_ATTR_STRING, value: 'NHWC' };
  const bool = (name: string, value: boolean): TfeOpAttr => ({ name, type: binding.TF_ATTR_BOOL, value });
  const run = (op: string, attrs: TfeOpAttr[], inputs: Tensor[]) => backend.executeSingleOutput(op, attrs, inputs);
  const matMul = (a: Tensor, b: Tensor, transposeA: boolean, transposeB: boolean) =>
    run('MatMul', [bool('transpose_a', transposeA), bool('transpose_b', transposeB), float], [a, b]);
  const biasAdd = (x: Tensor, bias: Tensor) => run('BiasAdd', [float, nhwc], [x, bias]);
  const biasAddGrad = (dy: Tensor) => run('BiasAddGrad', [float, nhwc], [dy]);
  const relu = (x: Tensor) => run('Relu', [float], [x]);
  const reluGrad = (dy: Tensor, y: Tensor) => run('ReluGrad', [float], [dy, y]);
  const activate = (z: Tensor, activation: unknown) => {
    if (activation === 'linear') return z;
    const y = relu(z);
    z.dispose();
    return y;
  };
  const activationGrad = (dy: Tensor, y: Tensor, activation: unknown) => (activation === 'relu' ? reluGrad(dy, y) : dy);

  tf.registerKernel({
    kernelName: NATIVE_DENSE,
    backendName: 'tensorflow',
    kernelFunc: ({ inputs, attrs }) => {
      const { x, kernel, bias } = inputs as unknown as Record<string, Tensor>;
      const product = matMul(x, kernel, false, false);
      const z = biasAdd(product, bias);
      product.dispose();
      return activate(z, attrs?.activation);
    },
  });
  tf.registerGradient({
    kernelName: NATIVE_DENSE,
    inputsToSave: ['x', 'kernel'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, kernel, y] = saved;
      const dz = activationGrad(dy as Tensor, y, (attrs as NamedAttrMap).activation);
      return {
        x: () => matMul(dz, kernel, false, true),
        kernel: () => matMul(x, dz, true, false),
        bias: () => biasAddGrad(dz),
      };
    },
  });

  const convAttrs = (strides: number) => [
    float,
    { name: 'strides', type: binding.TF_ATTR_INT, value: [1, strides, strides, 1] },
    { name: 'use_cudnn_on_gpu', type: binding.TF_ATTR_BOOL, value: true },
    { name: 'padding', type: binding.TF_ATTR_STRING, value: 'VALID' },
    { name: 'data_format', type: binding.TF_ATTR_STRING, value: 'NHWC' },
    { name: 'dilations', type: binding.TF_ATTR_INT, value: [1, 1, 1, 1] },
  ];
  tf.registerKernel({
    kernelName: NATIVE_CONV2D,
    backendName: 'tensorflow',
    kernelFunc: ({ inputs, attrs }) => {
      const { x, filter, bias } = inputs as unknown as Record<string, Tensor>;
      const conv = run('Conv2D', convAttrs(attrs?.strides as number), [x, filter]);
      const z = biasAdd(conv, bias);
      conv.dispose();
      return activate(z, attrs?.activation);
    },
  });
  tf.registerGradient({
    kernelName: NATIVE_CONV2D,
    inputsToSave: ['x', 'filter'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, filter, y] = saved;
      const { strides, activation } = attrs as NamedAttrMap;
      const dz = activationGrad(dy as Tensor, y, activation);
      const opAttrs = convAttrs(strides as number);
      return {
        x: () => run('Conv2DBackpropInput', opAttrs, [tf.tensor1d(x.shape, 'int32'), filter, dz]),
        filter: () => run('Conv2DBackpropFilter', opAttrs, [x, tf.tensor1d(filter.shape, 'int32'), dz]),
        bias: () => biasAddGrad(dz),
      };
    },
  });
  registered = true;
}

function ensureRegistered(): void {
  if (!nativeKernelsAvailable()) {
    throw new Error(`native kernels need the native TensorFlow backend; the active one is '${tf.getBackend()}'`);
  }
}

/** y = activation(x·kernel + bias) in one native kernel. */
export function nativeDense(x: Tensor2D, kernel: Tensor2D, bias: Tensor, activation: Activation): Tensor2D {
  ensureRegistered();
  return tf.engine().runKernel(NATIVE_DENSE, { x, kernel, bias } as unknown as NamedTensorMap, {
    activation,
  }) as Tensor2D;
}

/** y = activation(conv2d(x, filter, stride, 'valid') + bias) in one native kernel (NHWC). */
export function nativeConv2d(
  x: Tensor4D,
  filter: Tensor4D,
  bias: Tensor,
  strides: number,
  activation: Activation,
): Tensor4D {
  ensureRegistered();
  return tf.engine().runKernel(NATIVE_CONV2D, { x, filter, bias } as unknown as NamedTensorMap, {
    strides,
    activation,
  }) as Tensor4D;
}
