/**
 * Sample efficiency read off a learning curve: how many updates a run needed to first reach a score.
 * A curve that never reaches it gives `null` ("not reached"), never an extrapolated number.
 */

export interface LearningCurve {
  /** Mini-batch updates at each evaluation, strictly increasing. */
  readonly updates: readonly number[];
  /** Evaluation score at each of those points. */
  readonly scores: readonly number[];
}

function checkCurve(curve: LearningCurve): void {
  if (curve.updates.length !== curve.scores.length) {
    throw new RangeError(`learning curve has ${curve.updates.length} update counts but ${curve.scores.length} scores`);
  }
  curve.updates.forEach((u, i) => {
    if (!(Number.isFinite(u) && u >= 0)) throw new RangeError(`update count ${i} is ${u}, expected a number >= 0`);
    if (i > 0 && !(u > curve.updates[i - 1])) {
      throw new RangeError(`update counts must increase: point ${i} has ${u} after ${curve.updates[i - 1]}`);
    }
  });
  curve.scores.forEach((s, i) => {
    if (!Number.isFinite(s)) throw new RangeError(`score ${i} is ${s}, expected a finite number`);
  });
}

/** Updates at the first evaluation scoring at or above `threshold`; null when none does. */
export function updatesToThreshold(curve: LearningCurve, threshold: number): number | null {
  if (!Number.isFinite(threshold)) throw new RangeError(`threshold must be a finite number, got ${threshold}`);
  checkCurve(curve);
  const index = curve.scores.findIndex((s) => s >= threshold);
  return index < 0 ? null : curve.updates[index];
}

/** numerator / denominator of two update counts (e.g. H-PR over uniform); null when either was not reached. */
export function updatesRatio(numerator: number | null, denominator: number | null): number | null {
  if (numerator === null || denominator === null) return null;
  if (!(denominator > 0)) throw new RangeError(`denominator update count must be > 0, got ${denominator}`);
  return numerator / denominator;
}
