import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readTable } from '../../tables';
import {
  CURVE_RISE_MARKDOWN,
  CURVE_RISE_TABLE,
  curveRiseByCut,
  curveRiseMarkdown,
  curveRiseTable,
  lastQuarters,
  riseSummaryLine,
  riseVerdict,
  runsName,
  writeCurveRise,
} from './curve-rise';
import type { CurveRow } from './results';

test('lastQuarters: the last ⌈n/4⌉ evaluations and the ⌈n/4⌉ before them', () => {
  assert.deepEqual(lastQuarters([0, 1, 2, 3, 4, 5, 6, 7]), { previous: 4.5, last: 6.5 });
  // n = 5: ⌈5/4⌉ = 2, so [1, 2] and [3, 4]; the first evaluation belongs to neither.
  assert.deepEqual(lastQuarters([100, 1, 2, 3, 4]), { previous: 1.5, last: 3.5 });
  assert.deepEqual(lastQuarters([10, 30]), { previous: 10, last: 30 });
  assert.throws(() => lastQuarters([5]), /at least 2 evaluations, got 1/);
});

test('riseVerdict: flat within the band, rising or falling beyond zero, else inconclusive', () => {
  assert.equal(riseVerdict(-1, 4, 5), 'flat');
  assert.equal(riseVerdict(-5, 5, 5), 'flat');
  assert.equal(riseVerdict(0.5, 7, 5), 'rising');
  assert.equal(riseVerdict(0.5, 4, 5), 'flat');
  assert.equal(riseVerdict(-7, -0.5, 5), 'falling');
  assert.equal(riseVerdict(-2, 7, 5), 'inconclusive');
  assert.equal(riseVerdict(null, null, 5), 'inconclusive');
  assert.equal(riseVerdict(-2, 3, 2), 'inconclusive');
});

const row = (
  architecture: string,
  sampler: string,
  seed: number,
  game: string,
  updates: number,
  percent: number | null,
): CurveRow => ({
  suite: 'minatar',
  preset: 'quick',
  architecture,
  sampler,
  partitions: sampler === 'hierarchical' ? 5 : null,
  seed,
  game,
  updates,
  score: percent === null ? null : percent / 10,
  teacher_score: 10,
  percent_of_teacher: percent,
});

/** Curves of four evaluations (updates 100 … 400): per seed, the last evaluation minus the third is its rise. */
function curves(): CurveRow[] {
  const of = (architecture: string, sampler: string, seed: number, game: string, percents: (number | null)[]) =>
    percents.map((p, k) => row(architecture, sampler, seed, game, 100 * (k + 1), p));
  return [
    // Rises 10, 20, 30: mean 20, s = 10, t(0.975, 2) = 4.3027, half-width 24.84.
    ...of('proposed', 'uniform', 0, 'breakout', [0, 0, 30, 40]),
    ...of('proposed', 'uniform', 1, 'breakout', [0, 0, 50, 70]),
    ...of('proposed', 'uniform', 2, 'breakout', [0, 0, 40, 70]),
    // Rises 1, 2, 3: mean 2, s = 1, half-width 4.3027 / √3 = 2.4841.
    ...of('proposed', 'uniform', 0, 'freeway', [50, 90, 95, 96]),
    ...of('proposed', 'uniform', 1, 'freeway', [50, 90, 95, 97]),
    ...of('proposed', 'uniform', 2, 'freeway', [50, 90, 95, 98]),
    // Barely off zero: rises 0.8, 0.9, 1.0 (half-width 0.2484) at a level of 3.9, whose 5 % band is ±0.195.
    ...of('proposed', 'uniform', 0, 'asterix', [0, 0, 3, 3.8]),
    ...of('proposed', 'uniform', 1, 'asterix', [0, 0, 3, 3.9]),
    ...of('proposed', 'uniform', 2, 'asterix', [0, 0, 3, 4]),
    // One seed, and an evaluation without a completed episode left out: 3 evaluations, ⌈3/4⌉ = 1.
    ...of('proposed', 'hierarchical', 0, 'breakout', [10, null, 20, 25]),
  ];
}

test('curveRiseTable: per variant and game, the rise over seeds with its Student-t interval and verdict', () => {
  const table = curveRiseTable(curves());
  assert.equal(table.length, 4);
  const [breakout, freeway, asterix, hpr] = table;
  assert.deepEqual(
    { ...breakout, lower: Number(breakout.lower?.toFixed(4)), upper: Number(breakout.upper?.toFixed(4)) },
    {
      cut_quarters: 4,
      architecture: 'proposed',
      sampler: 'uniform',
      partitions: null,
      game: 'breakout',
      seeds: 3,
      evaluations: 4,
      updates: 400,
      previous_quarter: 40,
      last_quarter: 60,
      rise: 20,
      lower: -4.8414,
      upper: 44.8414,
      band: 3,
      verdict: 'inconclusive',
    },
  );
  assert.equal(freeway.rise, 2);
  assert.equal(freeway.lower?.toFixed(4), '-0.4841');
  assert.equal(freeway.upper?.toFixed(4), '4.4841');
  assert.equal(freeway.band, 4.8500000000000005);
  assert.equal(freeway.verdict, 'flat');
  assert.deepEqual(
    [asterix.rise.toFixed(4), asterix.lower?.toFixed(4), asterix.band.toFixed(4), asterix.verdict],
    ['0.9000', '0.6516', '0.1950', 'rising'],
  );
  assert.deepEqual(
    [hpr.partitions, hpr.seeds, hpr.evaluations, hpr.previous_quarter, hpr.last_quarter, hpr.rise],
    [5, 1, 3, 20, 25, 5],
  );
  assert.deepEqual([hpr.lower, hpr.upper, hpr.band, hpr.verdict], [null, null, 1.25, 'inconclusive']);
});

test('the rise in Markdown and in the summary line, with the runs named and the verdicts counted', () => {
  const rows = curves();
  const table = curveRiseTable(rows);
  assert.equal(runsName(rows), 'minatar quick');
  assert.deepEqual(curveRiseMarkdown(table, runsName(rows)), [
    '**Do the curves still rise at this budget?**',
    '',
    '_minatar quick: 400 updates, 3 or 1 seeds per variant; 1 flat, 1 rising, 2 inconclusive of 4 curves._',
    '',
    '| variant | game | quarter before the last | last quarter | rise [95 % interval] | flat within | verdict |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- |',
    '| proposed/uniform | breakout | 40.0 | 60.0 | +20.0 [−4.8, +44.8] | ±3.0 | inconclusive |',
    '| proposed/uniform | freeway | 95.0 | 97.0 | +2.0 [−0.5, +4.5] | ±4.9 | flat |',
    '| proposed/uniform | asterix | 3.0 | 3.9 | +0.9 [+0.7, +1.1] | ±0.2 | rising |',
    '| proposed/H-PR p=5 | breakout | 20.0 | 25.0 | +5.0 (1 seed) | ±1.3 | inconclusive |',
    '',
    "Rule: per seed, the rise is the mean of the last quarter of the run's evaluations minus the mean of the quarter before, in points of % of teacher; the interval is Student t over seeds. A curve is flat when the interval lies within ±5 % of its last quarter's level (a significant rise smaller than that included), rising when it lies above 0, falling when below, and inconclusive otherwise (or with one seed). Each interval is 95 % on its own, with no correction for the many curves.",
  ]);
  assert.equal(
    riseSummaryLine(table),
    'curves over their last quarter, at 400 updates: 1 flat, 1 rising, 2 inconclusive of 4 (flat: the rise within ±5 % of the level)',
  );
  assert.deepEqual(curveRiseMarkdown([], 'none'), []);
  // Cut at 100 updates, every curve has one evaluation: no row. At 200, proposed's breakout and asterix sit at 0
  // (a rise of exactly 0 within a band of 0) and its freeway rises 40; H-PR's curve has one scored evaluation.
  assert.deepEqual(curveRiseMarkdown(curveRiseByCut(rows), runsName(rows)).slice(-7), [
    '',
    '**At shorter budgets**: the same rule on every run cut after a quarter, a half and three quarters of its updates.',
    '',
    '| variant | at 200 | at 300 | at 400 |',
    '| --- | --- | --- | --- |',
    '| proposed/uniform | 2 flat, 1 rising | 3 rising | 1 flat, 1 rising, 1 inconclusive |',
    '| proposed/H-PR p=5 | – | 1 inconclusive | 1 inconclusive |',
  ]);
});

test('writeCurveRise writes the table and its Markdown, which read back', () => {
  const dir = mkdtempSync(join(tmpdir(), 'curve-rise-'));
  try {
    const written = writeCurveRise(curves(), dir);
    assert.equal(written.markdown, join(dir, CURVE_RISE_MARKDOWN));
    const back = readTable(CURVE_RISE_TABLE, [], dir).objects() as Record<string, unknown>[];
    assert.deepEqual(
      back.map((r) => r.cut_quarters),
      [2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4],
    );
    assert.deepEqual(
      back.filter((r) => r.cut_quarters === 4).map((r) => [r.game, r.sampler, r.partitions, r.verdict]),
      [
        ['breakout', 'uniform', null, 'inconclusive'],
        ['freeway', 'uniform', null, 'flat'],
        ['asterix', 'uniform', null, 'rising'],
        ['breakout', 'hierarchical', 5, 'inconclusive'],
      ],
    );
    assert.match(readFileSync(written.markdown, 'utf8'), /\| proposed\/uniform \| freeway \| 95\.0 \| 97\.0 \|/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('each variant is cut at quarters of its own budget, whatever the budgets of the others', () => {
  // A variant of 2 evaluations (100, 200) beside one of 4 (100 … 400): at half its budget, 100 updates, the short one
  // has a single evaluation (no row); the long one is cut at 200.
  const short = [0, 1, 2].flatMap((seed) => [
    row('amn', 'uniform', seed, 'x', 100, 10),
    row('amn', 'uniform', seed, 'x', 200, 20 + seed),
  ]);
  const long = [0, 1, 2].flatMap((seed) =>
    [100, 200, 300, 400].map((u) => row('dist', 'uniform', seed, 'x', u, u / 10 + seed)),
  );
  const half = curveRiseTable([...short, ...long], 2);
  assert.deepEqual(
    half.map((r) => [r.architecture, r.updates, r.evaluations]),
    [['dist', 200, 2]],
  );
  assert.deepEqual(
    curveRiseTable([...short, ...long]).map((r) => [r.architecture, r.updates, r.rise]),
    [
      ['amn', 200, 11],
      ['dist', 400, 10],
    ],
  );
});
