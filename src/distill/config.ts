/**
 * Everything that defines a distillation run, as plain JSON-able data (saved in checkpoints), and the
 * checks that reject a bad run before any network is built or any step is taken.
 */

import type { EnvSpec } from '../env/types';
import type { QNetwork } from '../nn/qnetwork';
import { type RmsPropOptions, validateRmsPropOptions } from '../nn/rmsprop';
import { STUDENT_ARCHITECTURES, type StudentArchitecture } from '../nn/students';
import {
  type BetaSchedule,
  type InnerSamplerKind,
  ReplayMemory,
  type SamplerConfig,
  type SamplerKind,
} from '../replay';
import { type DivergenceConfig, validateDivergence } from '../train/divergence';
import type { EpsilonSchedule } from '../train/epsilon';
import { checkMemoryFits, describeValue, MAX_COUNTER, MAX_SEED } from '../util/config-checks';
import type { BatchedEvaluationConfig } from './batched-evaluation';

export const SAMPLER_KINDS: readonly SamplerKind[] = ['uniform', 'ranked', 'proportional', 'hierarchical'];

/** The replay sampler of every game's memory; value ranges for H-PR come per game from teacher play. */
export interface SamplerSettings {
  readonly kind: SamplerKind;
  /** H-PR's partition count p (hierarchical only). */
  readonly partitions?: number;
  /** Rule inside an H-PR partition (hierarchical only; the paper's eq. 6 ranks). */
  readonly inner?: InnerSamplerKind;
  /** H-PR counts N_j over the last this many additions; null for the whole memory (hierarchical only). */
  readonly windowSize?: number | null;
  /**
   * H-PR's total memory (hierarchical only; resolved into memoryCapacity by the presets): 'shared', the same as
   * every sampler's, or 'per-partition', the paper's p × 2/5 of uniform's.
   */
  readonly partitionMemory?: 'shared' | 'per-partition';
  /** Prioritization exponent α (prioritized kinds only). */
  readonly alpha?: number;
  /** Importance-sampling exponent β, annealed over sampled batches (prioritized kinds only). */
  readonly beta?: BetaSchedule;
}

/** The evaluation protocol over whole episodes (batched-evaluation.ts), every `every` updates. */
export type DistillEvaluationConfig = BatchedEvaluationConfig & { readonly every: number };

export interface DistillConfig {
  readonly seed: number;
  readonly architecture: StudentArchitecture;
  /** Hidden widths of the student's fully connected layers (see DEFAULT_STUDENT_HIDDEN). */
  readonly hidden: readonly number[];
  /** Proposed student only: keep the teachers' convolutional layers fixed (the paper fine-tunes: false). */
  readonly freezeTorso: boolean;
  /** Mini-batch updates to train for (each update takes one batch from every game). */
  readonly totalUpdates: number;
  /** One update every this many steps (every step adds one experience to every game). */
  readonly updateEvery: number;
  /** Steps of acting before the first update (at least one batch in every memory). */
  readonly learningStarts: number;
  readonly batchSize: number;
  /** Experiences each game's memory holds. */
  readonly memoryCapacity: number;
  readonly sampler: SamplerSettings;
  /** Temperature τ softening the teacher in eq. 4 and eq. 5. */
  readonly tau: number;
  readonly optimizer: RmsPropOptions;
  /** ε of the student's acting policy, per step (paper: 1 → 0.1 over the first million steps). */
  readonly epsilon: EpsilonSchedule;
  /** `every` counts updates here (paper: 25,000); `steps` is per copy. */
  readonly evaluation: DistillEvaluationConfig;
  /** Training episodes longer than this are cut (a truncation); null for no limit. */
  readonly maxEpisodeSteps: number | null;
  /** Updates between checkpoints (one is also written at the end). */
  readonly checkpointEvery: number;
  /** When a loss stops the run as diverged (train/divergence.ts); null: only a non-finite loss does. */
  readonly divergence: DivergenceConfig | null;
}

/** What the checks need to know about one game: its environment and its teacher, if one was found. */
export interface GameSetup {
  readonly spec: EnvSpec;
  /** The trained teacher; null when no teacher checkpoint exists for the game. */
  readonly teacher: QNetwork | null;
  /** Where the teacher checkpoint was looked for (named in the error when it is missing). */
  readonly teacherPath: string;
  /** The teacher's evaluation score (the 100 % of "% of teacher"). */
  readonly teacherScore: number | null;
  /** [V_min, V_max] of the teacher's state values (needed by H-PR). */
  readonly valueRange: readonly [number, number] | null;
}

const isInteger = (value: unknown, min: number, max = MAX_COUNTER): value is number =>
  Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
const isReal = (value: unknown, min: number, max: number): value is number =>
  typeof value === 'number' && value >= min && value <= max;
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function check(ok: boolean, message: string): void {
  if (!ok) throw new RangeError(message);
}

/** `KEY must be EXPECTED, got VALUE`: the messages of the checks below. */
function checkKey(ok: boolean, key: string, value: unknown, expected: string): void {
  if (!ok) throw new RangeError(`${key} must be ${expected}, got ${describeValue(value)}`);
}

/** Most and widest hidden layers of a student (a 16,384² layer alone takes 1 GiB). */
const MAX_HIDDEN_LAYERS = 16;
const MAX_HIDDEN_WIDTH = 16_384;
/** Rows of a batch and steps between updates: the distiller allocates this many observations per game for each. */
const MAX_BATCH_SIZE = 16_384;
const MAX_UPDATE_EVERY = 10_000;
/** Memory slots are int32 in batches and sampler states. */
const MAX_MEMORY_CAPACITY = 2 ** 31 - 1;
/** H-PR numbers a partition in one byte. */
const MAX_PARTITIONS = 256;
const MAX_EVALUATION_EPISODES = 100_000;
const MAX_NOOPS = 10_000;

/**
 * Every key's type and range, and the consistency of the keys that do not depend on the sampler; the sampler's
 * optional settings are checked when present, whatever its kind. `distillConfig` runs this before it fits the
 * sampler settings to a variant, so that a bad value is refused even where the variant drops it.
 */
export function validateDistillSettings(config: DistillConfig): void {
  check(isObject(config), `a distillation configuration must be an object, got ${describeValue(config)}`);
  check(
    (STUDENT_ARCHITECTURES as readonly unknown[]).includes(config.architecture),
    `architecture '${config.architecture}' is not a student: expected one of ${STUDENT_ARCHITECTURES.join(', ')}`,
  );
  checkKey(isInteger(config.seed, 0, MAX_SEED), 'seed', config.seed, `an integer in [0, ${MAX_SEED}]`);
  validateDivergence('divergence', config.divergence);
  const hidden: unknown = config.hidden;
  checkKey(
    Array.isArray(hidden) && hidden.length <= MAX_HIDDEN_LAYERS,
    'hidden',
    hidden,
    `a list of at most ${MAX_HIDDEN_LAYERS} layer widths, e.g. [256, 128]`,
  );
  (hidden as unknown[]).forEach((w, i) => {
    checkKey(isInteger(w, 1, MAX_HIDDEN_WIDTH), `hidden.${i}`, w, `an integer in [1, ${MAX_HIDDEN_WIDTH}]`);
  });
  checkKey(typeof config.freezeTorso === 'boolean', 'freezeTorso', config.freezeTorso, 'true or false');
  for (const [key, max] of [
    ['totalUpdates', MAX_COUNTER],
    ['updateEvery', MAX_UPDATE_EVERY],
    ['batchSize', MAX_BATCH_SIZE],
    ['checkpointEvery', MAX_COUNTER],
  ] as const) {
    checkKey(isInteger(config[key], 1, max), key, config[key], `an integer in [1, ${max}]`);
  }
  const { batchSize, totalUpdates, updateEvery } = config;
  checkKey(
    isInteger(config.memoryCapacity, batchSize, MAX_MEMORY_CAPACITY),
    'memoryCapacity',
    config.memoryCapacity,
    `an integer in [batchSize = ${batchSize}, ${MAX_MEMORY_CAPACITY}]`,
  );
  check(
    isInteger(config.learningStarts, batchSize, config.memoryCapacity),
    `learningStarts must be an integer in [batchSize = ${batchSize}, memoryCapacity = ${config.memoryCapacity}], got ${describeValue(config.learningStarts)}`,
  );
  // Steps (every one adds an experience to every game) are int32 in the curve tables.
  const steps = config.learningStarts + totalUpdates * updateEvery;
  checkKey(
    steps <= MAX_COUNTER,
    'totalUpdates',
    totalUpdates,
    `an integer with learningStarts + totalUpdates × updateEvery (the run's steps, ${steps}) <= ${MAX_COUNTER}`,
  );
  // τ = 100 already makes the softened teacher all but uniform for any Q-values a game gives.
  checkKey(isReal(config.tau, 0, 100) && config.tau > 0, 'tau', config.tau, 'a number in (0, 100]');
  const optimizer: unknown = config.optimizer;
  checkKey(isObject(optimizer), 'optimizer', optimizer, 'an object { learningRate, decay, epsilon, centered }');
  const o = optimizer as Record<string, unknown>;
  checkKey(
    isReal(o.learningRate, 0, 1) && o.learningRate > 0,
    'optimizer.learningRate',
    o.learningRate,
    'a number in (0, 1]',
  );
  checkKey(isReal(o.decay, 0, 1) && o.decay < 1, 'optimizer.decay', o.decay, 'a number in [0, 1)');
  checkKey(isReal(o.epsilon, 0, 1) && o.epsilon > 0, 'optimizer.epsilon', o.epsilon, 'a number in (0, 1]');
  checkKey(typeof o.centered === 'boolean', 'optimizer.centered', o.centered, 'true or false');
  checkKey(
    o.epsilonOutsideRoot === undefined || typeof o.epsilonOutsideRoot === 'boolean',
    'optimizer.epsilonOutsideRoot',
    o.epsilonOutsideRoot,
    'true or false',
  );
  validateRmsPropOptions(config.optimizer);
  const epsilon: unknown = config.epsilon;
  checkKey(isObject(epsilon), 'epsilon', epsilon, 'an object { start, end, decaySteps }');
  const e = epsilon as Record<string, unknown>;
  checkKey(isReal(e.start, 0, 1), 'epsilon.start', e.start, 'a number in [0, 1]');
  checkKey(isReal(e.end, 0, 1), 'epsilon.end', e.end, 'a number in [0, 1]');
  checkKey(isInteger(e.decaySteps, 0), 'epsilon.decaySteps', e.decaySteps, `an integer in [0, ${MAX_COUNTER}]`);
  const evaluation: unknown = config.evaluation;
  checkKey(
    isObject(evaluation),
    'evaluation',
    evaluation,
    'an object { every, episodes, epsilon, maxNoops, maxEpisodeSteps }',
  );
  const ev = evaluation as Record<string, unknown>;
  // A run's scores are its evaluations: it needs at least one.
  checkKey(
    isInteger(ev.every, 1, totalUpdates),
    'evaluation.every',
    ev.every,
    `an integer in [1, totalUpdates = ${totalUpdates}] (updates; a run is scored by its evaluations)`,
  );
  checkKey(
    isInteger(ev.episodes, 1, MAX_EVALUATION_EPISODES),
    'evaluation.episodes',
    ev.episodes,
    `an integer in [1, ${MAX_EVALUATION_EPISODES}]`,
  );
  checkKey(isReal(ev.epsilon, 0, 1), 'evaluation.epsilon', ev.epsilon, 'a number in [0, 1]');
  checkKey(isInteger(ev.maxNoops, 0, MAX_NOOPS), 'evaluation.maxNoops', ev.maxNoops, `an integer in [0, ${MAX_NOOPS}]`);
  checkKey(
    isInteger(ev.maxEpisodeSteps, 1),
    'evaluation.maxEpisodeSteps',
    ev.maxEpisodeSteps,
    `an integer in [1, ${MAX_COUNTER}]`,
  );
  checkKey(
    config.maxEpisodeSteps === null || isInteger(config.maxEpisodeSteps, 1),
    'maxEpisodeSteps',
    config.maxEpisodeSteps,
    `an integer in [1, ${MAX_COUNTER}] or null (no limit)`,
  );
  const sampler: unknown = config.sampler;
  checkKey(
    isObject(sampler),
    'sampler',
    sampler,
    'an object { kind, alpha, beta, partitions, inner, windowSize } (the last five as the kind needs)',
  );
  const s = sampler as Record<string, unknown>;
  check(
    (SAMPLER_KINDS as readonly unknown[]).includes(s.kind),
    `sampler '${s.kind}' does not exist: expected one of ${SAMPLER_KINDS.join(', ')}`,
  );
  const p = s.partitions;
  if (p !== undefined) {
    check(isInteger(p, 1), `H-PR needs a partition count p that is an integer >= 1, got ${describeValue(p)}`);
    checkKey(isInteger(p, 1, MAX_PARTITIONS), 'sampler.partitions', p, `an integer in [1, ${MAX_PARTITIONS}]`);
  }
  check(
    s.inner === undefined || s.inner === 'ranked' || s.inner === 'proportional',
    `sampler.inner must be 'ranked' or 'proportional', got ${typeof s.inner === 'string' ? `'${s.inner}'` : describeValue(s.inner)}`,
  );
  checkWindowSize(s.windowSize, MAX_MEMORY_CAPACITY, '');
  check(
    s.partitionMemory === undefined || s.partitionMemory === 'shared' || s.partitionMemory === 'per-partition',
    `sampler.partitionMemory must be 'shared' or 'per-partition', got ${typeof s.partitionMemory === 'string' ? `'${s.partitionMemory}'` : describeValue(s.partitionMemory)}`,
  );
  if (s.alpha !== undefined) checkKey(isReal(s.alpha, 0, 1), 'sampler.alpha', s.alpha, 'a number in [0, 1]');
  const beta = s.beta;
  if (beta !== undefined) {
    checkKey(isObject(beta), 'sampler.beta', beta, 'an object { start, end, steps }');
    const b = beta as Record<string, unknown>;
    checkKey(isReal(b.start, 0, 1), 'sampler.beta.start', b.start, 'a number in [0, 1]');
    checkKey(isReal(b.end, 0, 1), 'sampler.beta.end', b.end, 'a number in [0, 1]');
    checkKey(isInteger(b.steps, 0), 'sampler.beta.steps', b.steps, `an integer in [0, ${MAX_COUNTER}]`);
  }
}

/** H-PR's window: null or absent (the whole memory), or a count of additions up to `max`. */
function checkWindowSize(w: unknown, max: number, maxName: string): void {
  check(
    w === null || w === undefined || isInteger(w, 1, max),
    `sampler.windowSize must be null (the whole memory) or an integer in [1, ${maxName}${max}], got ${describeValue(w)}`,
  );
}

/** Throws on the first bad setting, naming it, its value and what was expected. */
export function validateDistillConfig(config: DistillConfig): void {
  validateDistillSettings(config);
  const { sampler } = config;
  if (sampler.kind === 'hierarchical') {
    const p = sampler.partitions;
    check(p !== undefined, `H-PR needs a partition count p that is an integer >= 1, got ${describeValue(p)}`);
    checkWindowSize(sampler.windowSize, config.memoryCapacity, 'memoryCapacity = ');
  } else {
    for (const key of ['partitions', 'inner', 'windowSize', 'partitionMemory'] as const)
      check(sampler[key] === undefined, `sampler.${key} is an H-PR setting, but the sampler is '${sampler.kind}'`);
  }
  if (sampler.kind === 'uniform') {
    for (const key of ['alpha', 'beta'] as const)
      check(
        sampler[key] === undefined,
        `sampler.${key} is a prioritized sampler's setting, but the sampler is 'uniform'`,
      );
  } else {
    checkKey(sampler.alpha !== undefined, 'sampler.alpha', sampler.alpha, 'a number in [0, 1]');
    checkKey(sampler.beta !== undefined, 'sampler.beta', sampler.beta, 'an object { start, end, steps }');
  }
}

/**
 * Checks the games against the configuration: every game has a teacher of the right shape, a teacher
 * score to divide by and, for H-PR, a value range; the proposed student's shared layers also need every
 * teacher's features to have one size. Run before anything is built.
 */
export function validateGames(config: DistillConfig, games: readonly GameSetup[]): void {
  check(games.length >= 1, 'distillation needs at least one game');
  const ids = games.map((g) => g.spec.id);
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  check(repeated === undefined, `game ${repeated} appears twice`);
  const suite = games[0].spec;
  for (const { spec, teacher, teacherPath, teacherScore, valueRange } of games) {
    check(
      spec.suite === suite.suite,
      `all games must come from one suite: ${spec.id} is ${spec.suite}, ${suite.id} is ${suite.suite}`,
    );
    check(
      spec.numActions === suite.numActions,
      `${spec.id} has ${spec.numActions} actions in its full set, ${suite.id} has ${suite.numActions}`,
    );
    if (teacher === null)
      throw new RangeError(`${spec.id} has no teacher checkpoint (looked for ${teacherPath}): train one first`);
    const want = spec.observationShape.join('×');
    const got = teacher.torso.inputShape.join('×');
    check(got === want, `${spec.id}: the teacher at ${teacherPath} reads ${got} observations, the game gives ${want}`);
    check(
      teacher.numActions === spec.legalActions.length,
      `${spec.id}: the teacher at ${teacherPath} has ${teacher.numActions} outputs, the game has ${spec.legalActions.length} legal actions`,
    );
    check(
      teacherScore !== null && teacherScore > 0 && Number.isFinite(teacherScore),
      `${spec.id}: the teacher's score must be a number > 0 to express students as % of it, got ${teacherScore}`,
    );
    if (config.sampler.kind === 'hierarchical') {
      check(
        valueRange !== null &&
          Number.isFinite(valueRange[0]) &&
          Number.isFinite(valueRange[1]) &&
          valueRange[0] < valueRange[1],
        `${spec.id}: H-PR needs the teacher's value range [V_min, V_max] with V_min < V_max, got ${valueRange ? `[${valueRange.join(', ')}]` : 'none'}`,
      );
    }
  }
  checkReplayMemoryFits(
    config,
    games.map((g) => g.spec),
  );
  if (config.architecture === 'proposed') {
    const first = games[0];
    for (const game of games) {
      const a = game.teacher as QNetwork;
      const b = first.teacher as QNetwork;
      check(
        a.torso.outputDim === b.torso.outputDim,
        `the proposed student's shared layers need one feature size: ${game.spec.id}'s teacher gives ${a.torso.outputDim}, ${first.spec.id}'s gives ${b.torso.outputDim}`,
      );
    }
  }
}

/**
 * Bytes a sampler's index takes per experience, measured at 200,000 experiences and rounded up (the rank rule's
 * order-statistic set grows by doubling; the proportional rule keeps a sum tree, one per H-PR partition).
 */
function samplerBytesPerExperience(sampler: SamplerSettings): number {
  const rule = sampler.kind === 'hierarchical' ? (sampler.inner ?? 'ranked') : sampler.kind;
  const perPartition = sampler.kind === 'hierarchical' ? (sampler.partitions ?? 1) : 1;
  const hpr = sampler.kind === 'hierarchical' ? 1 : 0; // a partition number per experience
  if (rule === 'uniform') return 0;
  return hpr + (rule === 'ranked' ? 48 : 8 + 10 * perPartition);
}

/**
 * Bytes per experience of one game's replay, as the distiller builds it: the memory exactly (the frame once,
 * bit-packed for MinAtar, its action, flags, reward and q_T over the suite's actions) and the sampler's index.
 */
export function replayBytesPerExperience(config: DistillConfig, spec: EnvSpec): number {
  const memory = new ReplayMemory({
    capacity: 1,
    frameShape: spec.observationShape,
    stackSize: 1,
    numActions: spec.numActions,
    legalActions: spec.legalActions,
    bitPacked: spec.suite === 'minatar',
  });
  return memory.bytesPerExperience + samplerBytesPerExperience(config.sampler);
}

/**
 * Refuses a memory capacity whose replay memories (one per game) would not fit in this machine's memory, naming
 * the estimate: bytes per experience × memoryCapacity × games, against os.totalmem() (or `machineBytes`).
 */
export function checkReplayMemoryFits(config: DistillConfig, specs: readonly EnvSpec[], machineBytes?: number): void {
  const perGame = specs.map((spec) => replayBytesPerExperience(config, spec));
  const perUnit = perGame.reduce((a, b) => a + b, 0) / Math.max(1, specs.length);
  checkMemoryFits(
    'memoryCapacity',
    config.memoryCapacity,
    {
      perUnit,
      unit: 'experiences',
      copies: specs.length,
      copiesName: 'games',
      what: `the replay memories (${config.sampler.kind} sampler)`,
    },
    machineBytes,
  );
}

/** The replay sampler configuration of one game. */
export function samplerConfig(settings: SamplerSettings, valueRange: readonly [number, number] | null): SamplerConfig {
  const { kind } = settings;
  // validateDistillConfig checked that the prioritized kinds carry both.
  const alpha = settings.alpha as number;
  const beta = settings.beta as BetaSchedule;
  switch (kind) {
    case 'uniform':
      return { kind };
    case 'ranked':
    case 'proportional':
      return { kind, alpha, beta };
    case 'hierarchical':
      if (valueRange === null) throw new RangeError('H-PR needs a value range');
      return {
        kind,
        alpha,
        beta,
        partitions: settings.partitions as number,
        valueRange,
        inner: settings.inner,
        windowSize: settings.windowSize ?? undefined,
      };
    default:
      throw new RangeError(`sampler '${kind}' does not exist: expected one of ${SAMPLER_KINDS.join(', ')}`);
  }
}
