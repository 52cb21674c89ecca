/**
 * Whether a budget was long enough: how much each variant's learning curve still rises over the last quarter of its
 * evaluations, per game. Per seed, the rise is the mean of the last quarter of the run's evaluations (its final
 * score) minus the mean of the quarter before, in points of % of teacher; over seeds, a 95 % Student-t interval. A
 * curve is flat when that interval lies within ± `FLAT_FRACTION` of the last quarter's level, rising (falling) when
 * it lies above (below) zero, and inconclusive otherwise, or with one seed. The band is relative because a curve that
 * has barely left zero moves by few points while it grows by half (an absolute band called such curves flat).
 */
import { join } from 'node:path';
import { table } from 'arquero';
import { mean } from '../../stats/aggregate';
import { meanInterval } from '../../stats/confidence';
import { type TablePaths, type TableSchema, writeTable } from '../../tables';
import { writeFilesAtomically } from '../../util/atomic-write';
import { type CurveRow, curveVariantLabel, lastQuarterLength, seedCurves } from './results';

/** Half-width of the band a flat curve's rise lies within, as a fraction of its last quarter's mean level. */
export const FLAT_FRACTION = 0.05;

export const CURVE_RISE_TABLE = 'curve-rise';
export const CURVE_RISE_MARKDOWN = 'curve-rise.md';

export type RiseVerdict = 'flat' | 'rising' | 'falling' | 'inconclusive';

export interface CurveRiseRow {
  /** The curves cut at this many quarters of the runs' updates (4: whole runs), to see when they flatten. */
  readonly cut_quarters: number;
  readonly architecture: string;
  readonly sampler: string;
  readonly partitions: number | null;
  readonly game: string;
  readonly seeds: number;
  /** Evaluations every seed scored, and the update count of the last. */
  readonly evaluations: number;
  readonly updates: number;
  /** Means over seeds, in % of teacher, of the quarter before the last and of the last quarter. */
  readonly previous_quarter: number;
  readonly last_quarter: number;
  /** Mean over seeds of last − previous, and its 95 % interval (null with one seed). */
  readonly rise: number;
  readonly lower: number | null;
  readonly upper: number | null;
  /** Half-width of the flat band: `FLAT_FRACTION` of the last quarter's level (0 for a level ≤ 0). */
  readonly band: number;
  readonly verdict: RiseVerdict;
}

export const CURVE_RISE_SCHEMA: TableSchema = {
  cut_quarters: 'int32',
  architecture: 'utf8',
  sampler: 'utf8',
  partitions: 'int32',
  game: 'utf8',
  seeds: 'int32',
  evaluations: 'int32',
  updates: 'int32',
  previous_quarter: 'float64',
  last_quarter: 'float64',
  rise: 'float64',
  lower: 'float64',
  upper: 'float64',
  band: 'float64',
  verdict: 'utf8',
};

/**
 * The means of the quarter before the last and of the last quarter of one run's curve: the last ⌈n/4⌉ evaluations
 * (the final score's, results.ts's `runMeasure`) and the ⌈n/4⌉ before them.
 */
export function lastQuarters(curve: readonly number[]): { previous: number; last: number } {
  const q = lastQuarterLength(curve.length);
  if (curve.length < 2) throw new RangeError(`a rise needs at least 2 evaluations, got ${curve.length}`);
  return { previous: mean(curve.slice(-2 * q, -q)), last: mean(curve.slice(-q)) };
}

/**
 * The verdict on a rise's interval (null bounds: one seed, no interval). Flat comes first: a rise that is significant
 * but smaller than the band is flat.
 */
export function riseVerdict(lower: number | null, upper: number | null, band: number): RiseVerdict {
  if (lower === null || upper === null) return 'inconclusive';
  if (lower >= -band && upper <= band) return 'flat';
  if (lower > 0) return 'rising';
  if (upper < 0) return 'falling';
  return 'inconclusive';
}

/**
 * One row per variant and game of `rows` (variants and games in the order they first appear), each variant's curves
 * cut after `cutQuarters` quarters of its last evaluation's update count (4, the default: whole).
 */
export function curveRiseTable(rows: readonly CurveRow[], cutQuarters = 4, fraction = FLAT_FRACTION): CurveRiseRow[] {
  const variants = [...new Map(rows.map((r) => [curveVariantLabel(r), r])).values()];
  const games = [...new Set(rows.map((r) => r.game))];
  return variants.flatMap((variant) => {
    const all = rows.filter((r) => curveVariantLabel(r) === curveVariantLabel(variant));
    const budget = Math.max(...all.map((r) => r.updates));
    const own = all.filter((r) => r.updates <= (budget * cutQuarters) / 4);
    return games.flatMap((game) => {
      const curves = seedCurves(own, game);
      if (curves.runs.length === 0 || curves.updates.length < 2) return [];
      const quarters = curves.runs.map(lastQuarters);
      const rises = quarters.map((q) => q.last - q.previous);
      const interval = rises.length >= 2 ? meanInterval(rises) : null;
      const lower = interval?.lower ?? null;
      const upper = interval?.upper ?? null;
      const last = mean(quarters.map((q) => q.last));
      const band = fraction * Math.max(last, 0);
      return [
        {
          cut_quarters: cutQuarters,
          architecture: variant.architecture,
          sampler: variant.sampler,
          partitions: variant.partitions,
          game,
          seeds: curves.runs.length,
          evaluations: curves.updates.length,
          updates: curves.updates[curves.updates.length - 1],
          previous_quarter: mean(quarters.map((q) => q.previous)),
          last_quarter: last,
          rise: mean(rises),
          lower,
          upper,
          band,
          verdict: riseVerdict(lower, upper, band),
        },
      ];
    });
  });
}

/** `curveRiseTable` of the curves cut at a quarter, a half, three quarters of their updates, and whole. */
export function curveRiseByCut(rows: readonly CurveRow[]): CurveRiseRow[] {
  return [1, 2, 3, 4].flatMap((quarters) => curveRiseTable(rows, quarters));
}

const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(1)}`;

/** "N flat, N rising, …" over `rows`, verdicts with no row left out. */
export function riseCounts(rows: readonly CurveRiseRow[]): string {
  const verdicts: RiseVerdict[] = ['flat', 'rising', 'falling', 'inconclusive'];
  return verdicts
    .map((v) => [v, rows.filter((r) => r.verdict === v).length] as const)
    .filter(([, n]) => n > 0)
    .map(([v, n]) => `${n} ${v}`)
    .join(', ');
}

/** One line for a results summary: the verdicts' counts at the runs' budget. */
export function riseSummaryLine(rows: readonly CurveRiseRow[]): string {
  const updates = [...new Set(rows.map((r) => r.updates.toLocaleString('en-US')))].join(' or ');
  return `curves over their last quarter, at ${updates} updates: ${riseCounts(rows)} of ${rows.length} (flat: the rise within ±${100 * FLAT_FRACTION} % of the level)`;
}

/** The table in Markdown, with its rule and a count of the verdicts; `plan` names the runs (suite, preset). */
export function curveRiseMarkdown(cuts: readonly CurveRiseRow[], plan: string): string[] {
  const rows = cuts.filter((r) => r.cut_quarters === 4);
  if (rows.length === 0) return [];
  const earlier = [1, 2, 3].map((q) => cuts.filter((r) => r.cut_quarters === q)).filter((c) => c.length > 0);
  const columns = [...earlier, rows];
  const byCut = [
    '',
    '**At shorter budgets**: the same rule on every run cut after a quarter, a half and three quarters of its updates.',
    '',
    `| variant | ${columns.map((c) => `at ${Math.max(...c.map((r) => r.updates)).toLocaleString('en-US')}`).join(' | ')} |`,
    `| --- |${columns.map(() => ' --- |').join('')}`,
    ...[...new Set(rows.map(curveVariantLabel))].map(
      (label) =>
        `| ${label} | ${columns.map((c) => riseCounts(c.filter((r) => curveVariantLabel(r) === label)) || '–').join(' | ')} |`,
    ),
  ];
  const counts = [...new Set(rows.map((r) => r.seeds))];
  const seeds = `${counts.join(' or ')} seed${counts.length === 1 && counts[0] === 1 ? '' : 's'}`;
  const updates = [...new Set(rows.map((r) => r.updates.toLocaleString('en-US')))].join(' or ');
  return [
    '**Do the curves still rise at this budget?**',
    '',
    `_${plan}: ${updates} updates, ${seeds} per variant; ${riseCounts(rows)} of ${rows.length} curves._`,
    '',
    '| variant | game | quarter before the last | last quarter | rise [95 % interval] | flat within | verdict |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- |',
    ...rows.map((r) => {
      const interval = r.lower === null || r.upper === null ? '(1 seed)' : `[${signed(r.lower)}, ${signed(r.upper)}]`;
      return `| ${curveVariantLabel(r)} | ${r.game} | ${r.previous_quarter.toFixed(1)} | ${r.last_quarter.toFixed(1)} | ${signed(r.rise)} ${interval} | ±${r.band.toFixed(1)} | ${r.verdict} |`;
    }),
    '',
    `Rule: per seed, the rise is the mean of the last quarter of the run's evaluations minus the mean of the quarter before, in points of % of teacher; the interval is Student t over seeds. A curve is flat when the interval lies within ±${100 * FLAT_FRACTION} % of its last quarter's level (a significant rise smaller than that included), rising when it lies above 0, falling when below, and inconclusive otherwise (or with one seed). Each interval is 95 % on its own, with no correction for the many curves.`,
    ...(earlier.length > 0 ? byCut : []),
  ];
}

/** "suite preset" of the runs behind `rows` (several, comma-separated, when they mix). */
export function runsName(rows: readonly CurveRow[]): string {
  return [...new Set(rows.map((r) => `${r.suite ?? 'unknown suite'} ${r.preset ?? 'unknown preset'}`))].join(', ');
}

/** Writes the rise of `curves` (Arrow + CSV) and its Markdown (curve-rise.md) into `dir`. */
export function writeCurveRise(curves: readonly CurveRow[], dir: string): TablePaths & { markdown: string } {
  const rows = curveRiseByCut(curves);
  const columns = Object.fromEntries(
    Object.keys(CURVE_RISE_SCHEMA).map((name) => [name, rows.map((r) => r[name as keyof CurveRiseRow])]),
  );
  const paths = writeTable(CURVE_RISE_TABLE, table(columns), CURVE_RISE_SCHEMA, dir);
  const markdown = join(dir, CURVE_RISE_MARKDOWN);
  writeFilesAtomically([{ path: markdown, content: `${curveRiseMarkdown(rows, runsName(curves)).join('\n')}\n` }]);
  return { ...paths, markdown };
}
