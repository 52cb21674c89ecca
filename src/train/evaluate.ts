/**
 * The paper's evaluation protocol: ε-greedy with a small ε, each episode opened by a random number of
 * no-ops (0 to `maxNoops`), a fixed budget of control steps, and the mean return of the episodes that
 * finished within the budget (an episode cut by the budget is not counted).
 */
import type { Env, EnvSpec } from '../env/types';
import type { Rng } from '../util/rng';

export interface EvaluationConfig {
  /** Training steps between evaluations. */
  readonly every: number;
  /** Control steps per evaluation (no-ops included). */
  readonly steps: number;
  readonly epsilon: number;
  readonly maxNoops: number;
}

export interface EvaluationResult {
  readonly steps: number;
  /** Returns of the completed episodes, in order. */
  readonly returns: readonly number[];
  /** Mean of `returns`; null when no episode finished within the budget. */
  readonly meanReturn: number | null;
}

/** The policy being evaluated: an index into the game's legal actions for one observation. */
export type GreedyPolicy = (observation: Uint8Array) => number;

/** Full-set index of the no-op: action 0 in both suites. */
const NOOP_ACTION = 0;

export function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * Runs one evaluation. `makeEnv(seed)` gives a fresh environment per episode, seeded from `rng`, so the
 * result depends only on the policy and the generator's state.
 */
export function evaluatePolicy(
  spec: EnvSpec,
  makeEnv: (seed: number) => Env,
  policy: GreedyPolicy,
  config: EvaluationConfig,
  rng: Rng,
): EvaluationResult {
  if (!spec.legalActions.includes(NOOP_ACTION)) {
    throw new RangeError(`${spec.id}: the evaluation protocol's no-op (action ${NOOP_ACTION}) is not a legal action`);
  }
  const [h, w, c] = spec.observationShape;
  const observation = new Uint8Array(h * w * c);
  const returns: number[] = [];
  let steps = 0;
  while (steps < config.steps) {
    const env = makeEnv(rng.nextUint32());
    env.reset(observation);
    let noops = rng.int(config.maxNoops + 1);
    let episodeReturn = 0;
    let ended = false;
    while (!ended && steps < config.steps) {
      let action = NOOP_ACTION;
      if (noops > 0) noops--;
      else if (rng.random() < config.epsilon) action = spec.legalActions[rng.int(spec.legalActions.length)];
      else action = spec.legalActions[policy(observation)];
      const result = env.step(action, observation);
      steps++;
      episodeReturn += result.reward;
      ended = result.terminal || result.truncated;
    }
    if (ended) returns.push(episodeReturn);
    env.close();
  }
  return { steps, returns, meanReturn: mean(returns) };
}
