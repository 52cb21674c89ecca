import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  architectureAggregates,
  architectureTable,
  bestPercentMatrix,
  type CurveRow,
  meanPercentCurve,
  thresholdTable,
} from './results';

/** Rows of one run: `percents[e][g]` at evaluation e (updates 100·(e+1)) of games x and y (teachers 10 and 20). */
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

test('architectureTable: mean over seeds of the best %, then the geometric mean over games', () => {
  const rows = [
    ...run('proposed', 'uniform', 0, [[100, 100]]),
    ...run('proposed', 'uniform', 1, [[100, 400]]),
    ...run('dist', 'uniform', 0, [[50, 200]]),
    ...run('proposed', 'ranked', 0, [[1, 1]]), // other samplers are not Table 1's
  ];
  const t = architectureTable(rows, ['proposed', 'dist']);
  assert.deepEqual(t.games, ['x', 'y']);
  assert.deepEqual(t.teacherScores, [10, 20]);
  assert.deepEqual(t.percent, [
    [100, 250],
    [50, 200],
  ]);
  // √(100·250) = 158.11…, √(50·200) = 100.
  assert.ok(Math.abs(t.geometricMeans[0] - Math.sqrt(25000)) < 1e-9);
  assert.ok(Math.abs(t.geometricMeans[1] - 100) < 1e-9);
  assert.deepEqual(t.seeds, [2, 1]);
  assert.throws(() => architectureTable(rows, ['amn']), /no uniform-sampling run of architecture 'amn'/);
});

test('architectureAggregates: IQM and probability of improvement with repeatable intervals', () => {
  const rows = [
    ...run('proposed', 'uniform', 0, [[100, 110]]),
    ...run('proposed', 'uniform', 1, [[120, 130]]),
    ...run('dist', 'uniform', 0, [[50, 60]]),
    ...run('dist', 'uniform', 1, [[70, 80]]),
  ];
  const [proposed, dist] = architectureAggregates(rows, ['proposed', 'dist'], 9, 200);
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
  assert.deepEqual(architectureAggregates(rows, ['proposed', 'dist'], 9, 200), [proposed, dist]);
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
  assert.deepEqual(thresholdTable(rows, samplers, 90), [
    { game: 'x', sampler: 'uniform', updates: 300, ratioToUniform: 1 },
    { game: 'x', sampler: 'H-PR', updates: 100, ratioToUniform: 1 / 3 },
    { game: 'y', sampler: 'uniform', updates: null, ratioToUniform: null },
    { game: 'y', sampler: 'H-PR', updates: 300, ratioToUniform: null },
  ]);
  assert.throws(() => thresholdTable(rows, samplers.slice(1), 90), /compares with 'uniform', which is not among H-PR/);
});
