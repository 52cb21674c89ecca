import assert from 'node:assert/strict';
import { test } from 'node:test';
import { table } from 'arquero';
import { studentTQuantile } from '../../stats/confidence';
import { distillFigures, FIGURE_NAMES, runsLabel, seedMeanBand, suiteIqmSeries } from './figures';
import type { CurveRow } from './results';

const row = (seed: number, game: string, updates: number, percent: number): CurveRow => ({
  suite: 'minatar',
  preset: 'quick',
  architecture: 'proposed',
  sampler: 'uniform',
  partitions: null,
  seed,
  game,
  updates,
  score: percent,
  teacher_score: 100,
  percent_of_teacher: percent,
});

test('seedMeanBand: the mean over seeds with its 95 % Student-t band, none for one seed', () => {
  // At point 0 seeds 1 and 3 (sd √2): t(0.975, 1) · √2 / √2.
  const band = seedMeanBand([
    [1, 2],
    [3, 6],
  ]);
  const t = studentTQuantile(0.975, 1);
  assert.deepEqual(band.mean, [2, 4]);
  assert.deepEqual(band.lower, [2 - t, 4 - 2 * t]);
  assert.deepEqual(band.upper, [2 + t, 4 + 2 * t]);
  assert.deepEqual(seedMeanBand([[5, 6]]), { mean: [5, 6], lower: null, upper: null });
});

test('suiteIqmSeries: the IQM over seeds × games at the evaluations every seed scored on every game', () => {
  const rows = [
    row(0, 'x', 100, 10),
    row(0, 'y', 100, 30),
    row(1, 'x', 100, 20),
    row(1, 'y', 100, 40),
    row(0, 'x', 200, 50), // y was not scored at 200: the point is left out
  ];
  const series = suiteIqmSeries(rows, 'Proposed', ['x', 'y']);
  assert.deepEqual(series.x, [100]);
  // Pooled 10, 20, 30, 40: the IQM cuts one from each end.
  assert.deepEqual(series.mean, [25]);
  assert.ok((series.lower as number[])[0] <= 25 && (series.upper as number[])[0] >= 25);
  assert.deepEqual(
    suiteIqmSeries(
      rows.filter((r) => r.seed === 0),
      'one seed',
      ['x', 'y'],
    ).lower,
    null,
  );
  assert.equal(runsLabel(rows, [{ label: 'Proposed', filter: () => true }]), 'minatar quick, 2 seeds');
});

test('Figure 2: a panel per game and the suite’s mean with whiskers over games', () => {
  const rows = ['x', 'y'].flatMap((game, g) =>
    ['Net-1', 'Net-3'].flatMap((policy, p) =>
      [0, 1].map((bin) => ({
        game,
        policy,
        bin,
        bin_low: bin,
        bin_high: bin + 1,
        share: bin === p ? 0.5 + 0.25 * g : 0.5 - 0.25 * g,
      })),
    ),
  );
  const [figure2] = distillFigures(['x', 'y'], [5], 5, { suite: 'minatar', preset: 'smoke' });
  assert.equal(figure2.name, FIGURE_NAMES.figure2);
  const columns = Object.fromEntries(Object.keys(rows[0]).map((c) => [c, rows.map((r) => r[c as keyof typeof r])]));
  const figure = figure2.build({ 'state-distribution': table(columns) });
  assert.deepEqual(
    (figure.layout.annotations as { text: string }[]).map((a) => a.text),
    ['<b>x (V_T 0.00 to 2.00)</b>', '<b>y (V_T 0.00 to 2.00)</b>', '<b>all games: mean over 2 games</b>'],
  );
  // Net-1 on the suite panel: bin 1 has 50 % on x and 75 % on y, so 62.5 %, whiskers from the games' resamples.
  const suite = figure.data.filter((t) => t.xaxis === 'x3');
  assert.deepEqual(suite[0].y, [62.5, 37.5]);
  assert.deepEqual((suite[0].error_y as { array: number[] }).array, [12.5, 12.5]);
  assert.match((figure.layout.title as { text: string }).text, /· minatar smoke$/);
});

test('a selection of the plan gets Figure 2 and each curve figure whose every curve has runs', () => {
  const names = (rows: { architecture: string; sampler: string; partitions: number | null }[]) =>
    distillFigures(['x'], [5, 10], 10, {}, (filter) => rows.some((r) => filter(r as never))).map((e) => e.name);
  const architectures = ['proposed', 'dist', 'amn'].map((architecture) => ({
    architecture,
    sampler: 'uniform',
    partitions: null,
  }));
  assert.deepEqual(names(architectures), [FIGURE_NAMES.figure2, FIGURE_NAMES.figure3]);
  // Without AMN, Figure 3 would miss a curve; H-PR p = 10 and ranked complete Figure 4, not p = 5's Figure 5.
  const samplers = [
    ...architectures.slice(0, 2),
    { architecture: 'proposed', sampler: 'ranked', partitions: null },
    { architecture: 'proposed', sampler: 'hierarchical', partitions: 10 },
  ];
  assert.deepEqual(names(samplers), [FIGURE_NAMES.figure2, FIGURE_NAMES.figure4]);
  assert.deepEqual(names([]), [FIGURE_NAMES.figure2]);
});
