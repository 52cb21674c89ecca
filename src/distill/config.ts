/**
 * Everything that defines a distillation run, as plain JSON-able data (saved in checkpoints), and the
 * checks that reject a bad run before any network is built or any step is taken.
 */

import type { EnvSpec } from '../env/types';
import type { QNetwork } from '../nn/qnetwork';
import { type RmsPropOptions, validateRmsPropOptions } from '../nn/rmsprop';
import { STUDENT_ARCHITECTURES, type StudentArchitecture } from '../nn/students';
import type { BetaSchedule, InnerSamplerKind, SamplerConfig, SamplerKind } from '../replay';
import type { EpsilonSchedule } from '../train/epsilon';
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

const isInteger = (value: number, min: number) => Number.isInteger(value) && value >= min;

function check(ok: boolean, message: string): void {
  if (!ok) throw new RangeError(message);
}

/** Throws on the first bad setting, naming it, its value and what was expected. */
export function validateDistillConfig(config: DistillConfig): void {
  check(
    (STUDENT_ARCHITECTURES as readonly string[]).includes(config.architecture),
    `architecture '${config.architecture}' is not a student: expected one of ${STUDENT_ARCHITECTURES.join(', ')}`,
  );
  check(
    isInteger(config.seed, 0) && config.seed <= 0xffffffff,
    `seed must be an integer in [0, 2^32), got ${config.seed}`,
  );
  config.hidden.forEach((w, i) => {
    check(isInteger(w, 1), `hidden layer ${i} width must be an integer >= 1, got ${w}`);
  });
  for (const key of ['totalUpdates', 'updateEvery', 'batchSize', 'checkpointEvery'] as const) {
    check(isInteger(config[key], 1), `${key} must be an integer >= 1, got ${config[key]}`);
  }
  check(
    isInteger(config.memoryCapacity, config.batchSize),
    `memoryCapacity must be an integer >= batchSize (${config.batchSize}), got ${config.memoryCapacity}`,
  );
  check(
    isInteger(config.learningStarts, config.batchSize) && config.learningStarts <= config.memoryCapacity,
    `learningStarts must be an integer in [batchSize = ${config.batchSize}, memoryCapacity = ${config.memoryCapacity}], got ${config.learningStarts}`,
  );
  check(config.tau > 0 && Number.isFinite(config.tau), `tau must be a finite number > 0, got ${config.tau}`);
  validateRmsPropOptions(config.optimizer);
  const { start, end, decaySteps } = config.epsilon;
  check(
    start >= 0 && start <= 1 && end >= 0 && end <= 1,
    `epsilon start and end must be in [0, 1], got ${start} and ${end}`,
  );
  check(isInteger(decaySteps, 0), `epsilon decaySteps must be an integer >= 0, got ${decaySteps}`);
  const ev = config.evaluation;
  check(isInteger(ev.every, 1), `evaluation.every (updates) must be an integer >= 1, got ${ev.every}`);
  check(isInteger(ev.episodes, 1), `evaluation.episodes must be an integer >= 1, got ${ev.episodes}`);
  check(ev.epsilon >= 0 && ev.epsilon <= 1, `evaluation.epsilon must be in [0, 1], got ${ev.epsilon}`);
  check(isInteger(ev.maxNoops, 0), `evaluation.maxNoops must be an integer >= 0, got ${ev.maxNoops}`);
  check(
    isInteger(ev.maxEpisodeSteps, 1),
    `evaluation.maxEpisodeSteps must be an integer >= 1, got ${ev.maxEpisodeSteps}`,
  );
  check(
    config.maxEpisodeSteps === null || isInteger(config.maxEpisodeSteps, 1),
    `maxEpisodeSteps must be an integer >= 1 or null, got ${config.maxEpisodeSteps}`,
  );
  const { sampler } = config;
  check(
    SAMPLER_KINDS.includes(sampler.kind),
    `sampler '${sampler.kind}' does not exist: expected one of ${SAMPLER_KINDS.join(', ')}`,
  );
  if (sampler.kind === 'hierarchical') {
    const p = sampler.partitions;
    check(p !== undefined && isInteger(p, 1), `H-PR needs a partition count p that is an integer >= 1, got ${p}`);
    check(
      sampler.inner === undefined || sampler.inner === 'ranked' || sampler.inner === 'proportional',
      `sampler.inner must be 'ranked' or 'proportional', got '${sampler.inner}'`,
    );
    const w = sampler.windowSize;
    check(
      w === null || w === undefined || (isInteger(w, 1) && w <= config.memoryCapacity),
      `sampler.windowSize must be null (the whole memory) or an integer in [1, memoryCapacity = ${config.memoryCapacity}], got ${w}`,
    );
  } else {
    for (const key of ['partitions', 'inner', 'windowSize'] as const)
      check(sampler[key] === undefined, `sampler.${key} is an H-PR setting, but the sampler is '${sampler.kind}'`);
  }
  if (sampler.kind === 'uniform') {
    for (const key of ['alpha', 'beta'] as const)
      check(
        sampler[key] === undefined,
        `sampler.${key} is a prioritized sampler's setting, but the sampler is 'uniform'`,
      );
  } else {
    const { alpha, beta } = sampler;
    check(
      typeof alpha === 'number' && alpha >= 0 && alpha <= 1,
      `sampler.alpha must be a number in [0, 1], got ${alpha}`,
    );
    check(typeof beta === 'object' && beta !== null, `sampler.beta must be {start, end, steps}, got ${beta}`);
    const { start, end, steps } = beta as BetaSchedule;
    check(
      start >= 0 && start <= 1 && end >= 0 && end <= 1,
      `sampler.beta.start and sampler.beta.end must be in [0, 1], got ${start} and ${end}`,
    );
    check(isInteger(steps, 0), `sampler.beta.steps must be an integer >= 0, got ${steps}`);
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
