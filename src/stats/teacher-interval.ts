/**
 * Scores in % of a teacher whose own score is an estimate: the 100 % line is the teacher's mean return over its
 * evaluation episodes, with a 95 % interval (its evaluation.json). Every interval of a percentage carries both
 * uncertainties, the student's over seeds and the teacher's:
 * - a mean over seeds (one game): the delta method (`percentInterval`);
 * - an aggregate over seeds × games (IQM, geometric mean): rliable's stratified bootstrap with each game's teacher
 *   score drawn anew in every resample (`teacherStratifiedBootstrap`).
 */
import type { Rng } from '../util/rng';
import { quantile } from './aggregate';
import { stratifiedResample } from './bootstrap';
import { studentTQuantile } from './confidence';
import { checkScoreMatrix, type ScoreMatrix } from './score-matrix';

/** A teacher's score and its 95 % interval (null bounds: not recorded, taken as exact). */
export interface TeacherScore {
  readonly score: number;
  readonly ciLow: number | null;
  readonly ciHigh: number | null;
}

/** A point estimate with a 95 % interval; null bounds when there is no interval (one seed). */
export interface NullableInterval {
  readonly point: number;
  readonly lower: number | null;
  readonly upper: number | null;
}

/** Half-width of the teacher's 95 % interval; 0 when it was not recorded. */
export function teacherHalfWidth(teacher: TeacherScore): number {
  if (teacher.ciLow === null || teacher.ciHigh === null) return 0;
  if (!(teacher.ciHigh >= teacher.ciLow))
    throw new RangeError(`teacher interval [${teacher.ciLow}, ${teacher.ciHigh}] is not an interval`);
  return (teacher.ciHigh - teacher.ciLow) / 2;
}

function checkTeacher(teacher: TeacherScore): void {
  if (!(teacher.score > 0 && Number.isFinite(teacher.score)))
    throw new RangeError(`teacher score must be a finite number > 0, got ${teacher.score}`);
}

/**
 * Mean over seeds of % of teacher, P = 100·S̄/T, with a 95 % interval carrying both uncertainties. S̄ (the student's
 * mean over n seeds) and T (the teacher's mean return) are independent estimates; the delta method gives
 * Var(P) ≈ (100/T)²·Var(S̄) + P²·Var(T)/T². Each term is taken at its own 95 % critical value (Student t with n − 1
 * degrees of freedom over seeds; the teacher's own Student-t interval, evaluation.json's ci95), so the half-widths
 * add in quadrature: h = √(h_seeds² + (P·h_T/T)²), h_seeds = t(0.975, n−1)·sd(Pᵢ)/√n, h_T the teacher's half-width.
 * One seed has no interval over seeds: lower and upper are null.
 */
export function percentInterval(percents: readonly number[], teacher: TeacherScore): NullableInterval {
  checkTeacher(teacher);
  const n = percents.length;
  if (n === 0) throw new RangeError('percentInterval needs at least one seed');
  if (percents.some((p) => !Number.isFinite(p))) throw new RangeError('percentInterval needs finite percentages');
  const point = percents.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { point, lower: null, upper: null };
  const variance = percents.reduce((a, p) => a + (p - point) ** 2, 0) / (n - 1);
  const seeds = studentTQuantile(0.975, n - 1) * Math.sqrt(variance / n);
  const fromTeacher = (Math.abs(point) * teacherHalfWidth(teacher)) / teacher.score;
  const half = Math.sqrt(seeds ** 2 + fromTeacher ** 2);
  return { point, lower: point - half, upper: point + half };
}

/** The 97.5 % normal quantile: a teacher's 95 % interval read as a normal one has sd = half-width / 1.96. */
const NORMAL_975 = 1.959963984540054;

/** One standard normal draw (Box–Muller, 1 − u so that the logarithm is finite). */
function normalDraw(rng: Rng): number {
  const u = 1 - rng.random();
  const v = rng.random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A teacher score drawn from Normal(T, (h_T/1.96)²), drawn again while it is not positive. */
export function drawTeacherScore(teacher: TeacherScore, rng: Rng): number {
  const sd = teacherHalfWidth(teacher) / NORMAL_975;
  if (sd === 0) return teacher.score;
  for (;;) {
    const draw = teacher.score + sd * normalDraw(rng);
    if (draw > 0) return draw;
  }
}

/**
 * rliable's stratified bootstrap of a statistic of % of teacher scores (`matrices[m][run][game]`), with the teachers'
 * uncertainty drawn too: every resample redraws each matrix's runs per game (`stratifiedResample`) and one teacher
 * score per game, T* ~ Normal(T, (h_T/1.96)²) (the teacher's 95 % interval read as a normal one), shared by every
 * matrix (they have the same teachers), and rescales that game's column by T/T*. Percentile interval, seeded `rng`:
 * the numbers repeat. The point estimate is the statistic on the scores as they are.
 */
export function teacherStratifiedBootstrap(
  matrices: readonly ScoreMatrix[],
  teachers: readonly TeacherScore[],
  statistic: (...resampled: ScoreMatrix[]) => number,
  rng: Rng,
  repetitions = 2_000,
): NullableInterval & { readonly lower: number; readonly upper: number } {
  if (!(Number.isInteger(repetitions) && repetitions >= 1))
    throw new RangeError(`bootstrap repetitions must be an integer >= 1, got ${repetitions}`);
  if (matrices.length === 0) throw new RangeError('bootstrap needs at least one score matrix');
  for (const [i, m] of matrices.entries()) {
    checkScoreMatrix(`bootstrap matrix ${i}`, m);
    if (m[0].length !== teachers.length)
      throw new RangeError(`bootstrap matrix ${i} has ${m[0].length} games but ${teachers.length} teachers`);
  }
  for (const t of teachers) checkTeacher(t);
  const estimates = new Array<number>(repetitions);
  for (let i = 0; i < repetitions; i++) {
    const resampled = matrices.map((m) => stratifiedResample(m, rng));
    const scale = teachers.map((t) => t.score / drawTeacherScore(t, rng));
    estimates[i] = statistic(...resampled.map((m) => m.map((run) => run.map((v, g) => v * scale[g]))));
  }
  return { point: statistic(...matrices), lower: quantile(estimates, 0.025), upper: quantile(estimates, 0.975) };
}
