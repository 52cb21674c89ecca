/**
 * The paper's tables from the runs' learning curves, as pure functions over curve rows:
 * Table 1 (per game % of teacher of each architecture's best network, mean over seeds, and the geometric
 * mean), rliable's aggregates beside it (IQM with stratified-bootstrap 95 % CIs, probability of
 * improvement), and Figure 4's updates-to-threshold with their ratio to uniform. A threshold a run never
 * reaches is `null` ("not reached"), never a number.
 */
import {
  geometricMean,
  type IntervalEstimate,
  interquartileMean,
  mean,
  probabilityOfImprovement,
  stratifiedBootstrap,
  updatesRatio,
  updatesToThreshold,
} from '../../stats';
import { Rng } from '../../util/rng';

/** Seed of reproduce's value-range play and of every bootstrap: the numbers repeat. */
export const ANALYSIS_SEED = 0;

/** The columns of a distill-curve row that the tables read. */
export interface CurveRow {
  readonly architecture: string;
  readonly sampler: string;
  readonly partitions: number | null;
  readonly seed: number;
  readonly game: string;
  readonly updates: number;
  readonly score: number | null;
  readonly teacher_score: number;
  readonly percent_of_teacher: number | null;
}

export type RunFilter = (row: CurveRow) => boolean;

function distinct<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

/**
 * [seed][game] of each run's best evaluation on each game, in % of teacher (the paper reports "the best
 * multi-task networks"). Seeds and games in sorted order; a run that never completed an evaluation
 * episode on a game is an error naming it, because Table 1 would otherwise be silently wrong.
 */
export function bestPercentMatrix(rows: readonly CurveRow[], games: readonly string[]): number[][] {
  const seeds = distinct(rows.map((r) => r.seed)).sort((a, b) => a - b);
  return seeds.map((seed) =>
    games.map((game) => {
      const values = rows
        .filter((r) => r.seed === seed && r.game === game && r.percent_of_teacher !== null)
        .map((r) => r.percent_of_teacher as number);
      if (values.length === 0)
        throw new RangeError(
          `seed ${seed}, ${game}: no evaluation completed an episode, so there is no score to report`,
        );
      return Math.max(...values);
    }),
  );
}

export interface ArchitectureTable {
  readonly games: readonly string[];
  readonly architectures: readonly string[];
  /** teacherScores[g]. */
  readonly teacherScores: readonly number[];
  /** percent[a][g]: mean over seeds of the best % of teacher. */
  readonly percent: readonly (readonly number[])[];
  /** geometricMeans[a] over games of percent[a]. */
  readonly geometricMeans: readonly number[];
  /** Seeds per architecture. */
  readonly seeds: readonly number[];
}

/** Table 1 from the uniform-sampling runs of each architecture. */
export function architectureTable(rows: readonly CurveRow[], architectures: readonly string[]): ArchitectureTable {
  const uniform = rows.filter((r) => r.sampler === 'uniform');
  const games = distinct(uniform.map((r) => r.game));
  const teacherScores = games.map((g) => (uniform.find((r) => r.game === g) as CurveRow).teacher_score);
  const matrices = architectures.map((a) => {
    const own = uniform.filter((r) => r.architecture === a);
    if (own.length === 0) throw new RangeError(`no uniform-sampling run of architecture '${a}'`);
    return bestPercentMatrix(own, games);
  });
  const percent = matrices.map((m) => games.map((_, g) => mean(m.map((run) => run[g]))));
  return {
    games,
    architectures,
    teacherScores,
    percent,
    geometricMeans: percent.map((p) => geometricMean(p)),
    seeds: matrices.map((m) => m.length),
  };
}

export interface ArchitectureAggregates {
  readonly architecture: string;
  /** IQM over seeds × games of the best % of teacher, with its 95 % stratified-bootstrap interval. */
  readonly iqm: IntervalEstimate;
  /** P(this architecture > other) per other architecture, with intervals. */
  readonly improvement: readonly { readonly over: string; readonly probability: IntervalEstimate }[];
}

/** rliable's aggregates of the uniform-sampling runs (seeded bootstrap: the numbers repeat). */
export function architectureAggregates(
  rows: readonly CurveRow[],
  architectures: readonly string[],
  seed: number,
  repetitions = 2_000,
): ArchitectureAggregates[] {
  const uniform = rows.filter((r) => r.sampler === 'uniform');
  const games = distinct(uniform.map((r) => r.game));
  const matrices = architectures.map((a) =>
    bestPercentMatrix(
      uniform.filter((r) => r.architecture === a),
      games,
    ),
  );
  const rng = new Rng(seed);
  return architectures.map((architecture, i) => ({
    architecture,
    iqm: stratifiedBootstrap([matrices[i]], interquartileMean, rng, { repetitions }),
    improvement: architectures
      .map((over, j) => ({ over, j }))
      .filter(({ j }) => j !== i)
      .map(({ over, j }) => ({
        over,
        probability: stratifiedBootstrap([matrices[i], matrices[j]], probabilityOfImprovement, rng, { repetitions }),
      })),
  }));
}

/** Mean over seeds of % of teacher at each evaluation of one game (evaluations with any unknown score are left out). */
export function meanPercentCurve(rows: readonly CurveRow[], game: string): { updates: number[]; scores: number[] } {
  const own = rows.filter((r) => r.game === game);
  const seeds = distinct(own.map((r) => r.seed));
  const updates: number[] = [];
  const scores: number[] = [];
  for (const u of distinct(own.map((r) => r.updates)).sort((a, b) => a - b)) {
    const at = own.filter((r) => r.updates === u);
    if (at.length !== seeds.length || at.some((r) => r.percent_of_teacher === null)) continue;
    updates.push(u);
    scores.push(mean(at.map((r) => r.percent_of_teacher as number)));
  }
  return { updates, scores };
}

export interface ThresholdRow {
  readonly game: string;
  readonly sampler: string;
  /** Updates at which the mean curve first reaches the threshold; null when it never does. */
  readonly updates: number | null;
  /** updates / the uniform sampler's updates on the same game; null when either is not reached. */
  readonly ratioToUniform: number | null;
}

/** Figure 4's table: per game and sampler, updates for the mean curve to reach `thresholdPercent` % of teacher. */
export function thresholdTable(
  rows: readonly CurveRow[],
  samplers: readonly { label: string; filter: RunFilter }[],
  thresholdPercent: number,
): ThresholdRow[] {
  const games = distinct(rows.map((r) => r.game));
  const uniform = samplers.find((s) => s.label === 'uniform');
  if (!uniform)
    throw new RangeError(
      `the threshold table compares with 'uniform', which is not among ${samplers.map((s) => s.label).join(', ')}`,
    );
  return games.flatMap((game) => {
    const reach = (filter: RunFilter) =>
      updatesToThreshold(meanPercentCurve(rows.filter(filter), game), thresholdPercent);
    const base = reach(uniform.filter);
    return samplers.map(({ label, filter }) => {
      const updates = reach(filter);
      return { game, sampler: label, updates, ratioToUniform: updatesRatio(updates, base) };
    });
  });
}
