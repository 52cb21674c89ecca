import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nativeConv2d, nativeDense, nativeKernelsAvailable } from './native-kernels';
import { type Tensor, type Tensor2D, type Tensor4D, tf } from './tf';

const closeArrays = (a: Tensor, b: Tensor, tol = 1e-4) => {
  assert.deepEqual(a.shape, b.shape);
  const x = a.dataSync();
  const y = b.dataSync();
  for (let i = 0; i < x.length; i++)
    assert.ok(Math.abs(x[i] - y[i]) < tol * (1 + Math.abs(y[i])), `[${i}] ${x[i]} vs ${y[i]}`);
};

test('native kernels are active on the native backend', () => {
  assert.equal(nativeKernelsAvailable(), tf.getBackend() === 'tensorflow');
});

for (const activation of ['relu', 'linear'] as const) {
  test(`native dense (${activation}) equals tfjs's matMul + bias + activation, values and gradients`, () => {
    const x = tf.randomNormal([5, 7], 0, 1, 'float32', 1) as Tensor2D;
    const kernel = tf.randomNormal([7, 3], 0, 1, 'float32', 2) as Tensor2D;
    const bias = tf.randomNormal([3], 0, 1, 'float32', 3);
    const reference = (x: Tensor, k: Tensor, b: Tensor) => {
      const z = tf.add(tf.matMul(x as Tensor2D, k as Tensor2D), b);
      return activation === 'relu' ? tf.relu(z) : z;
    };
    const ours = (x: Tensor, k: Tensor, b: Tensor) => nativeDense(x as Tensor2D, k as Tensor2D, b, activation);
    closeArrays(ours(x, kernel, bias), reference(x, kernel, bias));
    const weights = tf.randomNormal([5, 3], 0, 1, 'float32', 4);
    const loss = (f: (a: Tensor, b: Tensor, c: Tensor) => Tensor) => (a: Tensor, b: Tensor, c: Tensor) =>
      tf.sum(tf.mul(f(a, b, c), weights));
    const mine = tf.grads(loss(ours))([x, kernel, bias]);
    const theirs = tf.grads(loss(reference))([x, kernel, bias]);
    for (const [i, g] of mine.entries()) closeArrays(g, theirs[i]);
  });
}

test("native conv2d equals tfjs's conv2d + bias + relu, values and gradients", () => {
  const x = tf.randomNormal([2, 9, 9, 3], 0, 1, 'float32', 5) as Tensor4D;
  const filter = tf.randomNormal([3, 3, 3, 4], 0, 1, 'float32', 6) as Tensor4D;
  const bias = tf.randomNormal([4], 0, 1, 'float32', 7);
  const reference = (x: Tensor, f: Tensor, b: Tensor) =>
    tf.relu(tf.add(tf.conv2d(x as Tensor4D, f as Tensor4D, 2, 'valid'), b));
  const ours = (x: Tensor, f: Tensor, b: Tensor) => nativeConv2d(x as Tensor4D, f as Tensor4D, b, 2, 'relu');
  assert.deepEqual(ours(x, filter, bias).shape, [2, 4, 4, 4]);
  closeArrays(ours(x, filter, bias), reference(x, filter, bias));
  const weights = tf.randomNormal([2, 4, 4, 4], 0, 1, 'float32', 8);
  const loss = (f: (a: Tensor, b: Tensor, c: Tensor) => Tensor) => (a: Tensor, b: Tensor, c: Tensor) =>
    tf.sum(tf.mul(f(a, b, c), weights));
  const mine = tf.grads(loss(ours))([x, filter, bias]);
  const theirs = tf.grads(loss(reference))([x, filter, bias]);
  for (const [i, g] of mine.entries()) closeArrays(g, theirs[i]);
});

test('gradients through native kernels leak no tensors', () => {
  const x = tf.randomNormal([4, 6]) as Tensor2D;
  const k = tf.variable(tf.randomNormal([6, 2]));
  const b = tf.variable(tf.zeros([2]));
  const step = () => {
    const { value, grads } = tf.variableGrads(() => tf.sum(nativeDense(x, k as Tensor2D, b, 'relu')), [k, b]);
    tf.dispose([value, ...Object.values(grads)]);
  };
  step();
  const before = tf.memory().numTensors;
  for (let i = 0; i < 5; i++) step();
  assert.equal(tf.memory().numTensors, before);
});
