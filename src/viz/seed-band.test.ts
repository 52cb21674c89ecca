import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seedBand } from './seed-band';

// Two seeds: at point 0 values 1 and 3 (mean 2, sample s.d. √2), at point 1 values 2 and 6 (mean 4, s.d. 2√2).
const runs = [
  [1, 2],
  [3, 6],
];

test('std band is mean ± 1 sample standard deviation', () => {
  const band = seedBand(runs, 'std');
  assert.deepEqual(band.mean, [2, 4]);
  assert.deepEqual(band.lower, [2 - Math.SQRT2, 4 - 2 * Math.SQRT2]);
  assert.deepEqual(band.upper, [2 + Math.SQRT2, 4 + 2 * Math.SQRT2]);
});

test('sem band divides the spread by √n', () => {
  const band = seedBand(runs, 'sem');
  assert.deepEqual(band.lower, [1, 2]);
  assert.deepEqual(band.upper, [3, 6]);
});

test('range band runs from the smallest to the largest seed', () => {
  assert.deepEqual(seedBand([[1], [5], [3]], 'range'), { mean: [3], lower: [1], upper: [5] });
});

test('one seed gives a zero-width band; ragged or empty runs are rejected', () => {
  assert.deepEqual(seedBand([[4, 5]], 'std'), { mean: [4, 5], lower: [4, 5], upper: [4, 5] });
  assert.throws(() => seedBand([[1, 2], [3]], 'std'), /run 1 has 1 points, run 0 has 2/);
  assert.throws(() => seedBand([], 'std'), /at least one run/);
});
