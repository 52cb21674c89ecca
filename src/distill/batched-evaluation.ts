/**
 * The paper's evaluation protocol (ε-greedy, 0..maxNoops no-ops opening each episode, a budget of
 * control steps, mean return of the episodes completed within it) played by `copies` environments in
 * lockstep, so that one batched forward pass serves them all. Written beside the teachers' one-episode-
 * at-a-time `evaluatePolicy` because a small student's forward pass costs about as much for 16
 * observations as for one, and MinAtar's Freeway episodes are 2,500 steps long: every evaluation has to
 * play that long, and batching is what makes many evaluations of five games affordable.
 */
import type { Env, EnvSpec } from '../env/types';
import { greedyLegalAction } from '../nn/students';
import type { EvaluationResult } from '../train/evaluate';
import type { Rng } from '../util/rng';

export interface BatchedEvaluationConfig {
  /** Control steps each copy plays (no-ops included). */
  readonly steps: number;
  readonly epsilon: number;
  readonly maxNoops: number;
  /** Environments played in lockstep. */
  readonly copies: number;
}

/** Full-set index of the no-op: action 0 in both suites. */
const NOOP_ACTION = 0;

interface Copy {
  env: Env;
  noops: number;
  episodeReturn: number;
}

/**
 * Evaluates the policy whose Q-values over the full action set `q(observations, n)` returns for `n`
 * stacked observations ([n, numActions]). Each episode opens in a fresh environment seeded from `rng`;
 * the copies' episodes are counted in the order they finish.
 */
export function evaluateBatched(
  spec: EnvSpec,
  makeEnv: (seed: number) => Env,
  q: (observations: Uint8Array, n: number) => ArrayLike<number>,
  config: BatchedEvaluationConfig,
  rng: Rng,
): EvaluationResult {
  const { steps, epsilon, maxNoops, copies } = config;
  if (!(Number.isInteger(copies) && copies >= 1)) throw new RangeError(`copies must be an integer >= 1, got ${copies}`);
  if (!(Number.isInteger(steps) && steps >= 1)) throw new RangeError(`steps must be an integer >= 1, got ${steps}`);
  if (!spec.legalActions.includes(NOOP_ACTION)) {
    throw new RangeError(`${spec.id}: the evaluation protocol's no-op (action ${NOOP_ACTION}) is not a legal action`);
  }
  const [h, w, c] = spec.observationShape;
  const size = h * w * c;
  const observations = new Uint8Array(copies * size);
  const legal = spec.legalActions;
  const open = (k: number): Copy => {
    const env = makeEnv(rng.nextUint32());
    env.reset(observations.subarray(k * size, (k + 1) * size));
    return { env, noops: rng.int(maxNoops + 1), episodeReturn: 0 };
  };
  const state = Array.from({ length: copies }, (_, k) => open(k));
  const returns: number[] = [];
  for (let step = 0; step < steps; step++) {
    const actions = state.map((copy) => {
      if (copy.noops > 0) {
        copy.noops--;
        return NOOP_ACTION;
      }
      return rng.random() < epsilon ? legal[rng.int(legal.length)] : -1;
    });
    const values = actions.includes(-1) ? q(observations, copies) : null;
    state.forEach((copy, k) => {
      const action =
        actions[k] >= 0 ? actions[k] : greedyLegalAction(values as ArrayLike<number>, legal, k * spec.numActions);
      const result = copy.env.step(action, observations.subarray(k * size, (k + 1) * size));
      copy.episodeReturn += result.reward;
      if (result.terminal || result.truncated) {
        returns.push(copy.episodeReturn);
        copy.env.close();
        if (step + 1 < steps) state[k] = open(k);
      }
    });
  }
  for (const copy of state) copy.env.close();
  return {
    steps: steps * copies,
    returns,
    meanReturn: returns.length === 0 ? null : returns.reduce((a, b) => a + b, 0) / returns.length,
  };
}
