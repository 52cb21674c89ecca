import assert from 'node:assert/strict';
import { test } from 'node:test';
import { distillationKl, huber, tdError } from './losses';
import { type Tensor, tf } from './tf';

const close = (actual: ArrayLike<number>, expected: number[], tol = 1e-5) => {
  assert.equal(actual.length, expected.length);
  for (const [i, e] of expected.entries()) assert.ok(Math.abs(actual[i] - e) < tol, `[${i}] ${actual[i]} vs ${e}`);
};

test('distillationKl matches eq. 4 computed by hand', () => {
  // Teacher q = [2, 0], τ = 0.5 → softmax([4, 0]) = [0.98201379, 0.01798621]; student softmax([0, 0]) = [0.5, 0.5].
  const p = [0.98201379, 0.01798621];
  const expected = p[0] * Math.log(p[0] / 0.5) + p[1] * Math.log(p[1] / 0.5);
  const kl = distillationKl(tf.tensor2d([[2, 0]]), tf.tensor2d([[0, 0]]), 0.5);
  close(kl.dataSync(), [expected]);
});

test('distillationKl ignores illegal actions entirely', () => {
  const mask = tf.tensor2d([[1, 1, 0]]);
  const withJunk = distillationKl(tf.tensor2d([[2, 0, 50]]), tf.tensor2d([[0, 0, -7]]), 0.5, mask);
  const without = distillationKl(tf.tensor2d([[2, 0]]), tf.tensor2d([[0, 0]]), 0.5);
  close(withJunk.dataSync(), [without.dataSync()[0]]);
  // Gradient with respect to the student: softmax(q_S) − softmax(q_T/τ) on legal actions, 0 on the illegal one.
  const grad = tf.grad((s: Tensor) => distillationKl(tf.tensor2d([[2, 0, 50]]), s as never, 0.5, mask).sum());
  close(grad(tf.tensor2d([[0, 0, -7]])).dataSync(), [0.5 - 0.98201379, 0.5 - 0.01798621, 0]);
});

test('distillationKl rejects mismatched shapes and bad temperatures', () => {
  assert.throws(
    () => distillationKl(tf.tensor2d([[1, 2]]), tf.tensor2d([[1, 2, 3]]), 1),
    /studentQ has shape \[1, 3\]/,
  );
  assert.throws(() => distillationKl(tf.tensor2d([[1, 2]]), tf.tensor2d([[1, 2]]), 0), /tau must be > 0, got 0/);
});

test('huber is quadratic inside 1 and linear outside', () => {
  close(huber(tf.tensor1d([0.5, -2, 3])).dataSync(), [0.125, 1.5, 2.5]);
});

test('tdError: DQN and Double DQN targets by hand', () => {
  const base = {
    q: tf.tensor2d([
      [1, 2],
      [3, 4],
    ]),
    actions: tf.tensor1d([1, 0], 'int32'),
    rewards: tf.tensor1d([1, 0]),
    discounts: tf.tensor1d([0.9, 0]),
    qNextTarget: tf.tensor2d([
      [5, 7],
      [9, 1],
    ]),
  };
  // Row 0: 1 + 0.9·max(5,7) − 2 = 5.3; row 1 is terminal: 0 − 3 = −3.
  close(tdError(base).dataSync(), [5.3, -3]);
  // Double DQN: the online net picks action 0 in row 0, evaluated by the target net: 1 + 0.9·5 − 2 = 3.5.
  const double = {
    ...base,
    qNextOnline: tf.tensor2d([
      [10, 0],
      [0, 10],
    ]),
  };
  close(tdError(double).dataSync(), [3.5, -3]);
  // A legal mask that removes action 1 forces action 0 in plain DQN too.
  close(
    tdError({
      ...base,
      legalMask: tf.tensor2d([
        [1, 0],
        [1, 0],
      ]),
    }).dataSync(),
    [3.5, -3],
  );
  assert.throws(
    () => tdError({ ...base, rewards: tf.tensor1d([1, 2, 3]) }),
    /rewards must have shape \[2\], got \[3\]/,
  );
});
