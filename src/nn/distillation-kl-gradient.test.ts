import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../util/rng';
import { weightedDistillationKl } from './distillation-kl-gradient';
import { distillationKl } from './losses';
import { type Tensor, type Tensor2D, tf } from './tf';

const close = (actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number) => {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tolerance, `[${i}] ${actual[i]} vs ${expected[i]}`);
  }
};

test('eq. 4 and its gradient by hand: one row, two legal actions of three', () => {
  // Teacher [2, ·, 0] / τ = 0.5 → logits [4, 0] → p_T = [e⁴, 1] / (e⁴ + 1); student [0, ·, 0] → p_S = [1/2, 1/2].
  const pt = [Math.exp(4) / (Math.exp(4) + 1), 1 / (Math.exp(4) + 1)];
  const kl = pt[0] * Math.log(2 * pt[0]) + pt[1] * Math.log(2 * pt[1]);
  const gradient = new Float32Array(3);
  const loss = weightedDistillationKl([2, 50, 0], [0, -7, 0], 3, [0, 2], 0.5, [3], 0.5, gradient);
  close([loss], [1.5 * kl], 1e-12);
  // ∂/∂q_S = scale · w · (p_S − p_T) at the legal actions; the illegal action (values 50 and −7) gets 0.
  close(gradient, [1.5 * (0.5 - pt[0]), 0, 1.5 * (0.5 - pt[1])], 1e-7);
});

test('the loss and gradient equal tfjs autodiff of the masked tensor eq. 4, weighted mean over the batch', () => {
  const rng = new Rng(4);
  const rows = 6;
  const numActions = 5;
  const legal = [0, 2, 3];
  const draw = (n: number, spread: number) => Float32Array.from({ length: n }, () => (rng.random() * 2 - 1) * spread);
  const teacherQ = draw(rows * numActions, 3);
  const studentQ = draw(rows * numActions, 2);
  const weights = Float32Array.from({ length: rows }, () => 0.2 + rng.random());
  const gradient = new Float32Array(rows * numActions);
  const loss = weightedDistillationKl(teacherQ, studentQ, numActions, legal, 0.1, weights, 1 / rows, gradient);

  const mask = tf.tensor2d(
    Array.from({ length: rows * numActions }, (_, k) => (legal.includes(k % numActions) ? 1 : 0)),
    [rows, numActions],
  );
  const objective = (s: Tensor) =>
    tf.mean(
      tf.mul(tf.tensor1d(weights), distillationKl(tf.tensor2d(teacherQ, [rows, numActions]), s as Tensor2D, 0.1, mask)),
    );
  const studentTensor = tf.tensor2d(studentQ, [rows, numActions]);
  close([loss], objective(studentTensor).dataSync(), 1e-5);
  close(gradient, tf.grad(objective)(studentTensor).dataSync(), 1e-6);
});

test('wrong sizes and temperatures are refused before anything is written', () => {
  const gradient = new Float32Array(4).fill(9);
  assert.throws(
    () => weightedDistillationKl([0, 1, 2], [0, 1, 2, 3], 2, [0, 1], 1, [1, 1], 1, gradient),
    /expected 2 rows of 2 values, got teacher 3, student 4 and gradient 4/,
  );
  assert.throws(
    () => weightedDistillationKl([0, 1], [0, 1], 2, [0, 1], 0, [1], 1, new Float32Array(2)),
    /tau must be > 0, got 0/,
  );
  assert.deepEqual(Array.from(gradient), [9, 9, 9, 9]);
});
