import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../util/rng';
import { mean } from './aggregate';
import { stratifiedBootstrap, stratifiedResample } from './bootstrap';
import { probabilityOfImprovement } from './improvement';
import type { ScoreMatrix } from './score-matrix';

test('stratifiedResample draws runs with replacement separately for every game', () => {
  const scores = [
    [10, 20, 30],
    [11, 21, 31],
    [12, 22, 32],
  ];
  const twin = new Rng(7);
  const expected = Array.from({ length: 3 }, () => [0, 0, 0]);
  for (let g = 0; g < 3; g++) for (let r = 0; r < 3; r++) expected[r][g] = scores[twin.int(3)][g];
  assert.deepEqual(stratifiedResample(scores, new Rng(7)), expected);
  // Every resampled cell comes from its own game's column.
  for (const run of stratifiedResample(scores, new Rng(8))) {
    for (const [g, v] of run.entries()) assert.equal(Math.floor(v / 10), g + 1);
  }
});

test('stratifiedBootstrap: constant columns give a zero-width interval at the point value', () => {
  const scores = [
    [1, 5],
    [1, 5],
  ];
  const ci = stratifiedBootstrap([scores], (m) => mean(m.flat()), new Rng(1), { repetitions: 200 });
  assert.deepEqual(ci, { point: 3, lower: 3, upper: 3 });
});

test('stratifiedBootstrap: two runs scoring 0 and 1 give the interval [0, 1] around 0.5', () => {
  // Resampled means are 0, 0.5, 1 with probabilities ¼, ½, ¼: the 2.5 % and 97.5 % quantiles of
  // 2,000 of them are 0 and 1 (a ¼ share of each extreme is far beyond 2.5 %).
  const ci = stratifiedBootstrap([[[0], [1]]], (m) => mean(m.flat()), new Rng(3), { repetitions: 2000 });
  assert.deepEqual(ci, { point: 0.5, lower: 0, upper: 1 });
});

test('stratifiedBootstrap resamples several matrices independently and is reproducible from the seed', () => {
  const x: ScoreMatrix = [[3], [4], [5]];
  const y: ScoreMatrix = [[1], [2], [3]];
  const run = (seed: number) =>
    stratifiedBootstrap([x, y], probabilityOfImprovement, new Rng(seed), { repetitions: 500 });
  const a = run(11);
  assert.deepEqual(run(11), a);
  // P(X > Y) on the original runs: 3 vs {1,2,3} = 2.5, 4 and 5 win all 3 → 8.5 / 9.
  assert.equal(a.point, 8.5 / 9);
  assert.ok(a.lower < a.point && a.upper === 1, JSON.stringify(a));
});

test('stratifiedBootstrap rejects bad options before drawing', () => {
  const f = (m: ScoreMatrix) => m[0][0];
  assert.throws(() => stratifiedBootstrap([[[1]]], f, new Rng(1), { repetitions: 0 }), /repetitions.*got 0/);
  assert.throws(
    () => stratifiedBootstrap([[[1]]], f, new Rng(1), { confidence: 1 }),
    /confidence must be in \(0, 1\), got 1/,
  );
  assert.throws(() => stratifiedBootstrap([[]], f, new Rng(1)), /expected at least one run/);
});
