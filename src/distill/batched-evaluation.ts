/**
 * The paper's evaluation protocol (ε-greedy, 0..maxNoops no-ops opening each episode, a budget of
 * control steps, mean return of the episodes completed within it) played by `copies` environments of
 * every game in lockstep, so that one batched forward pass of the multi-task student serves them all.
 * Written beside the teachers' one-episode-at-a-time `evaluatePolicy` because a small student's forward
 * pass costs about as much for 40 observations as for one, and MinAtar's Freeway episodes are 2,500
 * steps long: every evaluation has to play that long, and batching is what makes many evaluations of
 * five games affordable.
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

/** One game of an evaluation: its spec and a fresh environment per episode. */
export interface EvaluatedGame {
  readonly spec: EnvSpec;
  readonly makeEnv: (seed: number) => Env;
}

/**
 * Evaluates every game with the policy whose Q-values `q(observations, n)` returns for `n` stacked
 * observations of each game (`observations[g]`), rows stacked in game order ([games × n, numActions]).
 * Each episode opens in a fresh environment seeded from `rng`; episodes are counted in the order they finish.
 */
export function evaluateBatched(
  games: readonly EvaluatedGame[],
  q: (observations: readonly Uint8Array[], n: number) => ArrayLike<number>,
  config: BatchedEvaluationConfig,
  rng: Rng,
): EvaluationResult[] {
  const { steps, epsilon, maxNoops, copies } = config;
  if (!(Number.isInteger(copies) && copies >= 1)) throw new RangeError(`copies must be an integer >= 1, got ${copies}`);
  if (!(Number.isInteger(steps) && steps >= 1)) throw new RangeError(`steps must be an integer >= 1, got ${steps}`);
  for (const { spec } of games) {
    if (!spec.legalActions.includes(NOOP_ACTION)) {
      throw new RangeError(`${spec.id}: the evaluation protocol's no-op (action ${NOOP_ACTION}) is not a legal action`);
    }
  }
  const sizes = games.map(({ spec }) => spec.observationShape.reduce((a, b) => a * b, 1));
  const observations = games.map((_, g) => new Uint8Array(copies * sizes[g]));
  const slot = (g: number, k: number) => observations[g].subarray(k * sizes[g], (k + 1) * sizes[g]);
  const open = (g: number, k: number): Copy => {
    const env = games[g].makeEnv(rng.nextUint32());
    env.reset(slot(g, k));
    return { env, noops: rng.int(maxNoops + 1), episodeReturn: 0 };
  };
  const state = games.map((_, g) => Array.from({ length: copies }, (_, k) => open(g, k)));
  const returns: number[][] = games.map(() => []);
  const actions = games.map(() => new Int32Array(copies));
  for (let step = 0; step < steps; step++) {
    let anyGreedy = false;
    games.forEach(({ spec }, g) => {
      const legal = spec.legalActions;
      state[g].forEach((copy, k) => {
        if (copy.noops > 0) {
          copy.noops--;
          actions[g][k] = NOOP_ACTION;
        } else if (rng.random() < epsilon) actions[g][k] = legal[rng.int(legal.length)];
        else {
          actions[g][k] = -1;
          anyGreedy = true;
        }
      });
    });
    const values = anyGreedy ? q(observations, copies) : null;
    games.forEach(({ spec }, g) => {
      state[g].forEach((copy, k) => {
        const row = (g * copies + k) * spec.numActions;
        const action =
          actions[g][k] >= 0 ? actions[g][k] : greedyLegalAction(values as ArrayLike<number>, spec.legalActions, row);
        const result = copy.env.step(action, slot(g, k));
        copy.episodeReturn += result.reward;
        if (result.terminal || result.truncated) {
          returns[g].push(copy.episodeReturn);
          copy.env.close();
          if (step + 1 < steps) state[g][k] = open(g, k);
        }
      });
    });
  }
  for (const copy of state.flat()) copy.env.close();
  return returns.map((r) => ({
    steps: steps * copies,
    returns: r,
    meanReturn: r.length === 0 ? null : r.reduce((a, b) => a + b, 0) / r.length,
  }));
}
