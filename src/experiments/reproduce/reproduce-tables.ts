/**
 * The result tables `reproduce` writes into data/tables (Arrow + CSV): every run's raw curve and its evaluations'
 * per-episode returns, Table 1 (three measures per game with intervals), rliable's aggregates and Figure 4's
 * updates-to-threshold. Threshold counts a run never reaches are stored as null and shown as "not reached"; an
 * interval that cannot be computed (one seed) is stored as null bounds.
 */
import { table } from 'arquero';
import { type TablePaths, type TableSchema, writeTable } from '../../tables';
import type { ArchitectureAggregates, ArchitectureTable, ThresholdRow } from './results';
import { MEASURES } from './results';
import { DISTILL_CURVE_SCHEMA, EVALUATION_POINT_SCHEMA, type EvaluationPoint } from './run';

export const DISTILL_CURVES_TABLE = 'distill-curves';
export const RETURNS_TABLE = 'distill-returns';
export const ARCHITECTURES_TABLE = 'table1-architectures';
export const AGGREGATES_TABLE = 'architecture-aggregates';
export const THRESHOLDS_TABLE = 'sampler-thresholds';

/** The label of Table 1's geometric-mean rows. */
export const GEOMETRIC_MEAN_ROW = 'geometric mean';
/** The statistic of rliable's interquartile mean in the aggregates table. */
export const IQM_STATISTIC = 'IQM (% of teacher)';

/** The aggregates table's name of the probability of improvement of `a` over `b`. */
export function improvementStatistic(a: string, b: string): string {
  return `P(${a} > ${b})`;
}

export const ARCHITECTURES_SCHEMA: TableSchema = {
  game: 'utf8',
  architecture: 'utf8',
  measure: 'utf8',
  point: 'float64',
  lower: 'float64',
  upper: 'float64',
  seeds: 'int32',
  teacher_score: 'float64',
  teacher_ci_low: 'float64',
  teacher_ci_high: 'float64',
};
export const AGGREGATES_SCHEMA: TableSchema = {
  architecture: 'utf8',
  measure: 'utf8',
  statistic: 'utf8',
  point: 'float64',
  lower: 'float64',
  upper: 'float64',
};
export const THRESHOLDS_SCHEMA: TableSchema = {
  game: 'utf8',
  sampler: 'utf8',
  threshold_percent: 'float64',
  updates: 'int32',
  ratio_to_uniform: 'float64',
  ratio_lower: 'float64',
  ratio_upper: 'float64',
  slow_game: 'bool',
};
/** One row per evaluation episode: the raw returns every score of the curves is the mean of. */
export const RETURNS_SCHEMA: TableSchema = {
  run: 'utf8',
  ...EVALUATION_POINT_SCHEMA,
  episode: 'int32',
  return: 'float64',
};

type Rows = readonly Record<string, unknown>[];

function columnsOf(rows: Rows, schema: TableSchema): Record<string, unknown[]> {
  return Object.fromEntries(Object.keys(schema).map((name) => [name, rows.map((r) => r[name] ?? null)]));
}

function write(name: string, rows: Rows, schema: TableSchema, dir?: string): TablePaths {
  return writeTable(name, table(columnsOf(rows, schema)), schema, dir);
}

/**
 * The committed curves: every run's curve but its wall-clock `seconds`, which stays in the run's folder, so that
 * identical runs write identical tables.
 */
export const DISTILL_CURVES_SCHEMA: TableSchema = Object.fromEntries(
  Object.entries(DISTILL_CURVE_SCHEMA).filter(([name]) => name !== 'seconds'),
);

export function writeCurves(rows: Rows, dir?: string): TablePaths {
  return write(DISTILL_CURVES_TABLE, rows, DISTILL_CURVES_SCHEMA, dir);
}

/** One row of `distill-returns`. */
export interface ReturnRow extends EvaluationPoint {
  readonly run: string;
  readonly episode: number;
  readonly return: number;
}

export function writeReturns(rows: readonly ReturnRow[], dir?: string): TablePaths {
  return write(RETURNS_TABLE, rows as unknown as Rows, RETURNS_SCHEMA, dir);
}

/**
 * Table 1 in long form: per architecture, one row per game and measure (mean over seeds, 95 % interval of seeds and
 * teacher), then one geometric-mean row per measure (stratified-bootstrap interval over seeds and teachers).
 */
export function writeArchitectureTable(t: ArchitectureTable, dir?: string): TablePaths {
  const rows = t.architectures.flatMap((architecture, a) => [
    ...t.games.flatMap((game, g) =>
      MEASURES.map((measure) => ({
        game,
        architecture,
        measure,
        ...t.cells[measure][a][g],
        seeds: t.seeds[a],
        teacher_score: t.teachers[g].score,
        teacher_ci_low: t.teachers[g].ciLow,
        teacher_ci_high: t.teachers[g].ciHigh,
      })),
    ),
    ...MEASURES.map((measure) => ({
      game: GEOMETRIC_MEAN_ROW,
      architecture,
      measure,
      ...(t.geometricMeans[measure][a] ?? { point: null, lower: null, upper: null }),
      seeds: t.seeds[a],
    })),
  ]);
  return write(ARCHITECTURES_TABLE, rows, ARCHITECTURES_SCHEMA, dir);
}

/** rliable's aggregates per measure: each architecture's IQM, then its probability of improvement over each other. */
export function writeAggregates(aggregates: readonly ArchitectureAggregates[], dir?: string): TablePaths {
  const rows = aggregates.flatMap((a) => [
    { architecture: a.architecture, measure: a.measure, statistic: IQM_STATISTIC, ...a.iqm },
    ...a.improvement.map((i) => ({
      architecture: a.architecture,
      measure: a.measure,
      statistic: improvementStatistic(a.architecture, i.over),
      ...i.probability,
    })),
  ]);
  return write(AGGREGATES_TABLE, rows, AGGREGATES_SCHEMA, dir);
}

export function writeThresholds(rows: readonly ThresholdRow[], thresholdPercent: number, dir?: string): TablePaths {
  return write(
    THRESHOLDS_TABLE,
    rows.map((r) => ({
      game: r.game,
      sampler: r.sampler,
      threshold_percent: thresholdPercent,
      updates: r.updates,
      ratio_to_uniform: r.ratioToUniform,
      ratio_lower: r.ratioLower,
      ratio_upper: r.ratioUpper,
      slow_game: r.slow,
    })),
    THRESHOLDS_SCHEMA,
    dir,
  );
}
