/**
 * Pure pieces of the sampling distributions (Schaul et al. 2016; Yin & Pan 2017, eq. 6–8) and the
 * checks on their parameters, shared by the samplers and by the tests that compute them by hand.
 */
import type { Rng } from '../util/rng';

/** Throws unless `value` lies in [0, 1] (α and β of prioritized replay). */
export function checkUnitInterval(name: string, value: number): void {
  if (!(value >= 0 && value <= 1)) throw new RangeError(`${name} must be in [0, 1], got ${value}`);
}

/** Throws unless every priority is a finite number ≥ 0, naming the first bad one. */
export function checkPriorities(priorities: ArrayLike<number>): void {
  for (let i = 0; i < priorities.length; i++) {
    const p = priorities[i];
    if (!(p >= 0 && p < Number.POSITIVE_INFINITY)) {
      throw new RangeError(`priorities must be finite and >= 0, got ${p} at position ${i}`);
    }
  }
}

/**
 * The partition of a state value: [vMin, vMax] split evenly into `partitions`, values below or above
 * the range going to the end partitions (the paper's range is measured on teacher play and can be exceeded).
 */
export function partitionIndex(value: number, vMin: number, vMax: number, partitions: number): number {
  const j = Math.floor(((value - vMin) / (vMax - vMin)) * partitions);
  return j < 0 ? 0 : j >= partitions ? partitions - 1 : j;
}

/** Unnormalised rank-based weight σ(k)^α = (1/rank)^α of eq. 6. */
export function rankWeight(rank: number, alpha: number): number {
  return rank ** -alpha;
}

/** Importance weight (count · P)^−β before batch normalisation (Schaul et al.; eq. 8 with count = N_j). */
export function importanceWeight(count: number, probability: number, beta: number): number {
  return (count * probability) ** -beta;
}

/** Divides every weight by the batch maximum (the paper's ŵ), in place. */
export function normaliseByMax(weights: Float32Array | Float64Array): void {
  let max = 0;
  for (let i = 0; i < weights.length; i++) if (weights[i] > max) max = weights[i];
  for (let i = 0; i < weights.length; i++) weights[i] /= max;
}

/** β annealed linearly from `start` to `end` over `steps` sampled batches, then held (Schaul et al.). */
export interface BetaSchedule {
  readonly start: number;
  readonly end: number;
  readonly steps: number;
}

export function checkBetaSchedule(schedule: BetaSchedule): void {
  checkUnitInterval('beta start', schedule.start);
  checkUnitInterval('beta end', schedule.end);
  if (!(Number.isInteger(schedule.steps) && schedule.steps >= 0)) {
    throw new RangeError(`beta schedule steps must be an integer >= 0, got ${schedule.steps}`);
  }
}

export function annealedBeta(schedule: BetaSchedule, step: number): number {
  if (step >= schedule.steps) return schedule.end;
  return schedule.start + (schedule.end - schedule.start) * (step / schedule.steps);
}

/** Uniform float in [0, 1) with 53 random bits: 32 bits cannot resolve a million ranks without bias. */
export function random53(rng: Rng): number {
  const high = rng.nextUint32() >>> 5; // 27 bits
  const low = rng.nextUint32() >>> 6; // 26 bits
  return (high * 67108864 + low) / 9007199254740992;
}
