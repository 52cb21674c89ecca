import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CurveRow } from './results';
import { architectureSummary, seedInterval, thresholdSummary } from './summary';

test('seedInterval: Student t over seeds, or the one value said as one seed', () => {
  // mean 20, s = 10, t(0.975, 2) = 4.3027: half-width 24.84.
  assert.equal(seedInterval([10, 20, 30]), '20.0 [-4.8, 44.8]');
  assert.equal(seedInterval([12.34]), '12.3 (1 seed)');
});

const row = (architecture: string, seed: number, game: string, updates: number, percent: number): CurveRow => ({
  architecture,
  sampler: 'uniform',
  partitions: null,
  seed,
  game,
  updates,
  score: percent / 10,
  teacher_score: 10,
  percent_of_teacher: percent,
});

test('the summary: Table 1 cells with intervals over seeds, plateau means, updates to threshold', () => {
  const rows = [
    row('proposed', 0, 'breakout', 100, 50),
    row('proposed', 0, 'breakout', 200, 90),
    row('proposed', 1, 'breakout', 100, 70),
    row('proposed', 1, 'breakout', 200, 110),
  ];
  assert.deepEqual(architectureSummary(rows), [
    'Table 1: best evaluation in % of teacher, mean over seeds [95 % interval] (uniform sampling)',
    '| game | teacher | proposed |',
    '| --- | ---: | ---: |',
    // best 90 and 110: mean 100, s = 14.14, t(0.975, 1) = 12.706: half-width 127.06.
    '| breakout | 10.00 | 100.0 [-27.1, 227.1] |',
    '| geometric mean | | 100.0 % |',
    '| seeds | | 2 |',
    '',
    'mean % of teacher over the second half of the evaluations (mean-over-seeds curve, uniform sampling)',
    '| game | proposed |',
    '| --- | ---: |',
    '| breakout | 100.0 % |',
  ]);
  assert.deepEqual(thresholdSummary(rows, 90).slice(3), ['| breakout | uniform | 200 | 1.00× |']);
});
