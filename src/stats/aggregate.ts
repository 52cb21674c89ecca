/**
 * Point aggregates of scores: the paper's geometric mean of % of teacher, and rliable's interquartile
 * mean. Hand-written (a few lines each) because their exact definitions matter: IQM follows
 * scipy.stats.trim_mean(·, 0.25), which rliable calls, and `quantile` follows numpy's default
 * (linear) rule; JavaScript statistics libraries use other conventions.
 */
import { checkScoreMatrix, type ScoreMatrix } from './score-matrix';

/** A student's score as a percentage of its teacher's score on the same game (Table 1). */
export function percentOfTeacher(score: number, teacherScore: number): number {
  if (!Number.isFinite(score)) throw new RangeError(`score must be a finite number, got ${score}`);
  if (!(teacherScore > 0 && Number.isFinite(teacherScore))) {
    throw new RangeError(
      `teacher score must be a finite number > 0 to express a percentage of it, got ${teacherScore}`,
    );
  }
  return (100 * score) / teacherScore;
}

/** (∏ xᵢ)^(1/n), through logarithms; one zero makes it 0, a negative value is an error. */
export function geometricMean(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('geometric mean of no values');
  let logSum = 0;
  for (const [i, v] of values.entries()) {
    if (!(v >= 0 && Number.isFinite(v)))
      throw new RangeError(`geometric mean needs finite values >= 0, value ${i} is ${v}`);
    if (v === 0) return 0;
    logSum += Math.log(v);
  }
  return Math.exp(logSum / values.length);
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('mean of no values');
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Mean of the middle values after cutting ⌊n/4⌋ from each end of the sorted list (scipy's trim_mean). */
export function trimmedMean(values: readonly number[], proportionToCut: number): number {
  if (!(proportionToCut >= 0 && proportionToCut < 0.5)) {
    throw new RangeError(`proportion to cut must be in [0, 0.5), got ${proportionToCut}`);
  }
  if (values.length === 0) throw new RangeError('trimmed mean of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const cut = Math.floor(proportionToCut * sorted.length);
  return mean(sorted.slice(cut, sorted.length - cut));
}

/** rliable's interquartile mean: the 25 % trimmed mean of all runs × games scores pooled together. */
export function interquartileMean(scores: ScoreMatrix): number {
  checkScoreMatrix('interquartileMean', scores);
  return trimmedMean(scores.flat(), 0.25);
}

/** numpy.quantile's default (linear interpolation between the order statistics around (n−1)·q). */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new RangeError('quantile of no values');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile level must be in [0, 1], got ${q}`);
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
}
