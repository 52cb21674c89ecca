/** Everything that defines a PQN teacher run, as plain JSON-able data (saved in checkpoints and run folders). */
import { type QNetworkSpec, validateQNetworkSpec } from '../nn/qnetwork';
import {
  checkFlag,
  checkInteger,
  checkObject,
  checkReal,
  failConfig,
  MAX_COUNTER,
  MAX_SEED,
} from '../util/config-checks';
import { type DivergenceConfig, validateDivergence } from './divergence';
import type { EpsilonSchedule } from './epsilon';

/** ε falls linearly from `start` to `end` over the first `decayFraction` of the run's steps. */
export interface PqnEpsilon {
  readonly start: number;
  readonly end: number;
  readonly decayFraction: number;
}

export interface PqnEvaluationConfig {
  /** Agent steps (frames, all environments together) between evaluations during training. */
  readonly every: number;
  /** Episodes of each evaluation during training. */
  readonly episodes: number;
  /** Episodes of the final evaluation and of each snapshot's: the teacher's score and its interval. */
  readonly finalEpisodes: number;
  readonly epsilon: number;
  readonly maxNoops: number;
  /** Evaluation episodes longer than this are cut and reported as truncated. */
  readonly maxEpisodeSteps: number;
}

/**
 * PQN (Gallici et al. 2024, "Simplifying Deep Temporal Difference Learning"): `numEnvs` environments step
 * together for `rolloutSteps`; Q(λ) targets from the acting network; `epochs` passes over the rollout in
 * `minibatches` shuffled minibatches; RAdam with global-norm clipping; no replay memory, no target network.
 */
export interface PqnConfig {
  readonly seed: number;
  /** Agent steps of all environments together (one MinAtar frame each). */
  readonly totalSteps: number;
  readonly network: QNetworkSpec;
  readonly inputScale: number;
  readonly numEnvs: number;
  readonly rolloutSteps: number;
  readonly epochs: number;
  readonly minibatches: number;
  readonly gamma: number;
  readonly lambda: number;
  readonly learningRate: number;
  /** Decay the learning rate linearly to zero over the run, as the reference configuration does. */
  readonly learningRateDecay: boolean;
  readonly maxGradNorm: number;
  /** ε of the acting policy. */
  readonly epsilon: PqnEpsilon;
  readonly evaluation: PqnEvaluationConfig;
  /** Fractions of `totalSteps` at which the network is kept, evaluated, as earlier stages of training (Figure 2). */
  readonly snapshots: readonly number[];
  /** A checkpoint at the first rollout end at or after every multiple of this many agent steps. */
  readonly checkpointEvery: number;
  /** When a loss stops the run as diverged (divergence.ts); absent: DEFAULT_DIVERGENCE; null: non-finite only. */
  readonly divergence?: DivergenceConfig | null;
}

/** Agent steps of one rollout: every environment's `rolloutSteps`. */
export function rolloutSize(config: Pick<PqnConfig, 'numEnvs' | 'rolloutSteps'>): number {
  return config.numEnvs * config.rolloutSteps;
}

/** ε's schedule in agent steps. */
export function pqnEpsilonSchedule(config: Pick<PqnConfig, 'epsilon' | 'totalSteps'>): EpsilonSchedule {
  const { start, end, decayFraction } = config.epsilon;
  return { start, end, decaySteps: Math.round(decayFraction * config.totalSteps) };
}

/** Throws naming the first key whose value is out of range. */
export function validatePqnConfig(c: PqnConfig): void {
  const fail = failConfig;
  const integer = checkInteger;
  const real = checkReal;
  const flag = checkFlag;
  checkObject('configuration', c, '(a PQN configuration)');
  integer('seed', c.seed, 0, MAX_SEED);
  integer('numEnvs', c.numEnvs, 1, 4096);
  integer('rolloutSteps', c.rolloutSteps, 1, 4096);
  integer('totalSteps', c.totalSteps, rolloutSize(c), MAX_COUNTER);
  integer('epochs', c.epochs, 1, 64);
  integer('minibatches', c.minibatches, 1, rolloutSize(c));
  if (rolloutSize(c) % c.minibatches !== 0) {
    fail('minibatches', c.minibatches, `a divisor of numEnvs × rolloutSteps (${rolloutSize(c)})`);
  }
  validateQNetworkSpec('network', c.network);
  real('inputScale', c.inputScale, 0, 1, true);
  real('gamma', c.gamma, 0, 1);
  real('lambda', c.lambda, 0, 1);
  real('learningRate', c.learningRate, 0, 1, true);
  flag('learningRateDecay', c.learningRateDecay);
  real('maxGradNorm', c.maxGradNorm, 0, 1e6, true);
  checkObject('epsilon', c.epsilon, '{ start, end, decayFraction }');
  real('epsilon.start', c.epsilon.start, 0, 1);
  real('epsilon.end', c.epsilon.end, 0, 1);
  real('epsilon.decayFraction', c.epsilon.decayFraction, 0, 1);
  checkObject('evaluation', c.evaluation, '{ every, episodes, finalEpisodes, epsilon, maxNoops, maxEpisodeSteps }');
  integer('evaluation.every', c.evaluation.every, 1, MAX_COUNTER);
  integer('evaluation.episodes', c.evaluation.episodes, 2, 100_000);
  integer('evaluation.finalEpisodes', c.evaluation.finalEpisodes, 2, 100_000);
  real('evaluation.epsilon', c.evaluation.epsilon, 0, 1);
  integer('evaluation.maxNoops', c.evaluation.maxNoops, 0, 10_000);
  integer('evaluation.maxEpisodeSteps', c.evaluation.maxEpisodeSteps, 1, MAX_COUNTER);
  if (!Array.isArray(c.snapshots)) fail('snapshots', c.snapshots, 'a list of fractions in (0, 1), increasing');
  c.snapshots.forEach((fraction, i) => {
    real(`snapshots.${i}`, fraction, 0, 1, true);
    // Snapshots are named by whole percentages (snapshots/p05): two in one percentage would share a folder.
    const percent = Math.round(fraction * 100);
    if (percent < 1 || percent >= 100 || (i > 0 && percent <= Math.round(c.snapshots[i - 1] * 100))) {
      fail(
        `snapshots.${i}`,
        fraction,
        'fractions in [0.01, 0.99] (whole percentages), each larger than the one before',
      );
    }
  });
  integer('checkpointEvery', c.checkpointEvery, 1, MAX_COUNTER);
  validateDivergence('divergence', c.divergence);
}
