import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../util/rng';
import { interquartileMean, mean } from './aggregate';
import { stratifiedBootstrap } from './bootstrap';
import { percentInterval, teacherHalfWidth, teacherStratifiedBootstrap } from './teacher-interval';

const near = (actual: number | null, expected: number, tol = 1e-9) =>
  assert.ok(actual !== null && Math.abs(actual - expected) < tol, `${actual} vs ${expected}`);

test('percentInterval: seed and teacher half-widths add in quadrature (delta method), by hand', () => {
  // Seeds 90, 100, 110 % (mean 100, sd 10): t(0.975, 2) · 10/√3 = 4.302653 · 5.773503 = 24.841377.
  // Teacher 50 [45, 55]: P · h_T / T = 100 · 5 / 50 = 10. √(24.841377² + 10²) = 26.778611.
  const teacher = { score: 50, ciLow: 45, ciHigh: 55 };
  const interval = percentInterval([90, 100, 110], teacher);
  assert.equal(interval.point, 100);
  near(interval.lower, 73.22138881319613, 1e-6);
  near(interval.upper, 126.77861118680387, 1e-6);
  // Without the teacher's interval: the Student-t interval over seeds alone.
  const seedsOnly = percentInterval([90, 100, 110], { score: 50, ciLow: null, ciHigh: null });
  near(seedsOnly.upper, 124.84137711750331, 1e-6);
  // Identical seeds: the teacher's share alone, 10 % of the point.
  const teacherOnly = percentInterval([80, 80], teacher);
  near(teacherOnly.lower, 72);
  near(teacherOnly.upper, 88);
  // One seed: no interval.
  assert.deepEqual(percentInterval([42], teacher), { point: 42, lower: null, upper: null });
  assert.throws(() => percentInterval([1], { score: 0, ciLow: null, ciHigh: null }), /teacher score .* got 0/);
  assert.equal(teacherHalfWidth({ score: 2, ciLow: 1, ciHigh: 3 }), 1);
});

test('teacherStratifiedBootstrap: an exact teacher is rliable’s stratified bootstrap, draw for draw', () => {
  const x = [
    [100, 50],
    [120, 70],
    [90, 40],
  ];
  const exact = [
    { score: 10, ciLow: null, ciHigh: null },
    { score: 20, ciLow: 20, ciHigh: 20 },
  ];
  const ours = teacherStratifiedBootstrap([x], exact, interquartileMean, new Rng(5), 300);
  const rliable = stratifiedBootstrap([x], interquartileMean, new Rng(5), { repetitions: 300 });
  assert.deepEqual(ours, rliable);
});

test('teacherStratifiedBootstrap: identical seeds leave the teacher’s interval, 100·T/T* at its quantiles', () => {
  // T* ~ Normal(10, (1/1.96)²): the 2.5 % and 97.5 % quantiles of 1000/T* are 1000/11 = 90.9 and 1000/9 = 111.1.
  const interval = teacherStratifiedBootstrap(
    [[[100], [100]]],
    [{ score: 10, ciLow: 9, ciHigh: 11 }],
    (m) => mean(m.flat()),
    new Rng(1),
    20_000,
  );
  assert.equal(interval.point, 100);
  near(interval.lower, 1000 / 11, 0.4);
  near(interval.upper, 1000 / 9, 0.5);
  assert.throws(
    () =>
      teacherStratifiedBootstrap(
        [[[1, 2]]],
        [{ score: 1, ciLow: null, ciHigh: null }],
        (m) => mean(m.flat()),
        new Rng(1),
      ),
    /has 2 games but 1 teachers/,
  );
});
