/** Action choice over a game's legal actions only, from one row of q_S over the full action set. */
import type { Rng } from '../../util/rng';

/** The legal action with the largest value in `q[offset .. offset + numActions)` (the first on ties). */
export function greedyLegalAction(q: ArrayLike<number>, legalActions: readonly number[], offset = 0): number {
  let best = legalActions[0];
  for (const a of legalActions) if (q[offset + a] > q[offset + best]) best = a;
  return best;
}

/**
 * The ε part of ε-greedy: with probability ε a uniformly drawn legal action, otherwise null (act greedily).
 * Drawn before any network runs, so that a caller acting in several games runs the student once for all
 * of those that act greedily.
 */
export function exploratoryAction(legalActions: readonly number[], epsilon: number, rng: Rng): number | null {
  if (!(epsilon >= 0 && epsilon <= 1)) throw new RangeError(`epsilon must be in [0, 1], got ${epsilon}`);
  return rng.random() < epsilon ? legalActions[rng.int(legalActions.length)] : null;
}
