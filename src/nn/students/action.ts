/** Action choice over a game's legal actions only, from one row of q_S over the full action set. */
import type { Rng } from '../../util/rng';

/** The legal action with the largest value in `q[offset .. offset + numActions)` (the first on ties). */
export function greedyLegalAction(q: ArrayLike<number>, legalActions: readonly number[], offset = 0): number {
  let best = legalActions[0];
  for (const a of legalActions) if (q[offset + a] > q[offset + best]) best = a;
  return best;
}

/**
 * With probability ε a uniformly drawn legal action, otherwise the greedy legal one of `q()`; the
 * network is only run (`q` called) when the choice is greedy.
 */
export function epsilonGreedyLegalAction(
  q: () => ArrayLike<number>,
  legalActions: readonly number[],
  epsilon: number,
  rng: Rng,
): number {
  if (!(epsilon >= 0 && epsilon <= 1)) throw new RangeError(`epsilon must be in [0, 1], got ${epsilon}`);
  if (rng.random() < epsilon) return legalActions[rng.int(legalActions.length)];
  return greedyLegalAction(q(), legalActions);
}
