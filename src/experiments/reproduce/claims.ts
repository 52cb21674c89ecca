/**
 * The paper's claims checked against our runs: one row per claim, generated from the result tables (so that it
 * cannot disagree with them), each with our figure and its 95 % interval, the paper's figure and a verdict.
 *
 * The rule: a claim holds when its interval lies entirely on the claimed side of its reference value, does not hold
 * when the interval lies entirely on the other side, and is inconclusive at this power when the interval straddles
 * the reference or there is none (one seed; a threshold not reached). A claim whose runs are missing from the
 * preset's plan, have unequal seeds, or come from several presets gets no verdict: "plan incomplete".
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { table } from 'arquero';
import { meanInterval } from '../../stats/confidence';
import { readTable, type TablePaths, type TableSchema, tablePaths, writeTable } from '../../tables';
import { writeFilesAtomically } from '../../util/atomic-write';
import { isPresetName, type PresetName } from '../common/preset-env';
import { planVariants, reproducePlan, variantLabel } from './presets';
import {
  AGGREGATES_TABLE,
  ARCHITECTURES_TABLE,
  DISTILL_CURVES_TABLE,
  GEOMETRIC_MEAN_ROW,
  IQM_STATISTIC,
  improvementStatistic,
  THRESHOLDS_TABLE,
} from './reproduce-tables';
import {
  ANALYSIS_SEED,
  BOOTSTRAP_REPETITIONS,
  type CurveRow,
  partitionSensitivity,
  SLOW_GAMES_ROW,
  samplerImprovement,
} from './results';
import { STATE_DISTRIBUTION_TABLE } from './value-ranges';

export const CLAIMS_TABLE = 'claims';
/** The Markdown rendering written beside the claims table. */
export const CLAIMS_MARKDOWN = 'claims.md';

export type Verdict = 'holds' | 'does not hold' | 'inconclusive at this power' | 'plan incomplete';

export const CLAIMS_SCHEMA: TableSchema = {
  claim: 'utf8',
  source: 'utf8',
  statement: 'utf8',
  paper: 'utf8',
  ours: 'utf8',
  point: 'float64',
  lower: 'float64',
  upper: 'float64',
  holds_if: 'utf8',
  verdict: 'utf8',
  detail: 'utf8',
  plan: 'utf8',
};

export interface ClaimRow {
  /** Short id, e.g. `proposed-over-dist`. */
  readonly claim: string;
  /** Where the paper makes it: `Table 1`, `Figure 2`, … */
  readonly source: string;
  readonly statement: string;
  /** The paper's figure, in words. */
  readonly paper: string;
  /** Our figure and its interval, in words ("–" when there is none). */
  readonly ours: string;
  readonly point: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
  /** The side of the reference value the interval must lie on, e.g. `> 100 %`. */
  readonly holds_if: string;
  readonly verdict: Verdict;
  /** How the figure was computed, and why there is no verdict when there is none. */
  readonly detail: string;
  /** The plan's state (the table's header): the same on every row. */
  readonly plan: string;
}

/** The verdict of an interval against `reference`, the claim being that the value lies `side` it. */
export function verdictOf(
  interval: { readonly lower: number | null; readonly upper: number | null } | null,
  reference: number,
  side: 'above' | 'below',
): Exclude<Verdict, 'plan incomplete'> {
  if (interval === null || interval.lower === null || interval.upper === null) return 'inconclusive at this power';
  const above = interval.lower > reference;
  const below = interval.upper < reference;
  if (side === 'above') return above ? 'holds' : below ? 'does not hold' : 'inconclusive at this power';
  return below ? 'holds' : above ? 'does not hold' : 'inconclusive at this power';
}

export interface PlanStatus {
  /** The claims table's header line. */
  readonly summary: string;
  readonly complete: boolean;
  /** Variants (`variantLabel`) whose runs are missing, or whose seeds differ from the others'. */
  readonly affected: readonly string[];
  readonly mixedPresets: boolean;
  /** The preset's plan the runs were compared with (null when no run names one). */
  readonly preset: PresetName | null;
}

const list = (values: readonly (string | number)[]) => values.join(', ');

/** The label of the variant a curve row belongs to. */
function rowVariant(row: CurveRow): string {
  return variantLabel({
    architecture: row.architecture as never,
    sampler: row.sampler as never,
    partitions: row.partitions ?? undefined,
  });
}

/**
 * Whether `rows` hold the whole plan of their preset (or of `preset`): every variant, each with `seeds` (default:
 * the seeds of all the runs together), all from one preset.
 */
export function planStatus(rows: readonly CurveRow[], preset?: PresetName, seeds?: readonly number[]): PlanStatus {
  const presets = [...new Set(rows.map((r) => r.preset).filter((p): p is string => p !== undefined))].sort();
  const suites = [...new Set(rows.map((r) => r.suite).filter((s): s is string => s !== undefined))].sort();
  const name = preset ?? (presets.length === 1 && isPresetName(presets[0]) ? presets[0] : null);
  if (rows.length === 0 || name === null) {
    const why = rows.length === 0 ? 'no distillation run has finished' : `runs of presets ${list(presets)} mixed`;
    return {
      summary: `Plan incomplete: ${why}; verdicts that need runs are refused.`,
      complete: false,
      affected: [],
      mixedPresets: rows.length > 0,
      preset: null,
    };
  }
  const expected = planVariants(reproducePlan(name)).map(variantLabel);
  const present = new Map<string, Set<number>>();
  for (const row of rows) {
    const label = rowVariant(row);
    if (!present.has(label)) present.set(label, new Set());
    present.get(label)!.add(row.seed);
  }
  const wanted = [...(seeds ?? new Set(rows.map((r) => r.seed)))].sort((a, b) => a - b);
  const missing = expected.filter((v) => !present.has(v));
  const uneven = expected.filter((v) => {
    const own = present.get(v);
    return own !== undefined && (own.size !== wanted.length || wanted.some((s) => !own.has(s)));
  });
  const mixedPresets = presets.length > 1 || (preset !== undefined && presets.some((p) => p !== preset));
  const where = `${list(suites)} ${name}`;
  const complete = missing.length === 0 && uneven.length === 0 && !mixedPresets;
  if (complete)
    return {
      summary: `${where}: ${expected.length} variants × ${wanted.length} seed${wanted.length === 1 ? '' : 's'} (${list(wanted)}); the plan is complete.`,
      complete,
      affected: [],
      mixedPresets,
      preset: name,
    };
  const problems = [
    ...(missing.length > 0 ? [`missing ${list(missing)}`] : []),
    ...(uneven.length > 0
      ? [
          `unequal seeds: ${uneven.map((v) => `${v} has ${list([...(present.get(v) ?? [])].sort((a, b) => a - b))}`).join('; ')} of ${list(wanted)}`,
        ]
      : []),
    ...(mixedPresets ? [`runs of presets ${list(presets)} mixed`] : []),
  ];
  return {
    summary: `Plan incomplete (${where}): ${problems.join('; ')}. Verdicts that need those runs are refused.`,
    complete,
    affected: [...missing, ...uneven],
    mixedPresets,
    preset: name,
  };
}

/** Rows of the tables the claims read (absent tables: empty). */
export interface ClaimTables {
  readonly curves: readonly CurveRow[];
  readonly table1: readonly ({ game: string; architecture: string; measure: string } & IntervalColumns)[];
  readonly aggregates: readonly ({ architecture: string; measure: string; statistic: string } & IntervalColumns)[];
  readonly thresholds: readonly {
    game: string;
    sampler: string;
    threshold_percent: number;
    updates: number | null;
    ratio_to_uniform: number | null;
    ratio_lower: number | null;
    ratio_upper: number | null;
    slow_game: boolean;
  }[];
  readonly stateDistribution: readonly { game: string; policy: string; bin: number; share: number }[];
}

interface IntervalColumns {
  readonly point: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
}

/** Per game, Figure 2's mean bin (1–10) of each policy in the table's order (Net-1 … Net-3), and Net-3 − Net-1. */
export function valueShifts(
  rows: ClaimTables['stateDistribution'],
): { game: string; policies: string[]; meanBins: number[]; shift: number }[] {
  const games = [...new Set(rows.map((r) => r.game))];
  return games.map((game) => {
    const own = rows.filter((r) => r.game === game);
    const policies = [...new Set(own.map((r) => r.policy))];
    const meanBins = policies.map((policy) =>
      own.filter((r) => r.policy === policy).reduce((sum, r) => sum + (r.bin + 1) * r.share, 0),
    );
    return { game, policies, meanBins, shift: meanBins[meanBins.length - 1] - meanBins[0] };
  });
}

/** `valueShifts` of the state-distribution table in `dir` (none when there is no table). */
export function readValueShifts(dir: string): ReturnType<typeof valueShifts> {
  return valueShifts(readRows(STATE_DISTRIBUTION_TABLE, dir));
}

/** The largest difference between the IQMs of H-PR's p values that still counts as "p is insensitive". */
export const PARTITION_MARGIN_POINTS = 10;

const fixed = (value: number, digits: number) => value.toFixed(digits);

/** "point [lower, upper] unit", or "point unit (no interval)"; "–" without a point. */
function formatOurs(value: IntervalColumns | null, unit: string, digits: number, sign = false): string {
  if (value === null || value.point === null) return '–';
  const show = (v: number) => (sign && v > 0 ? '+' : '') + fixed(v, digits);
  const u = unit ? ` ${unit}` : '';
  if (value.lower === null || value.upper === null) return `${show(value.point)}${u} (no interval)`;
  return `${show(value.point)}${u} [${show(value.lower)}, ${show(value.upper)}]`;
}

interface ClaimDefinition {
  readonly claim: string;
  readonly source: string;
  readonly statement: string;
  readonly paper: string;
  /** Variants (labels) whose runs the claim needs. */
  readonly needs: readonly string[];
  readonly reference: number;
  readonly side: 'above' | 'below';
  readonly holdsIf: string;
  readonly unit: string;
  readonly digits: number;
  readonly sign?: boolean;
  /** The value with its interval and how it was computed; null value when the tables have none. */
  evaluate(tables: ClaimTables): { value: IntervalColumns | null; detail: string };
}

function one<T>(rows: readonly T[], pick: (row: T) => boolean): T | null {
  return rows.find(pick) ?? null;
}

const noInterval = (value: IntervalColumns | null, seeds: string) =>
  value !== null && value.point !== null && (value.lower === null || value.upper === null) ? ` ${seeds}` : '';

function definitions(defaultPartitions: number, partitions: readonly number[]): ClaimDefinition[] {
  const uniform = (a: string) => `${a}-uniform`;
  const hpr = (p: number) => `proposed-hpr-p${p}`;
  const aggregate = (architecture: string, measure: string, statistic: string) => (t: ClaimTables) => {
    const row = one(
      t.aggregates,
      (r) => r.architecture === architecture && r.measure === measure && r.statistic === statistic,
    );
    return {
      value: row,
      detail:
        (row
          ? `${statistic} over seeds × games of the ${measure} measure; 95 % stratified bootstrap`
          : `no row '${statistic}' (${measure}) in ${AGGREGATES_TABLE}`) + noInterval(row, '— one seed: no interval'),
    };
  };
  const improvement = (over: string, measure: string, figure: boolean) => ({
    claim: `proposed-over-${over}${figure ? '-auc' : ''}`,
    source: figure ? 'Figure 3' : 'Table 1',
    statement: figure
      ? `The proposed student learns faster than ${over.toUpperCase()} (area under the curve)`
      : `The proposed student beats ${over.toUpperCase()} (best evaluation)`,
    paper: figure
      ? 'converges faster on its 4 slow games; all 10 within 1.5 M steps vs ≥ 2.5 M for DIST and AMN'
      : over === 'dist'
        ? 'higher on 9 of 10 games; geometric mean 103.8 vs 92.4 %'
        : 'higher on 9 of 10 games; geometric mean 103.8 vs 93.5 %',
    needs: [uniform('proposed'), uniform(over)],
    reference: 0.5,
    side: 'above' as const,
    holdsIf: 'P > 0.5',
    unit: '',
    digits: 2,
    evaluate: aggregate('proposed', measure, improvementStatistic('proposed', over)),
  });
  // Table 1's claim that the proposed student matches its teachers: above 100 % of their scores.
  const versusTeachers = {
    source: 'Table 1',
    needs: [uniform('proposed')],
    reference: 100,
    side: 'above' as const,
    holdsIf: '> 100 %',
    unit: '%',
    digits: 1,
  };
  return [
    {
      ...versusTeachers,
      claim: 'proposed-vs-teachers-geometric-mean',
      statement: 'The proposed student scores at least its teachers (geometric mean over games, best evaluation)',
      paper: '103.8 % (10 Atari games, 3 seeds)',
      evaluate: (t) => {
        const row = one(
          t.table1,
          (r) => r.game === GEOMETRIC_MEAN_ROW && r.architecture === 'proposed' && r.measure === 'best',
        );
        return {
          value: row,
          detail:
            (row
              ? 'geometric mean over games of the mean over seeds; 95 % stratified bootstrap over seeds and teacher scores'
              : `no geometric-mean row of the proposed student in ${ARCHITECTURES_TABLE}`) +
            noInterval(row, '— one seed: no interval'),
        };
      },
    },
    {
      ...versusTeachers,
      claim: 'proposed-vs-teachers-iqm',
      statement: 'The proposed student scores at least its teachers (IQM over seeds × games, best evaluation)',
      paper: '102.7 % (IQM of its Table 1 column, computed here)',
      evaluate: aggregate('proposed', 'best', IQM_STATISTIC),
    },
    improvement('dist', 'best', false),
    improvement('amn', 'best', false),
    improvement('dist', 'auc', true),
    improvement('amn', 'auc', true),
    {
      claim: 'hpr-updates-to-threshold',
      source: 'Figure 4',
      statement: 'H-PR reaches the threshold in fewer updates than uniform on the slow games (paper: ≈ 50 %)',
      paper: '≈ 0.5× (Breakout to 300, Q*bert to 4,000 points)',
      needs: [uniform('proposed'), hpr(defaultPartitions)],
      reference: 1,
      side: 'below',
      holdsIf: '< 1×',
      unit: '×',
      digits: 2,
      evaluate: (t) => {
        const row = one(t.thresholds, (r) => r.game === SLOW_GAMES_ROW && r.sampler === 'H-PR');
        if (row === null) return { value: null, detail: `no H-PR row in ${THRESHOLDS_TABLE}` };
        const slow = t.thresholds.filter((r) => r.slow_game && r.game !== SLOW_GAMES_ROW);
        const games = [...new Set(slow.map((r) => r.game))];
        const notReached = slow
          .filter((r) => (r.sampler === 'H-PR' || r.sampler === 'uniform') && r.updates === null)
          .map((r) => `${r.sampler} on ${r.game}`);
        const value = { point: row.ratio_to_uniform, lower: row.ratio_lower, upper: row.ratio_upper };
        const base = `updates to ${row.threshold_percent} % of the teacher, H-PR / uniform, geometric mean over the slow games (${list(games)}); 95 % bootstrap over seeds`;
        const why =
          notReached.length > 0
            ? ` — not reached: ${list(notReached)}`
            : value.point !== null && value.lower === null
              ? ' — no interval (one seed, or resamples that do not reach the threshold)'
              : '';
        return { value, detail: base + why };
      },
    },
    {
      claim: 'hpr-over-uniform-auc',
      source: 'Figure 4',
      statement: `H-PR learns faster than uniform sampling (area under the curve, p = ${defaultPartitions})`,
      paper: 'faster than uniform on Breakout and Q*bert, its slow games',
      needs: [uniform('proposed'), hpr(defaultPartitions)],
      reference: 0.5,
      side: 'above',
      holdsIf: 'P > 0.5',
      unit: '',
      digits: 2,
      evaluate: (t) => {
        const has = (sampler: string) =>
          t.curves.some(
            (r) =>
              r.architecture === 'proposed' &&
              r.sampler === sampler &&
              (sampler !== 'hierarchical' || r.partitions === defaultPartitions),
          );
        if (!has('uniform') || !has('hierarchical'))
          return {
            value: null,
            detail: `the proposed student's uniform and H-PR p = ${defaultPartitions} runs needed in ${DISTILL_CURVES_TABLE}`,
          };
        const value = samplerImprovement(t.curves, defaultPartitions, ANALYSIS_SEED, BOOTSTRAP_REPETITIONS);
        return {
          value,
          detail:
            `P(H-PR p = ${defaultPartitions} > uniform) over seeds × games of the auc measure; 95 % stratified bootstrap` +
            noInterval(value, '— one seed: no interval'),
        };
      },
    },
    {
      claim: 'state-values-shift-with-ability',
      source: 'Figure 2',
      statement: 'Better policies visit higher-valued states (mean bin, Net-3 − Net-1)',
      paper: 'shifts towards higher-valued states from Net-1 to Net-3 (Breakout histograms)',
      needs: [],
      reference: 0,
      side: 'above',
      holdsIf: '> 0 bins',
      unit: 'bins',
      digits: 2,
      sign: true,
      evaluate: (t) => {
        const shifts = valueShifts(t.stateDistribution);
        if (shifts.length === 0) return { value: null, detail: `no ${STATE_DISTRIBUTION_TABLE} table` };
        const values = shifts.map((s) => s.shift);
        const perGame = shifts.map((s) => `${s.game} ${s.shift > 0 ? '+' : ''}${fixed(s.shift, 2)}`).join(', ');
        const detail = `mean over games of the shift in mean bin (1–10 of the teacher's value range): ${perGame}; 95 % Student-t interval over games`;
        if (values.length < 2)
          return { value: { point: values[0], lower: null, upper: null }, detail: `${detail} — one game: no interval` };
        const m = meanInterval(values);
        return { value: { point: m.mean, lower: m.lower, upper: m.upper }, detail };
      },
    },
    {
      claim: 'partition-count-insensitive',
      source: 'Figure 5',
      statement: `H-PR's partition count p matters little (largest IQM difference between p = ${list(partitions)}, area under the curve)`,
      paper: 'moderate impact: every p accelerates learning; p = 5 chosen for memory',
      needs: partitions.map(hpr),
      reference: PARTITION_MARGIN_POINTS,
      side: 'below',
      holdsIf: `< ${PARTITION_MARGIN_POINTS} points`,
      unit: 'points',
      digits: 1,
      evaluate: (t) => {
        const present = partitions.filter((p) =>
          t.curves.some((r) => r.architecture === 'proposed' && r.sampler === 'hierarchical' && r.partitions === p),
        );
        if (present.length < partitions.length || present.length < 2)
          return { value: null, detail: `H-PR runs of p = ${list(partitions)} needed in ${DISTILL_CURVES_TABLE}` };
        const s = partitionSensitivity(t.curves, partitions, ANALYSIS_SEED, BOOTSTRAP_REPETITIONS);
        const iqms = s.partitions.map((p, i) => `p = ${p}: ${formatOurs(s.iqm[i], '%', 1)}`).join('; ');
        return {
          value: s.largestDifference,
          detail:
            `IQM of the area under the curve (% of teacher) — ${iqms}; largest difference with a 95 % stratified bootstrap; ` +
            `margin ${PARTITION_MARGIN_POINTS} points of the teachers' scores` +
            noInterval(s.largestDifference, '— one seed: no interval'),
        };
      },
    },
  ];
}

/** Every claim against `tables`; `preset` and `seeds` name the plan the runs are checked against (see `planStatus`). */
export function evaluateClaims(tables: ClaimTables, preset?: PresetName, seeds?: readonly number[]): ClaimRow[] {
  const status = planStatus(tables.curves, preset, seeds);
  const plan = reproducePlan(status.preset ?? 'full');
  return definitions(plan.defaultPartitions, plan.partitions).map((d) => {
    const refused =
      d.needs.length > 0 &&
      (status.preset === null || status.mixedPresets || d.needs.some((v) => status.affected.includes(v)));
    const { value, detail } = refused
      ? { value: null, detail: `needs the runs of ${list(d.needs)}` }
      : d.evaluate(tables);
    return {
      claim: d.claim,
      source: d.source,
      statement: d.statement,
      paper: d.paper,
      ours: formatOurs(value, d.unit, d.digits, d.sign),
      point: value?.point ?? null,
      lower: value?.lower ?? null,
      upper: value?.upper ?? null,
      holds_if: d.holdsIf,
      verdict: refused ? 'plan incomplete' : verdictOf(value, d.reference, d.side),
      detail,
      plan: status.summary,
    };
  });
}

function readRows<T>(name: string, dir: string): T[] {
  return existsSync(tablePaths(name, dir).arrow) ? (readTable(name, [], dir).objects() as T[]) : [];
}

/** The claims from the result tables in `dir` (missing tables count as missing runs). */
export function claimsFromTables(dir: string, preset?: PresetName, seeds?: readonly number[]): ClaimRow[] {
  return evaluateClaims(
    {
      curves: readRows(DISTILL_CURVES_TABLE, dir),
      table1: readRows(ARCHITECTURES_TABLE, dir),
      aggregates: readRows(AGGREGATES_TABLE, dir),
      thresholds: readRows(THRESHOLDS_TABLE, dir),
      stateDistribution: readRows(STATE_DISTRIBUTION_TABLE, dir),
    },
    preset,
    seeds,
  );
}

const escapeCell = (text: string) => text.replaceAll('|', '\\|');

/** The claims as Markdown: the plan's state, a table (rows of `sources` only, when given), the rule and the notes. */
export function claimsMarkdown(rows: readonly ClaimRow[], sources?: readonly string[]): string[] {
  const shown = sources ? rows.filter((r) => sources.includes(r.source)) : rows;
  if (rows.length === 0) return [];
  const lines = [
    '**The paper’s claims against these runs** (Yin & Pan 2017)',
    '',
    `_${rows[0].plan}_`,
    '',
    '| # | source | claim | paper | ours [95 % interval] | holds if | verdict |',
    '| ---: | --- | --- | --- | --- | --- | --- |',
    ...shown.map(
      (r) =>
        `| ${rows.indexOf(r) + 1} | ${r.source} | ${escapeCell(r.statement)} | ${escapeCell(r.paper)} | ${escapeCell(r.ours)} | ${r.holds_if} | **${r.verdict}** |`,
    ),
    '',
    'Rule: a claim holds when its interval lies entirely on the claimed side, does not hold when it lies entirely on the other, and is inconclusive at this power when it straddles the reference (or has none); claims whose runs are missing, have unequal seeds or mix presets get no verdict (plan incomplete).',
    '',
    ...shown.map((r) => `${rows.indexOf(r) + 1}. ${escapeCell(r.detail)}`),
  ];
  return lines;
}

/** One claim in a sentence, for a notebook's text: what the paper says, what we measure, the verdict. */
export function claimSentence(row: ClaimRow): string {
  const reference = row.holds_if.replace(/^(P )?[<>] /, '');
  const verdict =
    row.verdict === 'plan incomplete'
      ? `no verdict, the plan is incomplete (${row.detail})`
      : row.verdict !== 'inconclusive at this power'
        ? `${row.verdict}: the interval lies entirely ${row.verdict === 'holds' ? 'on the claimed side' : 'on the other side'} of ${reference} (${row.detail})`
        : row.lower === null || row.upper === null
          ? `inconclusive at this power: there is no interval (${row.detail})`
          : `inconclusive at this power: the interval straddles ${reference} (${row.detail})`;
  return `${row.source} — ${row.statement}. Paper: ${row.paper}. Here: ${row.ours}. Verdict: ${verdict}.`;
}

/** Writes the claims table (Arrow + CSV) and its Markdown rendering (claims.md) into `dir`. */
export function writeClaims(rows: readonly ClaimRow[], dir: string): TablePaths & { markdown: string } {
  const columns = Object.fromEntries(
    Object.keys(CLAIMS_SCHEMA).map((name) => [name, rows.map((r) => r[name as keyof ClaimRow])]),
  );
  const paths = writeTable(CLAIMS_TABLE, table(columns), CLAIMS_SCHEMA, dir);
  const markdown = join(dir, CLAIMS_MARKDOWN);
  writeFilesAtomically([{ path: markdown, content: `${claimsMarkdown(rows).join('\n')}\n` }]);
  return { ...paths, markdown };
}

/** The claims table in `dir` read back (empty when there is none). */
export function readClaims(dir: string): ClaimRow[] {
  return readRows<ClaimRow>(CLAIMS_TABLE, dir);
}
