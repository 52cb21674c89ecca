/**
 * The evaluation protocol of the students (ε-greedy, 0..maxNoops no-ops opening each episode), scored over
 * whole episodes as the teachers' 100 % line is (src/train/evaluate-episodes.ts): every game plays `episodes`
 * episodes side by side, so that one batched forward pass of the multi-task student serves all of them, until
 * each has ended (or hit `maxEpisodeSteps`, counted as cut with its return so far). The paper plays a budget of
 * control steps and averages the episodes completed within it; that favours short episodes, and scoring the
 * students one way and their teachers another would bias every "% of teacher".
 */
import type { Env, EnvSpec } from '../env/types';
import { greedyLegalAction } from '../nn/students';
import type { Rng } from '../util/rng';

export interface BatchedEvaluationConfig {
  /** Episodes each game plays (side by side). */
  readonly episodes: number;
  readonly epsilon: number;
  readonly maxNoops: number;
  /** An episode still running after this many steps is cut (its return so far counts). */
  readonly maxEpisodeSteps: number;
}

export interface BatchedEvaluationResult {
  /** Control steps played, no-ops included. */
  readonly steps: number;
  /** One return per episode, in episode order. */
  readonly returns: readonly number[];
  readonly meanReturn: number;
  /** Episodes cut at `maxEpisodeSteps`. */
  readonly truncated: number;
}

/** Full-set index of the no-op: action 0 in both suites. */
const NOOP_ACTION = 0;

interface Episode {
  readonly env: Env;
  noops: number;
  episodeReturn: number;
  length: number;
  running: boolean;
}

/** One game of an evaluation: its spec and a fresh environment per episode. */
export interface EvaluatedGame {
  readonly spec: EnvSpec;
  readonly makeEnv: (seed: number) => Env;
}

/**
 * Evaluates every game with the policy whose Q-values `q(observations, n)` returns for `n` stacked
 * observations of each game (`observations[g]`), rows stacked in game order ([games × n, numActions]).
 * Each episode opens in a fresh environment seeded from `rng`.
 */
export function evaluateBatched(
  games: readonly EvaluatedGame[],
  q: (observations: readonly Uint8Array[], n: number) => ArrayLike<number>,
  config: BatchedEvaluationConfig,
  rng: Rng,
): BatchedEvaluationResult[] {
  const { episodes, epsilon, maxNoops, maxEpisodeSteps } = config;
  if (!(Number.isInteger(episodes) && episodes >= 1)) {
    throw new RangeError(`evaluation.episodes must be an integer >= 1, got ${episodes}`);
  }
  if (!(Number.isInteger(maxEpisodeSteps) && maxEpisodeSteps >= 1)) {
    throw new RangeError(`evaluation.maxEpisodeSteps must be an integer >= 1, got ${maxEpisodeSteps}`);
  }
  for (const { spec } of games) {
    if (!spec.legalActions.includes(NOOP_ACTION)) {
      throw new RangeError(`${spec.id}: the evaluation protocol's no-op (action ${NOOP_ACTION}) is not a legal action`);
    }
  }
  const sizes = games.map(({ spec }) => spec.observationShape.reduce((a, b) => a * b, 1));
  const observations = games.map((_, g) => new Uint8Array(episodes * sizes[g]));
  const slot = (g: number, k: number) => observations[g].subarray(k * sizes[g], (k + 1) * sizes[g]);
  const state: Episode[][] = games.map((game, g) =>
    Array.from({ length: episodes }, (_, k) => {
      const env = game.makeEnv(rng.nextUint32());
      env.reset(slot(g, k));
      return { env, noops: rng.int(maxNoops + 1), episodeReturn: 0, length: 0, running: true };
    }),
  );
  const truncated = games.map(() => 0);
  const steps = games.map(() => 0);
  const actions = games.map(() => new Int32Array(episodes));
  let running = games.length * episodes;
  while (running > 0) {
    let anyGreedy = false;
    games.forEach(({ spec }, g) => {
      const legal = spec.legalActions;
      state[g].forEach((episode, k) => {
        if (!episode.running) return;
        if (episode.noops > 0) {
          episode.noops--;
          actions[g][k] = NOOP_ACTION;
        } else if (rng.random() < epsilon) actions[g][k] = legal[rng.int(legal.length)];
        else {
          actions[g][k] = -1;
          anyGreedy = true;
        }
      });
    });
    // Ended episodes keep their last observation in the batch: one shape for every call.
    const values = anyGreedy ? q(observations, episodes) : null;
    games.forEach(({ spec }, g) => {
      state[g].forEach((episode, k) => {
        if (!episode.running) return;
        const row = (g * episodes + k) * spec.numActions;
        const action =
          actions[g][k] >= 0 ? actions[g][k] : greedyLegalAction(values as ArrayLike<number>, spec.legalActions, row);
        const result = episode.env.step(action, slot(g, k));
        episode.episodeReturn += result.reward;
        episode.length++;
        steps[g]++;
        const cut = !result.terminal && !result.truncated && episode.length >= maxEpisodeSteps;
        if (result.truncated || cut) truncated[g]++;
        if (result.terminal || result.truncated || cut) {
          episode.running = false;
          episode.env.close();
          running--;
        }
      });
    });
  }
  return state.map((episodesOfGame, g) => {
    const returns = episodesOfGame.map((e) => e.episodeReturn);
    return {
      steps: steps[g],
      returns,
      meanReturn: returns.reduce((a, b) => a + b, 0) / returns.length,
      truncated: truncated[g],
    };
  });
}
