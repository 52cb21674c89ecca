/**
 * The evaluation protocol (ε-greedy, 0–`maxNoops` no-ops at each start) budgeted in episodes instead of steps:
 * `episodes` whole episodes, played side by side so that the policy answers all of them in one batched call per
 * step. A step budget biases the mean toward short episodes and gives Freeway (2,500-step episodes) two; a count
 * of episodes gives every game the same number of independent returns, and so a confidence interval.
 */
import type { Env, EnvSpec } from '../env/types';
import { Rng } from '../util/rng';

export interface EpisodeEvaluationConfig {
  readonly episodes: number;
  readonly epsilon: number;
  readonly maxNoops: number;
  /** An episode still running after this many steps is cut and counted as truncated (its return so far is kept). */
  readonly maxEpisodeSteps: number;
}

/** The evaluation protocol of a teacher's score, enough to repeat it exactly. */
export interface EvaluationProtocol extends EpisodeEvaluationConfig {
  /** Seed of the evaluation's generator. */
  readonly seed: number;
}

/** A policy's score over whole episodes, with the 95 % confidence interval of the mean. */
export interface EpisodeScore {
  readonly episodes: number;
  readonly meanReturn: number;
  readonly ci95: readonly [number, number];
  /** Episodes cut at the protocol's `maxEpisodeSteps` (their return so far counts). */
  readonly truncatedEpisodes: number;
}

export interface EpisodeEvaluation {
  /** One return per episode, in episode order. */
  readonly returns: readonly number[];
  /** Episodes cut at `maxEpisodeSteps` or truncated by the environment's own time limit. */
  readonly truncated: number;
  readonly steps: number;
}

/**
 * Writes into `out[k]` the greedy action (an index into the legal actions) of observation k, for the first `n`
 * observations stacked in `observations`.
 */
export type BatchPolicy = (observations: Uint8Array, n: number, out: Int32Array) => void;

/** Full-set index of the no-op: action 0 in both suites. */
const NOOP_ACTION = 0;

/** Episode i gets its own environment seed and generator, both drawn from `rng` first, so the result does not depend on batching. */
export function evaluateEpisodes(
  spec: EnvSpec,
  makeEnv: (seed: number) => Env,
  policy: BatchPolicy | null,
  config: EpisodeEvaluationConfig,
  rng: Rng,
): EpisodeEvaluation {
  if (!spec.legalActions.includes(NOOP_ACTION)) {
    throw new RangeError(`${spec.id}: the evaluation protocol's no-op (action ${NOOP_ACTION}) is not a legal action`);
  }
  if (!(Number.isInteger(config.episodes) && config.episodes >= 1)) {
    throw new RangeError(`evaluation episodes = ${config.episodes}: expected an integer ≥ 1`);
  }
  const n = config.episodes;
  const frame = spec.observationShape[0] * spec.observationShape[1] * spec.observationShape[2];
  const observations = new Uint8Array(n * frame);
  const views = Array.from({ length: n }, (_, i) => observations.subarray(i * frame, (i + 1) * frame));
  const seeds = Array.from({ length: n }, () => [rng.nextUint32(), rng.nextUint32()] as const);
  const envs = seeds.map(([envSeed]) => makeEnv(envSeed));
  const generators = seeds.map(([, seed]) => new Rng(seed));
  const noops = generators.map((g) => g.int(config.maxNoops + 1));
  const returns = new Array<number>(n).fill(0);
  const lengths = new Int32Array(n);
  const running = Array.from({ length: n }, (_, i) => i);
  const greedy = new Int32Array(n);
  const packed = new Uint8Array(n * frame);
  let truncated = 0;
  let steps = 0;
  envs.forEach((env, i) => {
    env.reset(views[i]);
  });
  while (running.length > 0) {
    // The policy sees only the running episodes, packed together.
    if (policy !== null) {
      running.forEach((i, k) => {
        packed.set(views[i], k * frame);
      });
      policy(packed, running.length, greedy);
    }
    let kept = 0;
    running.forEach((i, k) => {
      const g = generators[i];
      let action = NOOP_ACTION;
      if (noops[i] > 0) noops[i]--;
      else if (policy === null || g.random() < config.epsilon)
        action = spec.legalActions[g.int(spec.legalActions.length)];
      else action = spec.legalActions[greedy[k]];
      const result = envs[i].step(action, views[i]);
      returns[i] += result.reward;
      lengths[i]++;
      steps++;
      const cut = !result.terminal && !result.truncated && lengths[i] >= config.maxEpisodeSteps;
      if (result.truncated || cut) truncated++;
      if (result.terminal || result.truncated || cut) envs[i].close();
      else running[kept++] = i;
    });
    running.length = kept;
  }
  return { returns, truncated, steps };
}
