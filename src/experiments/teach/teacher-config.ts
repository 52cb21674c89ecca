/**
 * Teacher run configurations: the algorithm (DQN as published, or PQN for fast MinAtar teachers), per-suite
 * defaults (Nature DQN for Atari, MinAtar's published baseline for the built-in suite, PQN's MinAtar
 * configuration), budget presets, dotted-key overrides, and validation that names the key, the value and the
 * allowed range before anything runs.
 */
import { MINATAR_DQN, MINATAR_PQN, NATURE_DQN, validateQNetworkSpec } from '../../nn/qnetwork';
import { DEFAULT_DIVERGENCE, validateDivergence } from '../../train/divergence';
import type { DqnConfig } from '../../train/dqn-config';
import { type PqnConfig, validatePqnConfig } from '../../train/pqn-config';
import {
  checkFlag,
  checkInteger,
  checkObject,
  checkChoice as checkOneOf,
  checkReal,
  failConfig,
  MAX_COUNTER,
  MAX_SEED,
} from '../../util/config-checks';
import { mergeOverrides } from '../common/overrides';
import { PRESET_NAMES, type PresetName } from '../common/preset-env';
import { gamesOf, SUITES, type Suite } from '../common/suites';

/** The teachers' learning algorithms: `dqn` (Mnih et al. 2015, the paper's teachers) and `pqn` (Gallici et al. 2024). */
export const TEACHER_ALGORITHMS = ['dqn', 'pqn'] as const;
export type TeacherAlgorithm = (typeof TEACHER_ALGORITHMS)[number];

/** Where each algorithm comes from, recorded with every teacher. */
export const ALGORITHM_SOURCES: Record<TeacherAlgorithm, string> = {
  dqn: 'Mnih et al. 2015, "Human-level control through deep reinforcement learning" (MinAtar: Young & Tian 2019)',
  pqn: 'Gallici et al. 2024, "Simplifying Deep Temporal Difference Learning" (purejaxql pqn_minatar configuration)',
};

interface RunIdentity {
  readonly suite: Suite;
  readonly game: string;
  readonly preset: PresetName;
}

export type TeacherRunConfig =
  | (RunIdentity & { readonly algorithm: 'dqn'; readonly dqn: DqnConfig })
  | (RunIdentity & { readonly algorithm: 'pqn'; readonly pqn: PqnConfig });

/** The seed of a run, whatever its algorithm. */
export function runSeed(config: TeacherRunConfig): number {
  return config.algorithm === 'dqn' ? config.dqn.seed : config.pqn.seed;
}

/** Agent steps a run trains for, whatever its algorithm. */
export function runTotalSteps(config: TeacherRunConfig): number {
  return config.algorithm === 'dqn' ? config.dqn.totalSteps : config.pqn.totalSteps;
}

/** MinAtar's published DQN for `--preset paper` and for Atari (the paper's teachers); PQN's faster learner otherwise. */
export function defaultAlgorithm(suite: Suite, preset: PresetName): TeacherAlgorithm {
  return suite === 'minatar' && preset !== 'paper' ? 'pqn' : 'dqn';
}

/** The evaluation protocol of the paper: ε = 0.05 and up to 30 no-ops; the budgets come from the presets. */
const EVALUATION_EPSILON = 0.05;
const EVALUATION_MAX_NOOPS = 30;
/** Episodes of a teacher's final evaluation: its score and confidence interval (the 100 % line of distillation). */
const FINAL_EVALUATION_EPISODES = 200;
/** MinAtar has no episode limit; an evaluation episode longer than this is cut and reported. */
const MINATAR_EVALUATION_EPISODE_LIMIT = 100_000;

/** Young & Tian (2019), MinAtar's DQN baseline, with their 5 M-frame budget (one frame per step). */
function minatarDefaults(seed: number): DqnConfig {
  return {
    seed,
    totalSteps: 5_000_000,
    network: MINATAR_DQN,
    inputScale: 1,
    replayCapacity: 100_000,
    batchSize: 32,
    gamma: 0.99,
    learningStarts: 5_000,
    updateEvery: 1,
    targetUpdateEvery: 1_000,
    epsilon: { start: 1, end: 0.1, decaySteps: 100_000 },
    // torch.optim.RMSprop, as in MinAtar's reference agent: ε added after the square root.
    optimizer: { learningRate: 2.5e-4, decay: 0.95, epsilon: 0.01, centered: true, epsilonOutsideRoot: true },
    loss: 'huber',
    doubleDqn: false,
    maxEpisodeSteps: null,
    evaluation: {
      every: 100_000,
      steps: 10_000,
      epsilon: EVALUATION_EPSILON,
      maxNoops: EVALUATION_MAX_NOOPS,
      finalEpisodes: FINAL_EVALUATION_EPISODES,
      maxEpisodeSteps: MINATAR_EVALUATION_EPISODE_LIMIT,
    },
    checkpointEvery: 100_000,
    divergence: DEFAULT_DIVERGENCE,
  };
}

/**
 * PQN's MinAtar configuration (purejaxql `pqn_minatar.yaml`): 128 environments × 32 steps per rollout, 2 epochs
 * of 32 minibatches (of 128), λ = 0.65, RAdam at 5e-4 decayed linearly to zero, gradients clipped to norm 10,
 * ε from 1 to 0.05 over the first 10 % of the steps. Our network keeps MinAtar's DQN torso (LayerNorm only in the
 * head, see qnetwork.ts) and the suite's sticky actions; the budget is 5 M steps instead of 10 M (docs/teachers.md).
 */
function minatarPqnDefaults(seed: number): PqnConfig {
  return {
    seed,
    totalSteps: 5_000_000,
    network: MINATAR_PQN,
    inputScale: 1,
    numEnvs: 128,
    rolloutSteps: 32,
    epochs: 2,
    minibatches: 32,
    gamma: 0.99,
    lambda: 0.65,
    learningRate: 5e-4,
    learningRateDecay: true,
    maxGradNorm: 10,
    epsilon: { start: 1, end: 0.05, decayFraction: 0.1 },
    evaluation: {
      every: 250_000,
      episodes: 32,
      finalEpisodes: FINAL_EVALUATION_EPISODES,
      epsilon: EVALUATION_EPSILON,
      maxNoops: EVALUATION_MAX_NOOPS,
      maxEpisodeSteps: MINATAR_EVALUATION_EPISODE_LIMIT,
    },
    snapshots: [0.05, 0.25],
    checkpointEvery: 250_000,
    divergence: DEFAULT_DIVERGENCE,
  };
}

/** Mnih et al. (2015), Nature DQN: 50 M frames = 12.5 M agent steps at frame skip 4. */
function atariDefaults(seed: number): DqnConfig {
  return {
    seed,
    totalSteps: 12_500_000,
    network: NATURE_DQN,
    inputScale: 1 / 255,
    replayCapacity: 1_000_000,
    batchSize: 32,
    gamma: 0.99,
    learningStarts: 50_000,
    updateEvery: 4,
    targetUpdateEvery: 10_000,
    epsilon: { start: 1, end: 0.1, decaySteps: 1_000_000 },
    // DeepMind's RMSProp: "min squared gradient" 0.01 inside the square root.
    optimizer: { learningRate: 2.5e-4, decay: 0.95, epsilon: 0.01, centered: true, epsilonOutsideRoot: false },
    loss: 'huber',
    doubleDqn: false,
    // 108,000 frames (30 minutes of play) at frame skip 4.
    maxEpisodeSteps: 27_000,
    evaluation: {
      every: 250_000,
      steps: 125_000,
      epsilon: EVALUATION_EPSILON,
      maxNoops: EVALUATION_MAX_NOOPS,
      finalEpisodes: FINAL_EVALUATION_EPISODES,
      maxEpisodeSteps: 27_000,
    },
    checkpointEvery: 250_000,
    divergence: DEFAULT_DIVERGENCE,
  };
}

type Overrides<C> = {
  [K in keyof C]?: C[K] extends readonly unknown[]
    ? C[K]
    : C[K] extends object | null
      ? Partial<NonNullable<C[K]>> | null
      : C[K];
};

/** The DQN smoke preset of both suites, a run of seconds; `evaluation` adds the suite's own evaluation settings. */
function dqnSmoke(evaluation: Partial<DqnConfig['evaluation']>): Overrides<DqnConfig> {
  return {
    totalSteps: 2_000,
    replayCapacity: 2_000,
    learningStarts: 500,
    targetUpdateEvery: 250,
    epsilon: { decaySteps: 1_000 },
    evaluation: { every: 1_000, steps: 500, ...evaluation },
    checkpointEvery: 1_000,
  };
}

/**
 * What each preset changes from the suite's defaults. `paper` is the defaults themselves; `full` keeps every
 * hyper-parameter and cuts Atari's budget; `quick` and `smoke` also shrink the schedules to fit their budgets.
 */
const PRESETS: Record<Suite, Record<PresetName, Overrides<DqnConfig>>> = {
  minatar: {
    smoke: dqnSmoke({ finalEpisodes: 4 }),
    quick: {
      totalSteps: 100_000,
      epsilon: { decaySteps: 50_000 },
      evaluation: { every: 10_000, steps: 5_000 },
      checkpointEvery: 10_000,
    },
    full: {},
    paper: {},
  },
  atari: {
    smoke: dqnSmoke({ finalEpisodes: 2, maxEpisodeSteps: 500 }),
    quick: {
      totalSteps: 250_000,
      replayCapacity: 100_000,
      learningStarts: 10_000,
      epsilon: { decaySteps: 100_000 },
      evaluation: { every: 50_000, steps: 10_000 },
      checkpointEvery: 50_000,
    },
    full: { totalSteps: 2_500_000 },
    paper: {},
  },
};

/** PQN's budgets on MinAtar: `full` is the shipped teachers' budget; `quick` a first look; `smoke` seconds. */
const PQN_PRESETS: Record<PresetName, Overrides<PqnConfig>> = {
  smoke: {
    totalSteps: 2_048,
    numEnvs: 16,
    rolloutSteps: 16,
    minibatches: 4,
    evaluation: { every: 1_024, episodes: 4, finalEpisodes: 4 },
    checkpointEvery: 1_024,
  },
  quick: {
    totalSteps: 1_000_000,
    evaluation: { every: 100_000 },
    checkpointEvery: 100_000,
  },
  full: {},
  paper: {},
};

function checkChoice(name: string, value: string, choices: readonly string[]): void {
  if (!choices.includes(value))
    throw new RangeError(`unknown ${name} '${value}': expected one of ${choices.join(', ')}`);
}

/** Rows of a DQN batch, and steps between its updates. */
const MAX_DQN_BATCH = 16_384;
const MAX_UPDATE_EVERY = 10_000;
/** Replay slots are int32 in batches and sampler states. */
const MAX_REPLAY_CAPACITY = 2 ** 31 - 1;

/** Throws naming the first key whose value is out of range (or of the wrong type), or inconsistent with another. */
export function validateDqnConfig(c: DqnConfig): void {
  const fail = failConfig;
  const integer = checkInteger;
  const real = checkReal;
  checkObject('configuration', c, '(a DQN configuration)');
  integer('seed', c.seed, 0, MAX_SEED);
  integer('totalSteps', c.totalSteps, 1, MAX_COUNTER);
  validateQNetworkSpec('network', c.network);
  real('inputScale', c.inputScale, 0, 1, true);
  integer('replayCapacity', c.replayCapacity, 1, MAX_REPLAY_CAPACITY);
  integer('batchSize', c.batchSize, 1, MAX_DQN_BATCH);
  if (c.batchSize > c.replayCapacity) fail('batchSize', c.batchSize, `at most replayCapacity (${c.replayCapacity})`);
  real('gamma', c.gamma, 0, 1);
  integer('learningStarts', c.learningStarts, c.batchSize, MAX_COUNTER);
  integer('updateEvery', c.updateEvery, 1, MAX_UPDATE_EVERY);
  // Updates come at the steps after learningStarts that are multiples of updateEvery: at least one must fall in the run.
  const lastUpdateStep = Math.floor(c.totalSteps / c.updateEvery) * c.updateEvery;
  if (lastUpdateStep <= c.learningStarts) {
    fail(
      'learningStarts',
      c.learningStarts,
      `fewer than totalSteps (${c.totalSteps}) with an update step (a multiple of updateEvery = ${c.updateEvery}) ` +
        `after it, so that the run trains: at most ${lastUpdateStep - 1}`,
    );
  }
  integer('targetUpdateEvery', c.targetUpdateEvery, 1, MAX_COUNTER);
  checkObject('epsilon', c.epsilon, '{ start, end, decaySteps }');
  real('epsilon.start', c.epsilon.start, 0, 1);
  real('epsilon.end', c.epsilon.end, 0, 1);
  integer('epsilon.decaySteps', c.epsilon.decaySteps, 0, MAX_COUNTER);
  checkObject('optimizer', c.optimizer, '{ learningRate, decay, epsilon, centered, epsilonOutsideRoot }');
  real('optimizer.learningRate', c.optimizer.learningRate, 0, 1, true);
  real('optimizer.decay', c.optimizer.decay, 0, 0.999999);
  real('optimizer.epsilon', c.optimizer.epsilon, 0, 1, true);
  checkFlag('optimizer.centered', c.optimizer.centered);
  checkFlag('optimizer.epsilonOutsideRoot', c.optimizer.epsilonOutsideRoot);
  checkOneOf('loss', c.loss, ['huber', 'mse']);
  checkFlag('doubleDqn', c.doubleDqn);
  if (c.maxEpisodeSteps !== null) {
    if (!(Number.isInteger(c.maxEpisodeSteps) && c.maxEpisodeSteps >= 1 && c.maxEpisodeSteps <= MAX_COUNTER))
      fail('maxEpisodeSteps', c.maxEpisodeSteps, `an integer in [1, ${MAX_COUNTER}] or null (no limit)`);
  }
  checkObject('evaluation', c.evaluation, '{ every, steps, epsilon, maxNoops, finalEpisodes, maxEpisodeSteps }');
  integer('evaluation.every', c.evaluation.every, 1, MAX_COUNTER);
  integer('evaluation.steps', c.evaluation.steps, 1, MAX_COUNTER);
  real('evaluation.epsilon', c.evaluation.epsilon, 0, 1);
  integer('evaluation.maxNoops', c.evaluation.maxNoops, 0, 10_000);
  integer('evaluation.finalEpisodes', c.evaluation.finalEpisodes, 2, 100_000);
  integer('evaluation.maxEpisodeSteps', c.evaluation.maxEpisodeSteps, 1, MAX_COUNTER);
  integer('checkpointEvery', c.checkpointEvery, 1, MAX_COUNTER);
  validateDivergence('divergence', c.divergence);
}

/**
 * The validated configuration of a teacher run: the algorithm (default: `defaultAlgorithm`), the suite's
 * defaults, then the preset, then `overrides`.
 */
export function teacherConfig(
  suite: string,
  game: string,
  preset: string,
  seed: number,
  overrides: readonly Record<string, unknown>[] = [],
  algorithm?: string,
): TeacherRunConfig {
  checkChoice('suite', suite, SUITES);
  checkChoice(`${suite} game`, game, gamesOf(suite as Suite));
  checkChoice('preset', preset, PRESET_NAMES);
  const s = suite as Suite;
  const p = preset as PresetName;
  const chosen = algorithm ?? defaultAlgorithm(s, p);
  checkChoice('algorithm', chosen, TEACHER_ALGORITHMS);
  if (chosen === 'pqn') {
    if (s !== 'minatar') {
      throw new RangeError(`algorithm 'pqn' is available for the minatar suite only; ${s} teachers train with 'dqn'`);
    }
    let pqn = mergeOverrides(minatarPqnDefaults(seed), PQN_PRESETS[p]);
    for (const override of overrides) pqn = mergeOverrides(pqn, override);
    validatePqnConfig(pqn);
    return { suite: s, game, preset: p, algorithm: 'pqn', pqn };
  }
  const defaults = s === 'minatar' ? minatarDefaults(seed) : atariDefaults(seed);
  let dqn = mergeOverrides(defaults, PRESETS[s][p]);
  for (const override of overrides) dqn = mergeOverrides(dqn, override);
  validateDqnConfig(dqn);
  return { suite: s, game, preset: p, algorithm: 'dqn', dqn };
}
