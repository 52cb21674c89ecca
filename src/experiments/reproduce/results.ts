/**
 * The paper's tables from the runs' learning curves, as pure functions over curve rows. Every run is scored three
 * ways per game, in % of the game's teacher (`MEASURES`): the paper's best evaluation ("the best multi-task
 * networks", biased upwards by taking the maximum of noisy evaluations), the final score (mean of the last quarter
 * of the evaluations) and the area under the curve (mean over all evaluations, which rewards learning fast).
 * Table 1 gives, per game, the mean over seeds with a 95 % interval that carries the teacher's interval as well as
 * the seeds' (`percentInterval`), and the geometric mean over games; rliable's aggregates beside it (IQM with a
 * stratified bootstrap over seeds and teacher scores, probability of improvement); Figure 4's updates-to-threshold
 * with their ratio to uniform and a bootstrap interval over seeds. A threshold a run never reaches is `null`
 * ("not reached"), never a number. Every bootstrap is seeded: the numbers repeat.
 */
import {
  geometricMean,
  interquartileMean,
  mean,
  type NullableInterval,
  percentInterval,
  probabilityOfImprovement,
  quantile,
  type ScoreMatrix,
  stratifiedBootstrap,
  type TeacherScore,
  teacherStratifiedBootstrap,
  updatesRatio,
  updatesToThreshold,
} from '../../stats';
import { Rng } from '../../util/rng';
import type { EvaluationPoint } from './run';

/** Seed of reproduce's value-range play and of every bootstrap: the numbers repeat. */
export const ANALYSIS_SEED = 0;
/** Resamples of every bootstrap interval of the tables. */
export const BOOTSTRAP_REPETITIONS = 2_000;

/** The columns of a distill-curve row that the tables read. */
export interface CurveRow extends EvaluationPoint {
  readonly suite?: string;
  readonly preset?: string;
  readonly score: number | null;
  readonly teacher_score: number;
  /** The teacher's 95 % interval (evaluation.json's ci95); null for curves written before it was recorded. */
  readonly teacher_ci_low?: number | null;
  readonly teacher_ci_high?: number | null;
  readonly percent_of_teacher: number | null;
}

export type RunFilter = (row: CurveRow) => boolean;

/** A variant's name in a curve row: architecture/sampler, H-PR with its p. */
export function curveVariantLabel(row: Pick<EvaluationPoint, 'architecture' | 'sampler' | 'partitions'>): string {
  return `${row.architecture}/${row.sampler === 'hierarchical' ? `H-PR p=${row.partitions}` : row.sampler}`;
}

/** How one run is scored on one game, in % of its teacher. */
export const MEASURES = ['best', 'final', 'auc'] as const;
export type Measure = (typeof MEASURES)[number];

export const MEASURE_LABELS: Readonly<Record<Measure, string>> = {
  best: 'best evaluation',
  final: 'final score (mean of the last quarter of evaluations)',
  auc: 'area under the curve (mean over evaluations)',
};

function distinct<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

/** How many of a run's `n` evaluations its last quarter holds, the final score's: ⌈n/4⌉. */
export function lastQuarterLength(n: number): number {
  return Math.ceil(n / 4);
}

/**
 * One run's measure on one game from its evaluations in update order (null where no episode completed): the best,
 * the mean of the last ⌈n/4⌉ evaluations, or the mean of all; null when none of those evaluations has a score.
 */
export function runMeasure(percents: readonly (number | null)[], measure: Measure): number | null {
  const used = measure === 'final' ? percents.slice(percents.length - lastQuarterLength(percents.length)) : percents;
  const known = used.filter((p): p is number => p !== null);
  if (known.length === 0) return null;
  return measure === 'best' ? Math.max(...known) : mean(known);
}

/**
 * [seed][game] of each run's `measure` on each game, in % of teacher. Seeds and games in sorted order; a run
 * without a score to report on a game is an error naming it, because Table 1 would otherwise be silently wrong.
 */
export function measureMatrix(rows: readonly CurveRow[], games: readonly string[], measure: Measure): number[][] {
  const seeds = distinct(rows.map((r) => r.seed)).sort((a, b) => a - b);
  return seeds.map((seed) =>
    games.map((game) => {
      const own = rows.filter((r) => r.seed === seed && r.game === game).sort((a, b) => a.updates - b.updates);
      const value = runMeasure(
        own.map((r) => r.percent_of_teacher),
        measure,
      );
      if (value === null)
        throw new RangeError(
          `seed ${seed}, ${game}: no evaluation ${measure === 'final' ? 'of the last quarter ' : ''}completed an episode, so there is no score to report`,
        );
      return value;
    }),
  );
}

/** [seed][game] of each run's best evaluation (the paper reports "the best multi-task networks"). */
export function bestPercentMatrix(rows: readonly CurveRow[], games: readonly string[]): number[][] {
  return measureMatrix(rows, games, 'best');
}

/**
 * The games of `rows` in order of first appearance, and each one's teacher score and 95 % interval as the rows carry
 * them.
 */
function gamesAndTeachers(rows: readonly CurveRow[]): { games: string[]; teachers: TeacherScore[] } {
  const first = new Map<string, CurveRow>();
  for (const row of rows) if (!first.has(row.game)) first.set(row.game, row);
  return {
    games: [...first.keys()],
    teachers: [...first.values()].map((row) => ({
      score: row.teacher_score,
      ciLow: row.teacher_ci_low ?? null,
      ciHigh: row.teacher_ci_high ?? null,
    })),
  };
}

/**
 * A bootstrap interval of an aggregate over seeds × games with the teachers' uncertainty (`teacherStratifiedBootstrap`,
 * its own generator seeded with `seed`); no interval when a matrix has one seed (the resamples would all be it).
 */
function aggregateInterval(
  matrices: readonly ScoreMatrix[],
  teachers: readonly TeacherScore[],
  statistic: (...m: ScoreMatrix[]) => number,
  seed: number,
  repetitions: number,
): NullableInterval {
  if (matrices.some((m) => m.length < 2)) return { point: statistic(...matrices), lower: null, upper: null };
  return teacherStratifiedBootstrap(matrices, teachers, statistic, new Rng(seed), repetitions);
}

/** rliable's probability of improvement P(X > Y) with its stratified-bootstrap interval (none with one seed). */
function improvementInterval(x: ScoreMatrix, y: ScoreMatrix, seed: number, repetitions: number): NullableInterval {
  if (x.length < 2 || y.length < 2) return { point: probabilityOfImprovement(x, y), lower: null, upper: null };
  return stratifiedBootstrap([x, y], probabilityOfImprovement, new Rng(seed), { repetitions });
}

export interface ArchitectureTable {
  readonly games: readonly string[];
  readonly architectures: readonly string[];
  /** teachers[g]: the 100 % line and its interval. */
  readonly teachers: readonly TeacherScore[];
  /** Seeds per architecture. */
  readonly seeds: readonly number[];
  /** cells[measure][a][g]: mean over seeds of the measure, with the seeds' and the teacher's 95 % interval. */
  readonly cells: Readonly<Record<Measure, readonly (readonly NullableInterval[])[]>>;
  /**
   * geometricMeans[measure][a] over games of the per-game means, with a stratified-bootstrap interval over seeds and
   * teacher scores; null when a value is negative (no geometric mean).
   */
  readonly geometricMeans: Readonly<Record<Measure, readonly (NullableInterval | null)[]>>;
}

/** Per-game means over seeds, then their geometric mean (Table 1's last row). */
function geometricMeanOfMeans(matrix: ScoreMatrix): number {
  return geometricMean(matrix[0].map((_, g) => mean(matrix.map((run) => run[g]))));
}

function byMeasure<T>(make: (measure: Measure) => T): Record<Measure, T> {
  return Object.fromEntries(MEASURES.map((m) => [m, make(m)])) as Record<Measure, T>;
}

/** Table 1 from the uniform-sampling runs of each architecture, every measure side by side. */
export function architectureTable(
  rows: readonly CurveRow[],
  architectures: readonly string[],
  seed = ANALYSIS_SEED,
  repetitions = BOOTSTRAP_REPETITIONS,
): ArchitectureTable {
  const uniform = rows.filter((r) => r.sampler === 'uniform');
  const { games, teachers } = gamesAndTeachers(uniform);
  const own = architectures.map((a) => {
    const runs = uniform.filter((r) => r.architecture === a);
    if (runs.length === 0) throw new RangeError(`no uniform-sampling run of architecture '${a}'`);
    return runs;
  });
  const matrices = byMeasure((measure) => own.map((runs) => measureMatrix(runs, games, measure)));
  return {
    games,
    architectures,
    teachers,
    seeds: matrices.best.map((m) => m.length),
    cells: byMeasure((measure) =>
      matrices[measure].map((m) =>
        games.map((_, g) =>
          percentInterval(
            m.map((run) => run[g]),
            teachers[g],
          ),
        ),
      ),
    ),
    geometricMeans: byMeasure((measure) =>
      matrices[measure].map((m) =>
        m.some((run) => run.some((v) => v < 0))
          ? null
          : aggregateInterval([m], teachers, geometricMeanOfMeans, seed, repetitions),
      ),
    ),
  };
}

export interface ArchitectureAggregates {
  readonly architecture: string;
  readonly measure: Measure;
  /** IQM over seeds × games of the measure, with its 95 % stratified-bootstrap interval (seeds and teachers). */
  readonly iqm: NullableInterval;
  /** P(this architecture > other) per other architecture, with intervals (the teachers cancel: not drawn). */
  readonly improvement: readonly { readonly over: string; readonly probability: NullableInterval }[];
}

/** rliable's aggregates of the uniform-sampling runs, for every measure (seeded bootstrap: the numbers repeat). */
export function architectureAggregates(
  rows: readonly CurveRow[],
  architectures: readonly string[],
  seed = ANALYSIS_SEED,
  repetitions = BOOTSTRAP_REPETITIONS,
): ArchitectureAggregates[] {
  const uniform = rows.filter((r) => r.sampler === 'uniform');
  const { games, teachers } = gamesAndTeachers(uniform);
  return MEASURES.flatMap((measure) => {
    const matrices = architectures.map((a) =>
      measureMatrix(
        uniform.filter((r) => r.architecture === a),
        games,
        measure,
      ),
    );
    return architectures.map((architecture, i) => ({
      architecture,
      measure,
      iqm: aggregateInterval([matrices[i]], teachers, interquartileMean, seed, repetitions),
      improvement: architectures
        .map((over, j) => ({ over, j }))
        .filter(({ j }) => j !== i)
        .map(({ over, j }) => ({
          over,
          probability: improvementInterval(matrices[i], matrices[j], seed, repetitions),
        })),
    }));
  });
}

/** Per-seed curves of one game on the evaluations every seed scored: `runs[seed][k]` at `updates[k]`. */
export interface SeedCurves {
  readonly updates: readonly number[];
  readonly runs: readonly (readonly number[])[];
}

/**
 * The curves of every seed of `rows` on `game`, seeds in sorted order, on the evaluations that every seed scored
 * (an evaluation where some seed completed no episode is left out rather than guessed).
 */
export function seedCurves(rows: readonly CurveRow[], game: string): SeedCurves {
  const own = rows.filter((r) => r.game === game);
  const seeds = distinct(own.map((r) => r.seed)).sort((a, b) => a - b);
  const at = new Map(own.map((r) => [`${r.seed}/${r.updates}`, r.percent_of_teacher]));
  const updates = distinct(own.map((r) => r.updates))
    .sort((a, b) => a - b)
    .filter((u) => seeds.every((s) => (at.get(`${s}/${u}`) ?? null) !== null));
  return { updates, runs: seeds.map((s) => updates.map((u) => at.get(`${s}/${u}`) as number)) };
}

/** Mean over seeds of % of teacher at each evaluation of one game (evaluations with any unknown score are left out). */
export function meanPercentCurve(rows: readonly CurveRow[], game: string): { updates: number[]; scores: number[] } {
  const curves = seedCurves(rows, game);
  return {
    updates: [...curves.updates],
    scores: curves.updates.map((_, k) => mean(curves.runs.map((run) => run[k]))),
  };
}

/** Mean over the seeds `picked` (indices, repeats allowed) of per-seed curves. */
function pickedMean(curves: SeedCurves, picked: readonly number[]): { updates: readonly number[]; scores: number[] } {
  return {
    updates: curves.updates,
    scores: curves.updates.map((_, k) => picked.reduce((sum, s) => sum + curves.runs[s][k], 0) / picked.length),
  };
}

/** The label of the thresholds table's aggregate row: the geometric mean of the ratios over the slow games. */
export const SLOW_GAMES_ROW = 'slow games (geometric mean)';

export interface ThresholdRow {
  /** A game, or SLOW_GAMES_ROW. */
  readonly game: string;
  readonly sampler: string;
  /** Updates at which the mean curve first reaches the threshold; null when it never does (or on SLOW_GAMES_ROW). */
  readonly updates: number | null;
  /** updates / the uniform sampler's updates on the same game; null when either is not reached. */
  readonly ratioToUniform: number | null;
  /** 95 % bootstrap interval of the ratio over seeds; null when it has none (see `thresholdTable`). */
  readonly ratioLower: number | null;
  readonly ratioUpper: number | null;
  /** Whether the game is one of the slow games (true on SLOW_GAMES_ROW). */
  readonly slow: boolean;
}

/**
 * The slow games, the paper's Breakout and Q*bert: the ⌈n/2⌉ games on which the uniform sampler's mean curve reaches
 * the threshold last (not reached counts as last; ties by the lower last mean score).
 */
export function slowGames(
  uniformRows: readonly CurveRow[],
  games: readonly string[],
  thresholdPercent: number,
): string[] {
  const keyed = games.map((game) => {
    const curve = meanPercentCurve(uniformRows, game);
    const reached = curve.updates.length === 0 ? null : updatesToThreshold(curve, thresholdPercent);
    return {
      game,
      updates: reached ?? Number.POSITIVE_INFINITY,
      last: curve.scores.at(-1) ?? Number.NEGATIVE_INFINITY,
    };
  });
  keyed.sort((a, b) => b.updates - a.updates || a.last - b.last || (a.game < b.game ? -1 : 1));
  const slow = new Set(keyed.slice(0, Math.ceil(games.length / 2)).map((k) => k.game));
  return games.filter((g) => slow.has(g));
}

/**
 * Figure 4's table: per game and sampler, updates for the mean-over-seeds curve to reach `thresholdPercent` % of
 * teacher, the ratio to uniform's, and a row per sampler with the geometric mean of the ratios over the slow games.
 * The ratio's 95 % interval is a percentile bootstrap over seeds (each resample redraws the seeds of the sampler
 * and of uniform, with replacement, and recomputes both mean curves); it is null with fewer than two seeds on
 * either side, or when more than 2.5 % of the resamples leave the ratio undefined (a threshold not reached), since
 * the resamples that remain would then no longer describe the ratio's spread.
 */
export function thresholdTable(
  rows: readonly CurveRow[],
  samplers: readonly { label: string; filter: RunFilter }[],
  thresholdPercent: number,
  seed = ANALYSIS_SEED,
  repetitions = BOOTSTRAP_REPETITIONS,
): ThresholdRow[] {
  const games = distinct(rows.map((r) => r.game));
  const uniformIndex = samplers.findIndex((s) => s.label === 'uniform');
  if (uniformIndex < 0)
    throw new RangeError(
      `the threshold table compares with 'uniform', which is not among ${samplers.map((s) => s.label).join(', ')}`,
    );
  const curves = samplers.map(({ filter }) => {
    const own = rows.filter(filter);
    return games.map((game) => seedCurves(own, game));
  });
  const slow = slowGames(rows.filter(samplers[uniformIndex].filter), games, thresholdPercent);
  const slowIndex = games.map((g) => slow.includes(g));
  const reach = (c: SeedCurves, picked: readonly number[]) =>
    c.updates.length === 0 ? null : updatesToThreshold(pickedMean(c, picked), thresholdPercent);
  const all = (c: SeedCurves) => c.runs.map((_, s) => s);
  /** Per sampler: per game ratios, then the slow games' geometric mean (null when any is undefined). */
  const ratios = (updates: readonly (readonly (number | null)[])[]) =>
    updates.map((perGame) => {
      const perGameRatios = perGame.map((u, g) => updatesRatio(u, updates[uniformIndex][g]));
      const slowRatios = perGameRatios.filter((_, g) => slowIndex[g]);
      const slowMean = slowRatios.some((r) => r === null) ? null : geometricMean(slowRatios as number[]);
      return [...perGameRatios, slowMean];
    });
  const pointUpdates = curves.map((perGame) => perGame.map((c) => reach(c, all(c))));
  const point = ratios(pointUpdates);
  // The bootstrap: one redraw of every sampler's seeds per resample (uniform's shared by every ratio).
  const seedCounts = curves.map((perGame) => Math.min(...perGame.map((c) => c.runs.length)));
  const rng = new Rng(seed);
  const draws = samplers.map(() => games.map(() => [] as number[]).concat([[]]));
  const undefinedCount = samplers.map(() => games.map(() => 0).concat([0]));
  const bootstrap = seedCounts.every((n) => n >= 2);
  for (let r = 0; bootstrap && r < repetitions; r++) {
    const updates = curves.map((perGame, i) => {
      const n = seedCounts[i];
      const picked = Array.from({ length: n }, () => rng.int(n));
      return perGame.map((c) => reach(c, picked));
    });
    ratios(updates).forEach((perGame, i) => {
      perGame.forEach((ratio, g) => {
        if (ratio === null) undefinedCount[i][g]++;
        else draws[i][g].push(ratio);
      });
    });
  }
  const interval = (i: number, g: number): [number | null, number | null] => {
    if (!bootstrap || i === uniformIndex || undefinedCount[i][g] > 0.025 * repetitions) return [null, null];
    return [quantile(draws[i][g], 0.025), quantile(draws[i][g], 0.975)];
  };
  const perGame = games.flatMap((game, g) =>
    samplers.map(({ label }, i) => {
      const [ratioLower, ratioUpper] = interval(i, g);
      return {
        game,
        sampler: label,
        updates: pointUpdates[i][g],
        ratioToUniform: point[i][g],
        ratioLower,
        ratioUpper,
        slow: slowIndex[g],
      };
    }),
  );
  const slowRows = samplers.map(({ label }, i) => {
    const [ratioLower, ratioUpper] = interval(i, games.length);
    return {
      game: SLOW_GAMES_ROW,
      sampler: label,
      updates: null,
      ratioToUniform: point[i][games.length],
      ratioLower,
      ratioUpper,
      slow: true,
    };
  });
  return [...perGame, ...slowRows];
}

/** Figure 4's sampler groups of a plan: the proposed student with each sampler, H-PR at the default p. */
export function samplerGroups(plan: {
  readonly samplers: readonly string[];
  readonly defaultPartitions: number;
}): { label: string; filter: RunFilter }[] {
  return plan.samplers.map((kind) => ({
    label: kind === 'hierarchical' ? 'H-PR' : kind,
    filter: (r: CurveRow) =>
      r.architecture === 'proposed' &&
      r.sampler === kind &&
      (kind !== 'hierarchical' || r.partitions === plan.defaultPartitions),
  }));
}

export interface PartitionSensitivity {
  readonly partitions: readonly number[];
  /** IQM over seeds × games of each p's area under the curve (% of teacher), with its interval. */
  readonly iqm: readonly NullableInterval[];
  /**
   * The largest difference between two p's IQMs (percentage points of the teachers' scores), with a stratified
   * bootstrap interval (every p's runs redrawn independently); null bounds with fewer than two seeds of some p.
   */
  readonly largestDifference: NullableInterval;
}

/**
 * Figure 4's question as rliable asks it: P(H-PR at p > uniform), the proposed student's runs compared game by game
 * by area under the curve (learning speed), with its stratified-bootstrap interval.
 */
export function samplerImprovement(
  rows: readonly CurveRow[],
  partitions: number,
  seed = ANALYSIS_SEED,
  repetitions = BOOTSTRAP_REPETITIONS,
): NullableInterval {
  const proposed = rows.filter((r) => r.architecture === 'proposed');
  const hpr = proposed.filter((r) => r.sampler === 'hierarchical' && r.partitions === partitions);
  const uniform = proposed.filter((r) => r.sampler === 'uniform');
  if (hpr.length === 0 || uniform.length === 0)
    throw new RangeError(`P(H-PR > uniform) needs the proposed student's uniform and H-PR p = ${partitions} runs`);
  const { games } = gamesAndTeachers(uniform);
  return improvementInterval(measureMatrix(hpr, games, 'auc'), measureMatrix(uniform, games, 'auc'), seed, repetitions);
}

/** Figure 5's question (does p matter?) on the proposed student's H-PR runs, by area under the curve. */
export function partitionSensitivity(
  rows: readonly CurveRow[],
  partitions: readonly number[],
  seed = ANALYSIS_SEED,
  repetitions = BOOTSTRAP_REPETITIONS,
): PartitionSensitivity {
  const hpr = rows.filter((r) => r.architecture === 'proposed' && r.sampler === 'hierarchical');
  const { games, teachers } = gamesAndTeachers(hpr);
  const matrices = partitions.map((p) => {
    const own = hpr.filter((r) => r.partitions === p);
    if (own.length === 0) throw new RangeError(`no H-PR run with p = ${p}`);
    return measureMatrix(own, games, 'auc');
  });
  const largest = (...m: ScoreMatrix[]) => {
    const iqms = m.map(interquartileMean);
    return Math.max(...iqms) - Math.min(...iqms);
  };
  const few = matrices.some((m) => m.length < 2);
  return {
    partitions,
    iqm: matrices.map((m, i) => aggregateInterval([m], teachers, interquartileMean, seed + i, repetitions)),
    largestDifference: few
      ? { point: largest(...matrices), lower: null, upper: null }
      : stratifiedBootstrap(matrices, largest, new Rng(seed), { repetitions }),
  };
}
