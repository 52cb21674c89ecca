/**
 * The teacher's view of a state distribution (Yin & Pan, "Uniform sampling on partitions" and Figure 2):
 * V_T(s) = max over legal actions of q_T(s) for every state a policy visits, the range [V_min, V_max]
 * H-PR partitions, and the 10-bin histogram Figure 2 draws.
 */
import type { Env, EnvSpec } from '../env/types';
import type { Rng } from '../util/rng';

export interface PlayBudget {
  /** Control steps to play (episodes restart in fresh environments until the budget is spent). */
  readonly steps: number;
  /** ε of the ε-greedy play around the policy's greedy choice. */
  readonly epsilon: number;
}

/**
 * V_T of every state visited while `greedy` (an index into the legal actions) plays ε-greedily for
 * `budget.steps` steps; `teacherQ` gives the teacher's Q-values over the legal actions, and `greedy` is
 * handed them too, so that the teacher's own policy needs no second forward pass.
 */
export function visitedStateValues(
  spec: EnvSpec,
  makeEnv: (seed: number) => Env,
  teacherQ: (observation: Uint8Array) => ArrayLike<number>,
  greedy: (observation: Uint8Array, teacherQ: ArrayLike<number>) => number,
  budget: PlayBudget,
  rng: Rng,
): Float32Array {
  if (!(Number.isInteger(budget.steps) && budget.steps >= 1)) {
    throw new RangeError(`steps must be an integer >= 1, got ${budget.steps}`);
  }
  if (!(budget.epsilon >= 0 && budget.epsilon <= 1))
    throw new RangeError(`epsilon must be in [0, 1], got ${budget.epsilon}`);
  const [h, w, c] = spec.observationShape;
  const observation = new Uint8Array(h * w * c);
  const values = new Float32Array(budget.steps);
  const legal = spec.legalActions;
  let env: Env | null = null;
  for (let step = 0; step < budget.steps; step++) {
    if (env === null) {
      env = makeEnv(rng.nextUint32());
      env.reset(observation);
    }
    const q = teacherQ(observation);
    values[step] = Math.max(...Array.from(q));
    const choice = rng.random() < budget.epsilon ? rng.int(legal.length) : greedy(observation, q);
    const result = env.step(legal[choice], observation);
    if (result.terminal || result.truncated) {
      env.close();
      env = null;
    }
  }
  env?.close();
  return values;
}

/** [min, max] of `values`; an error when they are all equal (no range to partition). */
export function valueRange(values: ArrayLike<number>): [number, number] {
  if (values.length === 0) throw new RangeError('a value range needs at least one value');
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) throw new RangeError(`state value ${i} is ${v}, expected a finite number`);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!(min < max))
    throw new RangeError(`every state value equals ${min}: the teacher's play gives no range to partition`);
  return [min, max];
}

/**
 * Share of `values` in each of `bins` equal bins of [min, max] (Figure 2: 10 bins of the teacher's value
 * range); values outside the range count in the end bins, as H-PR's partitions do.
 */
export function binShares(values: ArrayLike<number>, range: readonly [number, number], bins: number): number[] {
  const [min, max] = range;
  if (!(Number.isInteger(bins) && bins >= 1)) throw new RangeError(`bins must be an integer >= 1, got ${bins}`);
  if (!(min < max)) throw new RangeError(`range needs min < max, got [${min}, ${max}]`);
  if (values.length === 0) throw new RangeError('bin shares of no values');
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const j = Math.floor(((values[i] - min) / (max - min)) * bins);
    counts[j < 0 ? 0 : j >= bins ? bins - 1 : j]++;
  }
  return counts.map((n) => n / values.length);
}
