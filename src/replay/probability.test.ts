import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../util/rng';
import {
  annealedBeta,
  checkBetaSchedule,
  checkPriorities,
  checkUnitInterval,
  importanceWeight,
  normaliseByMax,
  partitionIndex,
  random53,
  rankWeight,
} from './probability';
import { RankDistribution } from './rank-distribution';

const closeAll = (actual: number[], expected: number[]) =>
  actual.forEach((a, i) => {
    assert.ok(Math.abs(a - expected[i]) < 1e-15, `position ${i}: expected ${expected[i]}, got ${a}`);
  });

test('partitions split [V_min, V_max] evenly; values outside go to the end partitions', () => {
  // [0, 10] in 5 partitions of width 2: 0 → 0, 1.99 → 0, 2 → 1, 9.99 → 4, 10 → 4 (closed top), −3 → 0, 25 → 4.
  assert.deepEqual(
    [0, 1.99, 2, 9.99, 10, -3, 25].map((v) => partitionIndex(v, 0, 10, 5)),
    [0, 0, 1, 4, 4, 0, 4],
  );
  assert.equal(partitionIndex(123, -1, 1, 1), 0);
});

test('rank weights, importance weights and batch normalisation by hand', () => {
  assert.equal(rankWeight(4, 0.5), 0.5);
  assert.equal(rankWeight(7, 0), 1);
  // N = 4, P = 1/8, β = 1: (4 · 1/8)^−1 = 2.
  assert.equal(importanceWeight(4, 1 / 8, 1), 2);
  assert.equal(importanceWeight(4, 1 / 8, 0), 1);
  const w = new Float32Array([2, 4, 1]);
  normaliseByMax(w);
  assert.deepEqual(Array.from(w), [0.5, 1, 0.25]);
});

test('β is annealed linearly from start to end, then held', () => {
  const schedule = { start: 0.4, end: 1, steps: 3 };
  closeAll(
    [0, 1, 2, 3, 10].map((s) => annealedBeta(schedule, s)),
    [0.4, 0.6, 0.8, 1, 1],
  );
  assert.equal(annealedBeta({ start: 0.5, end: 0.5, steps: 0 }, 0), 0.5);
});

test('bad parameters and priorities are named', () => {
  assert.throws(() => checkUnitInterval('alpha', 1.5), /alpha must be in \[0, 1\], got 1.5/);
  assert.throws(() => checkUnitInterval('beta', Number.NaN), /beta must be in \[0, 1\], got NaN/);
  assert.throws(() => checkBetaSchedule({ start: -0.1, end: 1, steps: 5 }), /beta start must be in \[0, 1\], got -0.1/);
  assert.throws(() => checkBetaSchedule({ start: 0.1, end: 1, steps: 2.5 }), /steps must be an integer >= 0, got 2.5/);
  assert.throws(() => checkPriorities([1, Number.NaN]), /finite and >= 0, got NaN at position 1/);
  assert.throws(() => checkPriorities([-2]), /got -2 at position 0/);
  assert.throws(() => checkPriorities([Number.POSITIVE_INFINITY]), /got Infinity/);
});

test('rank probabilities by hand: n = 3, α = 1 gives 6/11, 3/11, 2/11', () => {
  const ranks = new RankDistribution(10, 1);
  closeAll(
    [1, 2, 3].map((r) => ranks.probability(r, 3)),
    [6 / 11, 3 / 11, 2 / 11],
  );
  // α = 0 is uniform over the n ranks.
  assert.equal(new RankDistribution(5, 0).probability(2, 4), 0.25);
});

test('rank draws are exact: every u maps to the smallest rank whose cumulative weight exceeds u · total', () => {
  const rng = new Rng(11);
  for (const [capacity, alpha] of [
    [1, 0.7],
    [7, 1],
    [1000, 0.7],
    [70000, 0.3],
    [70000, 0],
    // More ranks than guide buckets (2^20).
    [2_000_000, 0.7],
  ] as const) {
    const ranks = new RankDistribution(capacity, alpha);
    const cumulative = [0];
    for (let r = 1; r <= capacity; r++) cumulative.push(cumulative[r - 1] + rankWeight(r, alpha));
    for (const n of [1, Math.ceil(capacity / 3), capacity]) {
      // Boundaries (u exactly at a cumulative step) and random points.
      const us = [0, 1 - 2 ** -53, ...Array.from({ length: 2000 }, () => random53(rng))];
      for (let r = 1; r < Math.min(n, 50); r++) us.push(cumulative[r] / cumulative[n]);
      for (const u of us) {
        const target = u * cumulative[n];
        // The smallest r in [1, n] with cumulative[r] > target (n when none), by bisection.
        let expected = 1;
        for (let hi = n; expected < hi; ) {
          const mid = (expected + hi) >>> 1;
          if (cumulative[mid] > target) hi = mid;
          else expected = mid + 1;
        }
        assert.equal(ranks.sample(u, n), expected, `capacity ${capacity}, α ${alpha}, n ${n}, u ${u}`);
      }
    }
  }
});

test('random53 gives 53-bit floats in [0, 1)', () => {
  const rng = new Rng(5);
  const values = Array.from({ length: 1000 }, () => random53(rng));
  assert.ok(values.every((v) => v >= 0 && v < 1));
  assert.ok(
    values.some((v) => !Number.isInteger(v * 2 ** 32)),
    'uses more than 32 bits',
  );
  assert.ok(values.every((v) => Number.isInteger(v * 2 ** 53)));
});
