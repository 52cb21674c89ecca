import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RmsProp } from './rmsprop';
import { type Scalar, tf, type Variable } from './tf';

const quadratic = (w: Variable, b: Variable) => () =>
  tf.add(tf.sum(tf.square(tf.sub(w, tf.tensor2d([[1, -2]])))), tf.sum(tf.mul(b, b))) as Scalar;

test('one step equals RMSProp computed by hand', () => {
  // loss = (w−c)² → g = 2(w−c) = [−2, 4]; ms = 0.1·g² = [0.4, 1.6]; Δ = 0.1·g/√(ms+0.01).
  const w = tf.variable(tf.tensor2d([[0, 0]]));
  const b = tf.variable(tf.tensor1d([3]));
  const opt = new RmsProp([w, b], { learningRate: 0.1, decay: 0.9, epsilon: 0.01, centered: false });
  const loss = opt.minimize(quadratic(w, b));
  assert.equal(loss.dataSync()[0], 1 + 4 + 9);
  const expected = [(0.1 * 2) / Math.sqrt(0.41), (-0.1 * 4) / Math.sqrt(1.61)];
  [...w.dataSync()].forEach((v, i) => {
    assert.ok(Math.abs(v - expected[i]) < 1e-6, `${v} vs ${expected[i]}`);
  });
  assert.ok(Math.abs(b.dataSync()[0] - (3 - (0.1 * 6) / Math.sqrt(3.61))) < 1e-6);
});

/**
 * Five centred steps (learning rate 0.05, decay 0.95, ε = 0.01) on b² from b = 1, against the same arithmetic in
 * plain numbers, where `denominator` is what divides the step given ms − mg².
 */
function checkCentredSteps(epsilonOutsideRoot: boolean, denominator: (variance: number) => number): void {
  const b = tf.variable(tf.tensor1d([1]));
  const opt = new RmsProp([b], { learningRate: 0.05, decay: 0.95, epsilon: 0.01, centered: true, epsilonOutsideRoot });
  let x = 1;
  let ms = 0;
  let mg = 0;
  for (let i = 0; i < 5; i++) {
    opt.minimize(() => tf.sum(tf.mul(b, b)) as Scalar);
    const g = 2 * x;
    ms = 0.95 * ms + 0.05 * g * g;
    mg = 0.95 * mg + 0.05 * g;
    x -= (0.05 * g) / denominator(ms - mg * mg);
  }
  assert.ok(Math.abs(b.dataSync()[0] - x) < 1e-5, `${b.dataSync()[0]} vs ${x}`);
}

test("centred with ε outside the root: PyTorch's arithmetic √(ms − mg²) + ε over five steps, in plain numbers", () => {
  checkCentredSteps(true, (variance) => Math.sqrt(variance) + 0.01);
});

test('matches tf.train.rmsprop over five steps (plain)', () => {
  const mine = [tf.variable(tf.tensor2d([[0.5, 0.5]])), tf.variable(tf.tensor1d([1]))];
  const theirs = [tf.variable(tf.tensor2d([[0.5, 0.5]])), tf.variable(tf.tensor1d([1]))];
  const opt = new RmsProp(mine, { learningRate: 0.05, decay: 0.95, epsilon: 0.01, centered: false });
  const ref = tf.train.rmsprop(0.05, 0.95, 0, 0.01, false);
  for (let i = 0; i < 5; i++) {
    opt.minimize(quadratic(mine[0], mine[1]));
    ref.minimize(quadratic(theirs[0], theirs[1]), false, theirs);
  }
  mine.forEach((v, i) => {
    const e = theirs[i].dataSync();
    v.dataSync().forEach((x, j) => {
      assert.ok(Math.abs(x - e[j]) < 1e-6, `${x} vs ${e[j]}`);
    });
  });
});

test('centred: TensorFlow arithmetic √(ms − mg² + ε) over five steps, in plain numbers', () => {
  // tf.train.rmsprop's centred form computes √(ms − (mg² + ε)) instead; ours follows TensorFlow.
  checkCentredSteps(false, (variance) => Math.sqrt(variance + 0.01));
});

test('state round-trips and resumes identically', () => {
  const make = (): Variable[] => [tf.variable(tf.tensor2d([[0, 0]])), tf.variable(tf.tensor1d([3]))];
  const a = make();
  const optA = new RmsProp(a, { learningRate: 0.1, decay: 0.9, epsilon: 0.01, centered: true });
  optA.minimize(quadratic(a[0], a[1]));
  const b = make();
  b.forEach((v, i) => {
    v.assign(a[i]);
  });
  const optB = new RmsProp(b, { learningRate: 0.1, decay: 0.9, epsilon: 0.01, centered: true });
  optB.setState(optA.getState());
  assert.equal(optB.steps, 1);
  optA.minimize(quadratic(a[0], a[1]));
  optB.minimize(quadratic(b[0], b[1]));
  assert.deepEqual([...b[0].dataSync()], [...a[0].dataSync()]);
  assert.throws(
    () => optB.setState({ meanSquare: new Float32Array(2), meanGradient: null, steps: 0 }),
    /2 slots, this optimizer has 3/,
  );
});

test('invalid hyper-parameters are named', () => {
  const v = [tf.variable(tf.scalar(1))];
  assert.throws(() => new RmsProp(v, { learningRate: 0.1, decay: 1, epsilon: 0.01, centered: false }), /decay = 1/);
  assert.throws(
    () => new RmsProp(v, { learningRate: -1, decay: 0.9, epsilon: 0.01, centered: false }),
    /learningRate = -1/,
  );
});
