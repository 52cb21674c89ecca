import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Radam, radamStepScalars } from './radam';
import { type Scalar, tf } from './tf';

test("RAdam's step scalars: momentum only while ρₜ ≤ 5, then the rectified Adam step", () => {
  // ρ∞ = 1999; ρ₁ = 1 and ρ₅ ≈ 4.996 (no rectification): lr · m / (1 − 0.9ᵗ).
  assert.deepEqual(radamStepScalars(1, 0.9, 0.999), {
    momentScale: 1 / (1 - 0.9),
    rectified: false,
    secondCorrection: 1,
  });
  assert.equal(radamStepScalars(5, 0.9, 0.999).rectified, false);
  // ρ₆ ≈ 5.99416: r₆ = √((ρ−4)(ρ−2)ρ∞ / ((ρ∞−4)(ρ∞−2)ρ)) ≈ 0.0258211 (computed independently in Python).
  const six = radamStepScalars(6, 0.9, 0.999);
  assert.equal(six.rectified, true);
  assert.ok(Math.abs(six.momentScale - 0.05510749511130626) < 1e-12, `${six.momentScale}`);
  assert.ok(Math.abs(six.secondCorrection - 0.0059850199850060015) < 1e-15);
});

test('steps clip the global norm and follow RAdam in plain numbers', () => {
  // loss = Σ w² → g = 2w; w = [3, 4]: ‖g‖ = 10, clipped to 5 → g = [3, 4]·(5/10)·2/… ; checked against a scalar re-implementation.
  const w = tf.variable(tf.tensor1d([3, 4]));
  const optimizer = new Radam([w], { maxGradNorm: 5 });
  let x = [3, 4];
  let m = [0, 0];
  let v = [0, 0];
  for (let step = 1; step <= 8; step++) {
    const lr = 0.1 / step;
    optimizer.minimize(() => tf.sum(tf.square(w)) as Scalar, lr);
    let g = x.map((xi) => 2 * xi);
    const norm = Math.hypot(...g);
    g = g.map((gi) => gi * Math.min(1, 5 / norm));
    m = m.map((mi, i) => 0.9 * mi + 0.1 * g[i]);
    v = v.map((vi, i) => 0.999 * vi + 0.001 * g[i] * g[i]);
    const { momentScale, rectified, secondCorrection } = radamStepScalars(step, 0.9, 0.999);
    x = x.map((xi, i) => xi - (lr * momentScale * m[i]) / (rectified ? Math.sqrt(v[i] / secondCorrection) + 1e-8 : 1));
    [...w.dataSync()].forEach((value, i) => {
      assert.ok(Math.abs(value - x[i]) < 1e-5, `step ${step}, weight ${i}: ${value} vs ${x[i]}`);
    });
  }
  assert.equal(optimizer.steps, 8);
  const state = optimizer.getState();
  const copy = new Radam([tf.variable(tf.tensor1d([0, 0]))], { maxGradNorm: 5 });
  copy.setState(state);
  assert.deepEqual(copy.getState(), state);
  assert.throws(() => copy.setState({ ...state, firstMoment: new Float32Array(3) }), {
    message: "optimizer state's first moment has 3 values, this optimizer has 2",
  });
});
