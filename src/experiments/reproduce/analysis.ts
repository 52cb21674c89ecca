/**
 * Stage 3 of `reproduce` as one function over finished runs: every result table their variants allow, then the
 * claims table generated from those tables. `reproduce` calls it with the whole plan; the notebooks call it with
 * the runs finished so far (tables of variants without runs are left out, and the claims say the plan is incomplete).
 */
import { existsSync } from 'node:fs';
import type { DistillEvaluation } from '../../distill/distiller';
import { readTable, tablePaths, writeTable } from '../../tables';
import type { PresetName } from '../common/preset-env';
import { claimsFromTables, writeClaims } from './claims';
import { writeCurveRise } from './curve-rise';
import type { ReproducePlan } from './presets';
import {
  DISTILL_CURVES_TABLE,
  type ReturnRow,
  writeAggregates,
  writeArchitectureTable,
  writeCurves,
  writeReturns,
  writeThresholds,
} from './reproduce-tables';
import {
  ANALYSIS_SEED,
  architectureAggregates,
  architectureTable,
  type CurveRow,
  samplerGroups,
  thresholdTable,
} from './results';
import { distillRunDirectory, type PlannedRun, readFinishedEvaluations } from './run';
import {
  STATE_DISTRIBUTION_SCHEMA,
  STATE_DISTRIBUTION_TABLE,
  VALUE_RANGE_SCHEMA,
  VALUE_RANGE_TABLE,
} from './value-ranges';

/** A finished run's evaluations, as its done.json holds them (runs of older code lack the episodes' returns). */
type StoredEvaluation = Omit<DistillEvaluation, 'returns'> & Partial<Pick<DistillEvaluation, 'returns'>>;

/** The per-episode returns of a finished run's evaluations (none when its evaluations did not record them). */
export function runReturnRows(run: PlannedRun, games: readonly string[]): ReturnRow[] {
  const evaluations = readFinishedEvaluations(distillRunDirectory(run)) as StoredEvaluation[];
  return evaluations.flatMap((evaluation) =>
    (evaluation.returns ?? []).flatMap((perGame, g) =>
      perGame.map((value, episode) => ({
        run: run.name,
        architecture: run.variant.architecture,
        sampler: run.variant.sampler,
        partitions: run.variant.partitions ?? null,
        seed: run.seed,
        game: games[g],
        updates: evaluation.updates,
        episode,
        return: value,
      })),
    ),
  );
}

export interface AnalysisInput {
  /** Curve rows of finished runs. */
  readonly rows: readonly CurveRow[];
  /** Their evaluations' per-episode returns. */
  readonly returns: readonly ReturnRow[];
  readonly preset: PresetName;
  /** The plan the runs belong to (its seeds are what every variant should have). */
  readonly plan: ReproducePlan;
  /** Folder of stage 1's value ranges and state distributions. */
  readonly stage: string;
  /**
   * Each game's teacher interval (evaluation.json's ci95), for curves of runs finished before their curve recorded
   * it: exact, since a run's name includes its teachers' digest.
   */
  readonly teacherCi95?: Readonly<Record<string, readonly [number, number] | null>>;
}

/** `rows` with the teacher intervals they lack filled from `teacherCi95` (by game). */
export function withTeacherIntervals(
  rows: readonly CurveRow[],
  teacherCi95: Readonly<Record<string, readonly [number, number] | null>>,
): CurveRow[] {
  return rows.map((r) => {
    const known = teacherCi95[r.game];
    if ((r.teacher_ci_low ?? null) !== null || !known) return r;
    return { ...r, teacher_ci_low: known[0], teacher_ci_high: known[1] };
  });
}

/** The curve rows of the `distill-curves` table in `dir`. */
export function readCurvesTable(dir: string): CurveRow[] {
  return readTable(DISTILL_CURVES_TABLE, [], dir).objects() as unknown as CurveRow[];
}

/** Writes every table `input` allows into `dir`, then the claims from them; returns the files written. */
export function writeAnalysisTables(input: AnalysisInput, dir: string): string[] {
  const { plan } = input;
  const rows = input.teacherCi95 ? withTeacherIntervals(input.rows, input.teacherCi95) : input.rows;
  const written = [writeCurves(rows as unknown as Record<string, unknown>[], dir), writeReturns(input.returns, dir)];
  const architectures = plan.architectures.filter((a) =>
    rows.some((r) => r.architecture === a && r.sampler === 'uniform'),
  );
  if (architectures.length > 0) {
    written.push(
      writeArchitectureTable(architectureTable(rows, architectures), dir),
      writeAggregates(architectureAggregates(rows, architectures, ANALYSIS_SEED), dir),
    );
  }
  if (rows.length > 0) written.push(writeCurveRise(rows, dir));
  const groups = samplerGroups(plan).filter((g) => rows.some(g.filter));
  if (groups.some((g) => g.label === 'uniform'))
    written.push(writeThresholds(thresholdTable(rows, groups, plan.thresholdPercent), plan.thresholdPercent, dir));
  for (const [name, schema] of [
    [VALUE_RANGE_TABLE, VALUE_RANGE_SCHEMA],
    [STATE_DISTRIBUTION_TABLE, STATE_DISTRIBUTION_SCHEMA],
  ] as const) {
    if (existsSync(tablePaths(name, input.stage).arrow))
      written.push(writeTable(name, readTable(name, [], input.stage), schema, dir));
  }
  const claims = writeClaims(claimsFromTables(dir, input.preset, plan.seeds), dir);
  return [...written, claims].flatMap((paths) => [
    paths.arrow,
    paths.csv,
    ...('markdown' in paths ? [paths.markdown as string] : []),
  ]);
}
