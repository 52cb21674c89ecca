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

test('the summary: Table 1’s three measures with intervals, IQM, probability of improvement, updates to threshold', () => {
  const rows = [
    row('proposed', 0, 'breakout', 100, 50),
    row('proposed', 0, 'breakout', 200, 90),
    row('proposed', 1, 'breakout', 100, 70),
    row('proposed', 1, 'breakout', 200, 110),
  ];
  assert.deepEqual(architectureSummary(rows), [
    "Table 1: % of teacher, mean over seeds [95 % interval of the seeds and the teacher's score] (uniform sampling; seeds: proposed 2)",
    'best: the best evaluation (the paper’s); final: mean of the last quarter of the evaluations; AUC: mean over all evaluations',
    '| game | teacher [95 %] | measure | proposed |',
    '| --- | ---: | --- | ---: |',
    // best and final (the last ⌈2/4⌉ = 1 evaluation) 90 and 110: mean 100, s = 14.14, t(0.975, 1) = 12.706: ±127.06.
    '| breakout | 10.00 | best | 100.0 [-27.1, 227.1] |',
    '| | | final | 100.0 [-27.1, 227.1] |',
    // AUC: the means of the evaluations, 70 and 90.
    '| | | AUC | 80.0 [-47.1, 207.1] |',
    // Over one game the geometric mean and the IQM are the mean over seeds; resampling two seeds gives 90, 100 or 110.
    '| geometric mean | | best | 100.0 [90.0, 110.0] |',
    '| | | final | 100.0 [90.0, 110.0] |',
    '| | | AUC | 80.0 [70.0, 90.0] |',
    '| IQM | | best | 100.0 [90.0, 110.0] |',
    '| | | final | 100.0 [90.0, 110.0] |',
    '| | | AUC | 80.0 [70.0, 90.0] |',
  ]);
  assert.deepEqual(thresholdSummary(rows, 90).slice(3), [
    '| breakout (slow) | uniform | 200 | 1.00× |',
    '| slow games (geometric mean) | uniform | | 1.00× |',
  ]);
});

test('the summary: probabilities of improvement between architectures, and a teacher’s interval', () => {
  const withTeacher = (r: CurveRow): CurveRow => ({ ...r, teacher_ci_low: 8, teacher_ci_high: 12 });
  const rows = [
    row('proposed', 0, 'breakout', 100, 120),
    row('proposed', 1, 'breakout', 100, 110),
    row('dist', 0, 'breakout', 100, 60),
    row('dist', 1, 'breakout', 100, 40),
  ].map(withTeacher);
  const lines = architectureSummary(rows);
  // proposed 120, 110: ±t(0.975, 1)·5 = ±63.53 over seeds, ±115·2/10 = ±23 from the teacher: ±67.57 together.
  assert.equal(lines[4], '| breakout | 10.00 [8.00, 12.00] | best | 115.0 [47.4, 182.6] | 50.0 [-77.5, 177.5] |');
  // Every resample of every measure keeps proposed above dist.
  assert.deepEqual(lines.slice(-2), [
    '| P(proposed > dist) | 1.00 [1.00, 1.00] | 1.00 [1.00, 1.00] | 1.00 [1.00, 1.00] |',
    '| P(dist > proposed) | 0.00 [0.00, 0.00] | 0.00 [0.00, 0.00] | 0.00 [0.00, 0.00] |',
  ]);
});
