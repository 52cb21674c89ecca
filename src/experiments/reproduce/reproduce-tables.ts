/**
 * The result tables `reproduce` writes into data/tables (Arrow + CSV): every run's raw curve, Table 1,
 * rliable's aggregates and Figure 4's updates-to-threshold. Threshold counts a run never reaches are
 * stored as null and shown as "not reached".
 */
import { table } from 'arquero';
import { type TablePaths, type TableSchema, writeTable } from '../../tables';
import type { ArchitectureAggregates, ArchitectureTable, ThresholdRow } from './results';
import { DISTILL_CURVE_SCHEMA } from './run';

export const DISTILL_CURVES_TABLE = 'distill-curves';
export const ARCHITECTURES_TABLE = 'table1-architectures';
export const AGGREGATES_TABLE = 'architecture-aggregates';
export const THRESHOLDS_TABLE = 'sampler-thresholds';

/** The label of Table 1's last row. */
export const GEOMETRIC_MEAN_ROW = 'geometric mean';

export const ARCHITECTURES_SCHEMA: TableSchema = {
  game: 'utf8',
  teacher_score: 'float64',
  architecture: 'utf8',
  percent_of_teacher: 'float64',
  seeds: 'int32',
};
export const AGGREGATES_SCHEMA: TableSchema = {
  architecture: 'utf8',
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

/** Table 1 in long form: one row per game and architecture, then one geometric-mean row per architecture. */
export function writeArchitectureTable(t: ArchitectureTable, dir?: string): TablePaths {
  const rows = t.architectures.flatMap((architecture, a) => [
    ...t.games.map((game, g) => ({
      game,
      teacher_score: t.teacherScores[g],
      architecture,
      percent_of_teacher: t.percent[a][g],
      seeds: t.seeds[a],
    })),
    {
      game: GEOMETRIC_MEAN_ROW,
      teacher_score: null,
      architecture,
      percent_of_teacher: t.geometricMeans[a],
      seeds: t.seeds[a],
    },
  ]);
  return write(ARCHITECTURES_TABLE, rows, ARCHITECTURES_SCHEMA, dir);
}

export function writeAggregates(aggregates: readonly ArchitectureAggregates[], dir?: string): TablePaths {
  const rows = aggregates.flatMap((a) => [
    { architecture: a.architecture, statistic: 'IQM (% of teacher)', ...a.iqm },
    ...a.improvement.map((i) => ({
      architecture: a.architecture,
      statistic: `P(${a.architecture} > ${i.over})`,
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
    })),
    THRESHOLDS_SCHEMA,
    dir,
  );
}
