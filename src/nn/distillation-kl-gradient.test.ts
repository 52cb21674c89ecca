import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../util/rng';
import { weightedDistillationKl } from './distillation-kl-gradient';
import { ExportedGraph, numberedInputs } from './exported-graph';
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

/**
 * Float32 rounding: the host sums in float64 from float32 inputs, tfjs and TensorFlow in float32, so the three
 * agree to a few units in the last place (measured: 5·10⁻⁸ relative on the loss, 1.5·10⁻⁸ on the gradient).
 */
const LOSS_RELATIVE_TOLERANCE = 1e-6;
/** Absolute, for gradients below 0.25 (float32 spacing 3·10⁻⁸ there). */
const GRADIENT_TOLERANCE = 1e-7;

test('the three statements of eq. 4 agree on the same inputs: host arrays, taped tfjs, export.py graph', () => {
  const rng = new Rng(4);
  const rows = 6;
  const numActions = 5;
  const legal = [0, 2, 3];
  const tau = 0.1;
  const draw = (n: number, spread: number) => Float32Array.from({ length: n }, () => (rng.random() * 2 - 1) * spread);
  const teacherQ = draw(rows * numActions, 3);
  const studentQ = draw(rows * numActions, 2);
  const weights = Float32Array.from({ length: rows }, () => 0.2 + rng.random());
  const gradient = new Float32Array(rows * numActions);
  const loss = weightedDistillationKl(teacherQ, studentQ, numActions, legal, tau, weights, 1 / rows, gradient);
  assert.ok(Math.max(...gradient.map(Math.abs)) < 0.25);
  const closeLoss = (other: number, what: string) =>
    assert.ok(Math.abs(other - loss) <= LOSS_RELATIVE_TOLERANCE * loss, `${what}: ${other} vs ${loss}`);

  // losses.ts, differentiated by tfjs: the weighted mean over the batch of the masked eq. 4.
  const shape: [number, number] = [rows, numActions];
  const mask = tf.tensor2d(
    Array.from({ length: rows * numActions }, (_, k) => (legal.includes(k % numActions) ? 1 : 0)),
    shape,
  );
  const objective = (s: Tensor) =>
    tf.mean(tf.mul(tf.tensor1d(weights), distillationKl(tf.tensor2d(teacherQ, shape), s as Tensor2D, tau, mask)));
  const studentTensor = tf.tensor2d(studentQ, shape);
  closeLoss(objective(studentTensor).dataSync()[0], 'tfjs');
  close(tf.grad(objective)(studentTensor).dataSync(), gradient, GRADIENT_TOLERANCE);

  // export.py's update graph of the shared head alone. The features and the first two layers' weights are identity
  // matrices (zero biases), so the hidden rows are one-hot, the head outputs q_S exactly and the last weight matrix's
  // gradient is ∂L/∂q_S itself. Centred RMSProp with decay 0 passes the gradient out as its mean gradient.
  const eye = tf.eye(rows);
  const before = 2 * rows * rows + 2 * rows; // the first four parameters' gradients
  const size = before + rows * numActions + numActions;
  const out = ExportedGraph.load('student-head-d3', 'update').run({
    features: eye,
    ...numberedInputs('param', [eye, tf.zeros([rows]), eye, tf.zeros([rows]), studentTensor, tf.zeros([numActions])]),
    teacher_q: tf.tensor2d(teacherQ, shape),
    legal: mask,
    row_weights: tf.tensor1d(weights.map((w) => w / rows)),
    tau: tf.scalar(tau),
    learning_rate: tf.scalar(0),
    decay: tf.scalar(0),
    epsilon: tf.scalar(1),
    epsilon_outside_root: tf.scalar(0),
    centered: tf.scalar(1),
    mean_square: tf.zeros([size]),
    mean_gradient: tf.zeros([size]),
  });
  assert.deepEqual(out.student_q.dataSync(), studentQ);
  closeLoss(out.loss.dataSync()[0], 'graph');
  close(out.mean_gradient.dataSync().subarray(before, before + rows * numActions), gradient, GRADIENT_TOLERANCE);
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
