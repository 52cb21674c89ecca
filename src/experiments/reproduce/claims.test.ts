import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { table } from 'arquero';
import { writeTable } from '../../tables';
import { withTeacherIntervals, writeAnalysisTables } from './analysis';
import { type ClaimRow, claimSentence, claimsMarkdown, planStatus, readClaims, verdictOf } from './claims';
import { reproducePlan } from './presets';
import type { CurveRow } from './results';
import { STATE_DISTRIBUTION_SCHEMA, STATE_DISTRIBUTION_TABLE } from './value-ranges';

const dir = mkdtempSync(join(tmpdir(), 'claims-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('verdictOf: entirely on the claimed side holds, entirely on the other does not, straddling is inconclusive', () => {
  assert.equal(verdictOf({ lower: 101, upper: 120 }, 100, 'above'), 'holds');
  assert.equal(verdictOf({ lower: 80, upper: 99 }, 100, 'above'), 'does not hold');
  assert.equal(verdictOf({ lower: 90, upper: 110 }, 100, 'above'), 'inconclusive at this power');
  assert.equal(verdictOf({ lower: 100, upper: 110 }, 100, 'above'), 'inconclusive at this power'); // touching
  assert.equal(verdictOf({ lower: 0.3, upper: 0.6 }, 1, 'below'), 'holds');
  assert.equal(verdictOf({ lower: 1.2, upper: 3 }, 1, 'below'), 'does not hold');
  assert.equal(verdictOf({ lower: null, upper: null }, 1, 'below'), 'inconclusive at this power');
  assert.equal(verdictOf(null, 1, 'below'), 'inconclusive at this power');
});

type Variant = { architecture: string; sampler: string; partitions: number | null };
const UNIFORM = (architecture: string): Variant => ({ architecture, sampler: 'uniform', partitions: null });
const RANKED: Variant = { architecture: 'proposed', sampler: 'ranked', partitions: null };
const HPR = (p: number): Variant => ({ architecture: 'proposed', sampler: 'hierarchical', partitions: p });

/** One run on games x and y (teachers 10 [9, 11] and 20 [18, 22]): the same % of teacher at each evaluation on both. */
function run(variant: Variant, seed: number, percents: readonly number[]): CurveRow[] {
  return percents.flatMap((percent, k) =>
    ['x', 'y'].map((game, g) => ({
      suite: 'minatar',
      preset: 'smoke',
      ...variant,
      seed,
      game,
      updates: 100 * (k + 1),
      score: (percent * 10 * (g + 1)) / 100,
      teacher_score: 10 * (g + 1),
      teacher_ci_low: 9 * (g + 1),
      teacher_ci_high: 11 * (g + 1),
      percent_of_teacher: percent,
    })),
  );
}

/** Every seed of a variant; `percents(seed)` its curve. */
const seeds = (variant: Variant, percents: (seed: number) => number[], count = 3) =>
  Array.from({ length: count }, (_, s) => run(variant, s, percents(s))).flat();

/** Figure 2's table: per game, Net-1 … Net-3 put all their states in one bin each (`bins`, 0-based). */
function stateDistribution(bins: Record<string, [number, number, number]>): string {
  const stage = mkdtempSync(join(dir, 'stage-'));
  const rows = Object.entries(bins).flatMap(([game, at]) =>
    ['Net-1', 'Net-2', 'Net-3'].flatMap((policy, p) =>
      Array.from({ length: 10 }, (_, bin) => ({
        game,
        policy,
        epsilon: 0.05,
        bin,
        bin_low: bin,
        bin_high: bin + 1,
        share: bin === at[p] ? 1 : 0,
      })),
    ),
  );
  const columns = Object.fromEntries(
    Object.keys(STATE_DISTRIBUTION_SCHEMA).map((c) => [c, rows.map((r) => r[c as keyof (typeof rows)[number]])]),
  );
  writeTable(STATE_DISTRIBUTION_TABLE, table(columns), STATE_DISTRIBUTION_SCHEMA, stage);
  return stage;
}

/** The claims of `rows` through the tables, as reproduce makes them (smoke's plan, seeds 0–2). */
function claimsOf(rows: readonly CurveRow[], stage: string): ClaimRow[] {
  const out = mkdtempSync(join(dir, 'tables-'));
  const plan = { ...reproducePlan('smoke'), seeds: [0, 1, 2] };
  writeAnalysisTables({ rows, returns: [], preset: 'smoke', plan, stage }, out);
  return readClaims(out);
}

const verdicts = (claims: readonly ClaimRow[]) => Object.fromEntries(claims.map((c) => [c.claim, c.verdict]));

test('claims that hold: the proposed student above its teachers and the baselines, H-PR faster, p insensitive', () => {
  const strong = (s: number) => [50, 95, 150 + s];
  const weak = (s: number) => [20, 40, 50 + s];
  const rows = [
    ...seeds(UNIFORM('proposed'), strong),
    ...seeds(UNIFORM('dist'), weak),
    ...seeds(UNIFORM('amn'), weak),
    ...seeds(RANKED, strong),
    // H-PR reaches 90 % at update 100, uniform at 200, whichever seeds a resample draws: ratio 0.5 exactly.
    ...seeds(HPR(5), (s) => [95, 120, 150 + s]),
    ...seeds(HPR(10), (s) => [95, 120, 150 + s]),
  ];
  // Net-1 → Net-3 moves up 2, 3 and 2 bins.
  const claims = claimsOf(rows, stateDistribution({ x: [2, 3, 4], y: [1, 2, 4], z: [5, 6, 7] }));
  assert.deepEqual(verdicts(claims), {
    'proposed-vs-teachers-geometric-mean': 'holds',
    'proposed-vs-teachers-iqm': 'holds',
    'proposed-over-dist': 'holds',
    'proposed-over-amn': 'holds',
    'proposed-over-dist-auc': 'holds',
    'proposed-over-amn-auc': 'holds',
    'hpr-updates-to-threshold': 'holds',
    'hpr-over-uniform-auc': 'holds',
    'state-values-shift-with-ability': 'holds',
    'partition-count-insensitive': 'holds',
  });
  const byId = Object.fromEntries(claims.map((c) => [c.claim, c]));
  assert.deepEqual(
    [
      byId['hpr-updates-to-threshold'].point,
      byId['hpr-updates-to-threshold'].lower,
      byId['hpr-updates-to-threshold'].upper,
    ],
    [0.5, 0.5, 0.5],
  );
  assert.equal(byId['hpr-updates-to-threshold'].ours, '0.50 × [0.50, 0.50]');
  // H-PR's areas under the curve, (365 + s) / 3, lie above uniform's, (295 + s) / 3, on every game: P = 1.
  assert.equal(byId['hpr-over-uniform-auc'].ours, '1.00 [1.00, 1.00]');
  // Shifts 2, 3, 2: mean 2.33, t(0.975, 2) · 0.577 / √3 = 1.43.
  assert.equal(byId['state-values-shift-with-ability'].ours, '+2.33 bins [+0.90, +3.77]');
  // The same curves for p = 5 and 10: no difference, and resamples that differ only by the seeds they draw.
  assert.equal(byId['partition-count-insensitive'].point, 0);
  assert.ok((byId['partition-count-insensitive'].upper as number) < 1);
  assert.equal(claims[0].plan, 'minatar smoke: 6 variants × 3 seeds (0, 1, 2); the plan is complete.');
  // The geometric mean's interval carries the teachers' ±10 %: wider than the seeds' alone.
  const geo = byId['proposed-vs-teachers-geometric-mean'];
  assert.ok((geo.lower as number) < 145 && (geo.upper as number) > 160, geo.ours);
  assert.match(
    claimSentence(byId['proposed-over-dist']),
    /^Table 1 — The proposed student beats DIST .* Verdict: holds/,
  );
});

test('claims that do not hold: a weak proposed student, H-PR slower, p matters, values falling with ability', () => {
  const strong = (s: number) => [50, 95, 150 + s];
  const weak = (s: number) => [20, 40, 50 + s];
  const rows = [
    // Its best, 95 %, lies below teachers known to ±1 %.
    ...seeds(UNIFORM('proposed'), (s) => [50, 95, 60 + s]),
    ...seeds(UNIFORM('dist'), strong),
    ...seeds(UNIFORM('amn'), strong),
    ...seeds(RANKED, weak),
    // H-PR first reaches 90 % at update 300, uniform at 200: ratio 1.5.
    ...seeds(HPR(5), (s) => [20, 50, 95 + s]),
    ...seeds(HPR(10), (s) => [10, 10, 10 + s]),
  ];
  const narrow = (r: CurveRow) => ({
    ...r,
    teacher_ci_low: 0.99 * r.teacher_score,
    teacher_ci_high: 1.01 * r.teacher_score,
  });
  const claims = claimsOf(rows.map(narrow), stateDistribution({ x: [5, 4, 2], y: [6, 4, 3], z: [9, 8, 7] }));
  assert.deepEqual(verdicts(claims), {
    'proposed-vs-teachers-geometric-mean': 'does not hold',
    'proposed-vs-teachers-iqm': 'does not hold',
    'proposed-over-dist': 'does not hold',
    'proposed-over-amn': 'does not hold',
    'proposed-over-dist-auc': 'does not hold',
    'proposed-over-amn-auc': 'does not hold',
    'hpr-updates-to-threshold': 'does not hold',
    'hpr-over-uniform-auc': 'does not hold',
    'state-values-shift-with-ability': 'does not hold',
    'partition-count-insensitive': 'does not hold',
  });
});

test('inconclusive at this power: intervals that straddle the reference, or none', () => {
  // Proposed's best evaluations 60, 100 and 145 % straddle 100; dist and amn tie with it; a threshold nobody reaches.
  const noisy = (s: number) => [10, 20, [60, 100, 145][s]];
  const rows = [
    ...seeds(UNIFORM('proposed'), noisy),
    ...seeds(UNIFORM('dist'), noisy),
    ...seeds(UNIFORM('amn'), noisy),
    ...seeds(RANKED, noisy),
    ...seeds(HPR(5), (s) => [10, 20, 30 + s]),
    ...seeds(HPR(10), (s) => [10, 20, 30 + 10 * s]),
  ];
  // Shifts +2, −1, +1: the interval over games straddles 0. One game only would give no interval at all.
  const claims = claimsOf(rows, stateDistribution({ x: [2, 3, 4], y: [4, 3, 3], z: [5, 5, 6] }));
  const v = verdicts(claims);
  for (const id of [
    'proposed-vs-teachers-geometric-mean',
    'proposed-vs-teachers-iqm',
    'proposed-over-dist',
    'proposed-over-amn',
    'hpr-updates-to-threshold',
    'state-values-shift-with-ability',
  ])
    assert.equal(v[id], 'inconclusive at this power', id);
  const hpr = claims.find((c) => c.claim === 'hpr-updates-to-threshold') as ClaimRow;
  assert.equal(hpr.ours, '–');
  assert.match(hpr.detail, /not reached: H-PR on x$/);
  const oneGame = claimsOf(rows, stateDistribution({ x: [2, 3, 4] }));
  assert.equal(verdicts(oneGame)['state-values-shift-with-ability'], 'inconclusive at this power');
});

test('plan incomplete: missing variants and unequal seeds refuse the verdicts that need them, and the header says so', () => {
  const strong = (s: number) => [50, 95, 150 + s];
  const rows = [
    ...seeds(UNIFORM('proposed'), strong),
    ...seeds(UNIFORM('dist'), strong, 2), // seeds 0 and 1 of 0, 1, 2
    ...seeds(RANKED, strong),
    ...seeds(HPR(5), (s) => [95, 120, 150 + s]),
    ...seeds(HPR(10), (s) => [95, 120, 150 + s]),
  ];
  const claims = claimsOf(rows, stateDistribution({ x: [2, 3, 4], y: [1, 2, 4], z: [5, 6, 7] }));
  assert.equal(
    claims[0].plan,
    'Plan incomplete (minatar smoke): missing amn-uniform; unequal seeds: dist-uniform has 0, 1 of 0, 1, 2. ' +
      'Verdicts that need those runs are refused.',
  );
  assert.deepEqual(verdicts(claims), {
    'proposed-vs-teachers-geometric-mean': 'holds',
    'proposed-vs-teachers-iqm': 'holds',
    'proposed-over-dist': 'plan incomplete',
    'proposed-over-amn': 'plan incomplete',
    'proposed-over-dist-auc': 'plan incomplete',
    'proposed-over-amn-auc': 'plan incomplete',
    'hpr-updates-to-threshold': 'holds',
    'hpr-over-uniform-auc': 'holds',
    'state-values-shift-with-ability': 'holds',
    'partition-count-insensitive': 'holds',
  });
  // No runs at all, or runs of two presets: every verdict that needs runs is refused.
  assert.equal(
    planStatus([]).summary,
    'Plan incomplete: no distillation run has finished; verdicts that need runs are refused.',
  );
  const mixed = [...rows, ...run(UNIFORM('amn'), 0, [1]).map((r) => ({ ...r, preset: 'quick' }))];
  assert.equal(planStatus(mixed).mixedPresets, true);
  const refused = claimsOf(mixed, stateDistribution({ x: [2, 3, 4], y: [1, 2, 4] }));
  assert.deepEqual(
    refused.filter((c) => c.verdict !== 'plan incomplete').map((c) => c.claim),
    ['state-values-shift-with-ability'],
  );
});

test('the Markdown rendering: the plan’s state, one row per claim, the rule; written beside the table', () => {
  const rows = seeds(UNIFORM('proposed'), (s) => [50, 95, 150 + s]);
  const out = mkdtempSync(join(dir, 'markdown-'));
  const plan = { ...reproducePlan('smoke'), seeds: [0, 1, 2] };
  const stage = stateDistribution({ x: [2, 3, 4], y: [1, 2, 4] });
  const files = writeAnalysisTables({ rows, returns: [], preset: 'smoke', plan, stage }, out);
  const markdown = readFileSync(files.find((f) => f.endsWith('claims.md')) as string, 'utf8').split('\n');
  assert.equal(markdown[0], '**The paper’s claims against these runs** (Yin & Pan 2017)');
  assert.match(markdown[2], /^_Plan incomplete \(minatar smoke\): missing dist-uniform, amn-uniform, proposed-ranked/);
  assert.equal(markdown[4], '| # | source | claim | paper | ours [95 % interval] | holds if | verdict |');
  assert.match(markdown[6], /^\| 1 \| Table 1 \| .* \| 103\.8 % .* \| > 100 % \| \*\*holds\*\* \|$/);
  assert.deepEqual(claimsMarkdown(readClaims(out), ['Figure 2']).filter((l) => l.startsWith('| 9 ')).length, 1);
  assert.equal(claimsMarkdown(readClaims(out), ['Figure 2']).filter((l) => /^\| \d/.test(l)).length, 1);
});

test('withTeacherIntervals: curves of runs finished before the interval was recorded get their teacher’s', () => {
  const [recorded, old] = run(UNIFORM('proposed'), 0, [50]);
  const missing = { ...old, teacher_ci_low: null, teacher_ci_high: null };
  assert.deepEqual(withTeacherIntervals([recorded, missing], { x: [1, 2], y: [3, 4] }), [
    recorded,
    { ...missing, teacher_ci_low: 3, teacher_ci_high: 4 },
  ]);
});
