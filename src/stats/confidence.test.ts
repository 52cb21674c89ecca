import assert from 'node:assert/strict';
import { test } from 'node:test';
import { meanInterval, normalQuantile, studentTQuantile } from './confidence';

// Reference quantiles from scipy.stats (t.ppf, norm.ppf).
test('normal and Student-t quantiles match scipy', () => {
  assert.ok(Math.abs(normalQuantile(0.975) - 1.959963984540054) < 1e-8);
  assert.ok(Math.abs(normalQuantile(0.01) + 2.3263478740408408) < 1e-8);
  for (const [df, exact, tolerance] of [
    [1, 12.706204736174698, 1e-9],
    [2, 4.302652729749464, 1e-9],
    [9, 2.2621571628540993, 1e-3],
    [29, 2.045229642132703, 1e-5],
    [99, 1.9842169515086827, 1e-7],
    [199, 1.971956544249395, 1e-8],
  ]) {
    const error = Math.abs(studentTQuantile(0.975, df) - exact);
    assert.ok(error < tolerance, `df ${df}: off by ${error}`);
  }
});

test('the interval of a mean is mean ± t · s / √n', () => {
  // n = 4, mean 2.5, s = √(5/3); t(0.975, 3) from the expansion, checked against the formula.
  const interval = meanInterval([1, 2, 3, 4]);
  assert.equal(interval.n, 4);
  assert.equal(interval.mean, 2.5);
  assert.equal(interval.standardDeviation, Math.sqrt(5 / 3));
  const half = studentTQuantile(0.975, 3) * (Math.sqrt(5 / 3) / 2);
  assert.equal(interval.lower, 2.5 - half);
  assert.equal(interval.upper, 2.5 + half);
  assert.deepEqual(meanInterval([5, 5, 5]), { n: 3, mean: 5, standardDeviation: 0, lower: 5, upper: 5, level: 0.95 });
});

test('too few or non-finite values are refused', () => {
  assert.throws(() => meanInterval([1]), { message: 'a confidence interval needs at least 2 values, got 1' });
  assert.throws(() => meanInterval([1, Number.NaN]), { message: 'a confidence interval needs finite values' });
  assert.throws(() => meanInterval([1, 2], 1), { message: 'confidence level must be in (0, 1), got 1' });
});
