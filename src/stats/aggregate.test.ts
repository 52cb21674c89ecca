import assert from 'node:assert/strict';
import { test } from 'node:test';
import { geometricMean, interquartileMean, percentOfTeacher, quantile, trimmedMean } from './aggregate';

const near = (actual: number, expected: number, tol = 1e-9) =>
  assert.ok(Math.abs(actual - expected) < tol, `${actual} vs ${expected}`);

test('percentOfTeacher is 100·score/teacher and refuses a teacher score <= 0', () => {
  assert.equal(percentOfTeacher(30, 20), 150);
  assert.equal(percentOfTeacher(0, 4), 0);
  assert.throws(() => percentOfTeacher(1, 0), /teacher score must be a finite number > 0.*got 0/);
  assert.throws(() => percentOfTeacher(Number.NaN, 1), /score must be a finite number, got NaN/);
});

test('geometricMean by hand, zero and negative values', () => {
  near(geometricMean([1, 100]), 10);
  near(geometricMean([2, 8]), 4);
  assert.equal(geometricMean([5, 0, 7]), 0);
  assert.throws(() => geometricMean([1, -2]), /value 1 is -2/);
  assert.throws(() => geometricMean([]), /no values/);
});

test("geometricMean of Table 1's columns (paper prints 103.8, 92.4, 93.5 for them)", () => {
  // exp(mean(log)) of the printed per-game values, computed with Python's math module: the paper's
  // DIST and AMN geometric means are about 1 point above their own printed columns.
  const proposed = [104.5, 106.2, 115.2, 100.4, 102.6, 100.5, 103.9, 100.2, 103.3, 101.2];
  const dist = [62.7, 73.9, 104.7, 99.9, 103.8, 98.1, 102.4, 87.8, 96.0, 94.8];
  const amn = [60.3, 91.4, 103.9, 99.3, 105.0, 97.2, 101.4, 87.9, 92.7, 95.4];
  near(geometricMean(proposed), 103.71712086609054, 1e-9);
  near(geometricMean(dist), 91.33063039258224, 1e-9);
  near(geometricMean(amn), 92.47703153773668, 1e-9);
});

test('trimmedMean cuts floor(n·p) values from each end, as scipy.stats.trim_mean', () => {
  assert.equal(trimmedMean([4, 1, 3, 2], 0.25), 2.5);
  near(trimmedMean([5, 1, 100, 2, 3], 0.25), 10 / 3);
  assert.equal(trimmedMean([9, 1, 5], 0.25), 5); // floor(0.75) = 0: nothing cut
  assert.throws(() => trimmedMean([1], 0.5), /proportion to cut must be in \[0, 0.5\), got 0.5/);
});

test('interquartileMean pools runs and games', () => {
  assert.equal(
    interquartileMean([
      [1, 2],
      [3, 4],
    ]),
    2.5,
  );
  assert.throws(() => interquartileMean([[1, 2], [3]]), /run 1 has 1 games, run 0 has 2/);
  assert.throws(() => interquartileMean([[1, Number.POSITIVE_INFINITY]]), /run 0, game 1 is Infinity/);
});

test('quantile interpolates linearly like numpy', () => {
  assert.equal(quantile([4, 1, 3, 2], 0.25), 1.75);
  assert.equal(quantile([4, 1, 3, 2], 1), 4);
  assert.equal(quantile([7], 0.3), 7);
  assert.throws(() => quantile([1], 1.5), /level must be in \[0, 1\], got 1.5/);
});
