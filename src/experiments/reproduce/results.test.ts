import assert from 'node:assert/strict';
import { test } from 'node:test';
import { studentTQuantile } from '../../stats/confidence';
import {
  architectureAggregates,
  architectureTable,
  bestPercentMatrix,
  type CurveRow,
  meanPercentCurve,
  measureMatrix,
  partitionSensitivity,
  runMeasure,
  SLOW_GAMES_ROW,
  slowGames,
  thresholdTable,
} from './results';

const near = (actual: number | null | undefined, expected: number, tol = 1e-9) =>
  assert.ok(typeof actual === 'number' && Math.abs(actual - expected) < tol, `${actual} vs ${expected}`);

/**
 * Rows of one run: `percents[e][g]` at evaluation e (updates 100·(e+1)) of games x and y (teachers 10 [8, 12] and
 * 20, whose interval was not recorded).
 */
function run(architecture: string, sampler: string, seed: number, percents: (number | null)[][]): CurveRow[] {
  return percents.flatMap((evaluation, e) =>
    ['x', 'y'].map((game, g) => ({
      architecture,
      sampler,
      partitions: sampler === 'hierarchical' ? 5 : null,
      seed,
      game,
      updates: 100 * (e + 1),
      score: evaluation[g] === null ? null : ((evaluation[g] as number) * (g + 1) * 10) / 100,
      teacher_score: (g + 1) * 10,
      teacher_ci_low: g === 0 ? 8 : null,
      teacher_ci_high: g === 0 ? 12 : null,
      percent_of_teacher: evaluation[g],
    })),
  );
}

test('bestPercentMatrix takes each run’s best evaluation per game and refuses a game never scored', () => {
  const rows = [
    ...run('proposed', 'uniform', 1, [
      [50, 80],
      [90, 70],
    ]),
    ...run('proposed', 'uniform', 0, [
      [60, null],
      [40, 100],
    ]),
  ];
  assert.deepEqual(bestPercentMatrix(rows, ['x', 'y']), [
    [60, 100],
    [90, 80],
  ]);
  assert.throws(
    () => bestPercentMatrix(run('amn', 'uniform', 3, [[50, null]]), ['x', 'y']),
    /seed 3, y: no evaluation completed an episode/,
  );
});

test('runMeasure: the best, the mean of the last quarter, the mean of all; unscored evaluations left out', () => {
  const percents = [10, null, 40, 20, 90];
  assert.equal(runMeasure(percents, 'best'), 90);
  // ⌈5/4⌉ = 2 last evaluations: 20 and 90.
  assert.equal(runMeasure(percents, 'final'), 55);
  assert.equal(runMeasure(percents, 'auc'), 40);
  assert.equal(runMeasure([10, 20, null], 'final'), null);
  assert.throws(
    () =>
      measureMatrix(
        run('amn', 'uniform', 2, [
          [50, 1],
          [60, null],
        ]),
        ['x', 'y'],
        'final',
      ),
    /seed 2, y: no evaluation of the last quarter completed an episode/,
  );
});

test('architectureTable: every measure per game with the seeds’ and the teacher’s interval, then the geometric mean', () => {
  const rows = [
    ...run('proposed', 'uniform', 0, [
      [100, 100],
      [80, 50],
    ]),
    ...run('proposed', 'uniform', 1, [
      [100, 400],
      [60, 100],
    ]),
    ...run('dist', 'uniform', 0, [[50, 200]]),
    ...run('proposed', 'ranked', 0, [[1, 1]]), // other samplers are not Table 1's
  ];
  const t = architectureTable(rows, ['proposed', 'dist'], 3, 200);
  assert.deepEqual(t.games, ['x', 'y']);
  assert.deepEqual(t.teachers, [
    { score: 10, ciLow: 8, ciHigh: 12 },
    { score: 20, ciLow: null, ciHigh: null },
  ]);
  assert.deepEqual(t.seeds, [2, 1]);
  // Best on x: 100 and 100, so the teacher's share alone: 100 · 2/10 = 20.
  assert.deepEqual(t.cells.best[0][0], { point: 100, lower: 80, upper: 120 });
  // Best on y: 100 and 400, teacher exact: t(0.975, 1) · sd / √2 = 12.706 · 150.
  const half = studentTQuantile(0.975, 1) * 150;
  near(t.cells.best[0][1].lower, 250 - half, 1e-9);
  near(t.cells.best[0][1].upper, 250 + half, 1e-9);
  // Final (last ⌈2/4⌉ = 1 evaluation) and AUC (mean of both) of x: 80, 60 and 90, 80.
  assert.equal(t.cells.final[0][0].point, 70);
  assert.equal(t.cells.auc[0][0].point, 85);
  // One seed: no interval.
  assert.deepEqual(t.cells.best[1][0], { point: 50, lower: null, upper: null });
  near(t.geometricMeans.best[0]?.point, Math.sqrt(100 * 250));
  assert.ok((t.geometricMeans.best[0]?.lower as number) < Math.sqrt(100 * 250));
  near(t.geometricMeans.best[1]?.point, 100);
  assert.deepEqual([t.geometricMeans.best[1]?.lower, t.geometricMeans.best[1]?.upper], [null, null]);
  assert.deepEqual(architectureTable(rows, ['proposed', 'dist'], 3, 200), t, 'seeded: the numbers repeat');
  assert.throws(() => architectureTable(rows, ['amn']), /no uniform-sampling run of architecture 'amn'/);
});

test('architectureAggregates: IQM and probability of improvement per measure, with repeatable intervals', () => {
  const rows = [
    ...run('proposed', 'uniform', 0, [[100, 110]]),
    ...run('proposed', 'uniform', 1, [[120, 130]]),
    ...run('dist', 'uniform', 0, [[50, 60]]),
    ...run('dist', 'uniform', 1, [[70, 80]]),
  ];
  const all = architectureAggregates(rows, ['proposed', 'dist'], 9, 200);
  assert.deepEqual(
    all.map((a) => `${a.architecture}/${a.measure}`),
    ['proposed/best', 'dist/best', 'proposed/final', 'dist/final', 'proposed/auc', 'dist/auc'],
  );
  const [proposed, dist] = all;
  // Pooled [100, 110, 120, 130]: the IQM cuts one value from each end → (110 + 120) / 2.
  assert.equal(proposed.iqm.point, 115);
  assert.equal(dist.iqm.point, 65);
  assert.deepEqual(
    proposed.improvement.map((i) => [i.over, i.probability.point]),
    [['dist', 1]],
  );
  assert.deepEqual(
    dist.improvement.map((i) => [i.over, i.probability.point]),
    [['proposed', 0]],
  );
  assert.deepEqual(architectureAggregates(rows, ['proposed', 'dist'], 9, 200), all);
});

test('meanPercentCurve averages seeds per evaluation and leaves out evaluations with an unknown score', () => {
  const rows = [
    ...run('proposed', 'uniform', 0, [
      [10, 0],
      [null, 0],
      [30, 0],
    ]),
    ...run('proposed', 'uniform', 1, [
      [20, 0],
      [40, 0],
      [50, 0],
    ]),
  ];
  assert.deepEqual(meanPercentCurve(rows, 'x'), { updates: [100, 300], scores: [15, 40] });
});

test('thresholdTable: updates to reach the threshold and the ratio to uniform, null when not reached', () => {
  const rows = [
    ...run('proposed', 'uniform', 0, [
      [50, 10],
      [80, 20],
      [95, 30],
      [99, 40],
    ]),
    ...run('proposed', 'hierarchical', 0, [
      [92, 10],
      [99, 20],
      [99, 99],
      [99, 99],
    ]),
  ];
  const samplers = [
    { label: 'uniform', filter: (r: CurveRow) => r.sampler === 'uniform' },
    { label: 'H-PR', filter: (r: CurveRow) => r.sampler === 'hierarchical' },
  ];
  // One seed: no interval. Uniform never reaches 90 % on y, so y is the slow game.
  const none = { ratioLower: null, ratioUpper: null };
  assert.deepEqual(thresholdTable(rows, samplers, 90), [
    { game: 'x', sampler: 'uniform', updates: 300, ratioToUniform: 1, ...none, slow: false },
    { game: 'x', sampler: 'H-PR', updates: 100, ratioToUniform: 1 / 3, ...none, slow: false },
    { game: 'y', sampler: 'uniform', updates: null, ratioToUniform: null, ...none, slow: true },
    { game: 'y', sampler: 'H-PR', updates: 300, ratioToUniform: null, ...none, slow: true },
    { game: SLOW_GAMES_ROW, sampler: 'uniform', updates: null, ratioToUniform: null, ...none, slow: true },
    { game: SLOW_GAMES_ROW, sampler: 'H-PR', updates: null, ratioToUniform: null, ...none, slow: true },
  ]);
  assert.throws(() => thresholdTable(rows, samplers.slice(1), 90), /compares with 'uniform', which is not among H-PR/);
});

test('thresholdTable: the ratio’s bootstrap interval over seeds, by hand', () => {
  // Uniform: both seeds' mean first reaches 90 at update 300 whichever seeds are drawn. H-PR: seed 0 reaches it at
  // 100 (92), seed 1 at 200; a resample of seed 0 twice (probability ¼) gives 100 → ratio 1/3, any other 200 → 2/3.
  const rows = [
    ...run(
      'proposed',
      'uniform',
      0,
      [[50], [80], [95], [99]].map(([v]) => [v, v]),
    ),
    ...run(
      'proposed',
      'uniform',
      1,
      [[40], [85], [92], [99]].map(([v]) => [v, v]),
    ),
    ...run(
      'proposed',
      'hierarchical',
      0,
      [[92], [99], [99], [99]].map(([v]) => [v, v]),
    ),
    ...run(
      'proposed',
      'hierarchical',
      1,
      [[50], [99], [99], [99]].map(([v]) => [v, v]),
    ),
  ];
  const samplers = [
    { label: 'uniform', filter: (r: CurveRow) => r.sampler === 'uniform' },
    { label: 'H-PR', filter: (r: CurveRow) => r.sampler === 'hierarchical' },
  ];
  const table = thresholdTable(rows, samplers, 90, 4, 400);
  const hpr = table.find((r) => r.game === 'x' && r.sampler === 'H-PR');
  // The mean of the two seeds (71 at update 100) reaches 90 at 200.
  assert.deepEqual(hpr, {
    game: 'x',
    sampler: 'H-PR',
    updates: 200,
    ratioToUniform: 2 / 3,
    ratioLower: 1 / 3,
    ratioUpper: 2 / 3,
    slow: true,
  });
  // Both games are alike: x is the slow one by name; the slow-games row is its ratio.
  assert.deepEqual(slowGames(rows.filter(samplers[0].filter), ['x', 'y'], 90), ['x']);
  const slowRow = table.find((r) => r.game === SLOW_GAMES_ROW && r.sampler === 'H-PR');
  assert.deepEqual([slowRow?.ratioToUniform, slowRow?.ratioLower, slowRow?.ratioUpper], [2 / 3, 1 / 3, 2 / 3]);
});

test('slowGames: the half of the games uniform reaches last, not reached first', () => {
  const rows = [
    ...run('proposed', 'uniform', 0, [
      [95, 10],
      [99, 95],
    ]),
  ];
  assert.deepEqual(slowGames(rows, ['x', 'y'], 90), ['y']);
  assert.deepEqual(slowGames(rows, ['x', 'y'], 99), ['y']);
  assert.deepEqual(slowGames(rows, ['x', 'y'], 100), ['y']); // neither reached: the lower last score is slower
});

test('partitionSensitivity: the largest difference between the p values’ IQMs of the area under the curve', () => {
  const hpr = (p: number, seed: number, percents: number[][]) =>
    run('proposed', 'hierarchical', seed, percents).map((r) => ({ ...r, partitions: p }));
  const rows = [
    ...hpr(5, 0, [
      [100, 100],
      [100, 100],
    ]),
    ...hpr(5, 1, [
      [100, 100],
      [100, 100],
    ]),
    ...hpr(10, 0, [
      [80, 80],
      [100, 100],
    ]),
    ...hpr(10, 1, [
      [80, 80],
      [100, 100],
    ]),
  ];
  const s = partitionSensitivity(rows, [5, 10], 1, 100);
  assert.deepEqual(s.largestDifference, { point: 10, lower: 10, upper: 10 });
  assert.deepEqual(
    s.iqm.map((i) => i.point),
    [100, 90],
  );
  assert.throws(() => partitionSensitivity(rows, [5, 15]), /no H-PR run with p = 15/);
});
