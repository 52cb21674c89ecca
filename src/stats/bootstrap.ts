/**
 * rliable's stratified bootstrap confidence intervals: each resample redraws, for every game
 * separately, as many runs as there are with replacement (StratifiedBootstrap), independently for each
 * matrix given (StratifiedIndependentBootstrap, used for probability of improvement); the interval is
 * the percentile interval of the statistic over the resamples. Draws come from a seeded `Rng`.
 */
import type { Rng } from '../util/rng';
import { quantile } from './aggregate';
import { checkScoreMatrix, type ScoreMatrix } from './score-matrix';

export interface BootstrapOptions {
  /** Number of resamples (rliable's default is 50,000). */
  readonly repetitions?: number;
  /** Coverage of the interval (default 0.95). */
  readonly confidence?: number;
}

export interface IntervalEstimate {
  /** The statistic on the original scores. */
  readonly point: number;
  readonly lower: number;
  readonly upper: number;
}

/** One stratified resample: for every game, `runs` runs drawn with replacement from that game's column. */
export function stratifiedResample(scores: ScoreMatrix, rng: Rng): number[][] {
  const runs = scores.length;
  const games = scores[0].length;
  const resampled = Array.from({ length: runs }, () => new Array<number>(games));
  for (let g = 0; g < games; g++) {
    for (let r = 0; r < runs; r++) resampled[r][g] = scores[rng.int(runs)][g];
  }
  return resampled;
}

/** Point value and percentile interval of `statistic` over stratified resamples of every matrix. */
export function stratifiedBootstrap(
  matrices: readonly ScoreMatrix[],
  statistic: (...resampled: ScoreMatrix[]) => number,
  rng: Rng,
  options: BootstrapOptions = {},
): IntervalEstimate {
  const repetitions = options.repetitions ?? 50_000;
  const confidence = options.confidence ?? 0.95;
  if (!(Number.isInteger(repetitions) && repetitions >= 1)) {
    throw new RangeError(`bootstrap repetitions must be an integer >= 1, got ${repetitions}`);
  }
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  if (matrices.length === 0) throw new RangeError('bootstrap needs at least one score matrix');
  for (const [i, m] of matrices.entries()) checkScoreMatrix(`bootstrap matrix ${i}`, m);
  const estimates = new Array<number>(repetitions);
  for (let i = 0; i < repetitions; i++) estimates[i] = statistic(...matrices.map((m) => stratifiedResample(m, rng)));
  const tail = (1 - confidence) / 2;
  return { point: statistic(...matrices), lower: quantile(estimates, tail), upper: quantile(estimates, 1 - tail) };
}
