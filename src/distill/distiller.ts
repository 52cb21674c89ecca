/**
 * The multi-task distillation loop (Yin & Pan 2017, "Experimental setting"). Every step, every game gets
 * one new experience from the ε-greedy student, stored with its teacher's q_T (V_T = max over legal
 * actions is taken by the memory); every `updateEvery` steps one mini-batch is drawn from every game's
 * memory with the configured sampler, and one RMSProp update minimises the sum over games of the
 * importance-weighted eq. 4 KL; the sampled experiences get eq. 5 priorities. Every `evaluation.every`
 * updates each game is evaluated with the paper's protocol, its score also kept as % of its teacher's.
 *
 * Checkpoints: every game's episode runs in a fresh environment seeded from the loop's generator, and the
 * actions of the episode in progress are saved, so a resumed run rebuilds each environment by replaying
 * them and continues exactly as the uninterrupted run would have (student, optimizer slots, memories,
 * samplers and generators are all in the checkpoint).
 */
import type { Env } from '../env/types';
import type { QNetwork, QNetworkSpec } from '../nn/qnetwork';
import { RmsProp } from '../nn/rmsprop';
import {
  createStudent,
  exploratoryAction,
  greedyLegalAction,
  type ProposedStudentOptions,
  type Student,
} from '../nn/students';
import { distillationPriorities, type ReplayBatch, ReplayBuffer } from '../replay';
import { percentOfTeacher } from '../stats';
import {
  jsonCheckpoint,
  networkCheckpoint,
  replayBuffersCheckpoint,
  rmsPropCheckpoint,
  rngCheckpoint,
  runIdentityCheckpoint,
} from '../train/checkpoint-parts';
import { type Checkpointable, Checkpointer, restoredRun } from '../train/checkpointer';
import { DivergenceMonitor, divergenceOf } from '../train/divergence';
import { epsilonAt } from '../train/epsilon';
import type { LoopHooks, LoopTiming } from '../train/trainer-common';
import { Rng } from '../util/rng';
import { type BatchedEvaluationResult, EvaluationRollout, evaluateLockstep } from './batched-evaluation';
import { type DistillConfig, type GameSetup, samplerConfig, validateDistillConfig, validateGames } from './config';
import {
  createStudentForward,
  createStudentUpdater,
  type RowCounts,
  type StudentForward,
  type StudentUpdateOptions,
  type StudentUpdateResult,
  type StudentUpdater,
} from './student-routes';
import { type TeacherLabels, teacherLabels } from './teacher-values';

export const DISTILL_CHECKPOINT_KIND = 'distill-run';

export interface DistillerSetup {
  readonly config: DistillConfig;
  readonly games: readonly GameSetup[];
  /** A fresh environment of game `gameIndex` seeded with `seed` (one per episode). */
  readonly makeEnv: (gameIndex: number, seed: number) => Env;
  /** The teachers' architecture: the proposed student copies its convolutions, the others share one such stack. */
  readonly teacherNetwork: QNetworkSpec;
  /** Factor from uint8 observations to network inputs (the teachers' `inputScale`). */
  readonly inputScale: number;
}

/** The student's construction options for a run's games and teachers (every architecture reads what it needs). */
export function studentOptions(setup: Omit<DistillerSetup, 'makeEnv'>): ProposedStudentOptions {
  const { config, games, teacherNetwork, inputScale } = setup;
  return {
    games: games.map(({ spec }) => ({
      name: spec.game,
      observationShape: spec.observationShape,
      legalActions: spec.legalActions,
    })),
    numActions: games[0].spec.numActions,
    inputScale,
    convs: teacherNetwork.convs,
    hidden: config.hidden,
    teachers: games.map((g) => g.teacher as QNetwork),
    freezeTorso: config.freezeTorso,
  };
}

/** Each game's teacher labelling (q_T of new experiences), in game order. */
export function gameTeacherLabels(setup: Omit<DistillerSetup, 'makeEnv'>): TeacherLabels[] {
  return setup.games.map((g) =>
    teacherLabels({
      teacher: g.teacher as QNetwork,
      network: setup.teacherNetwork,
      observationShape: g.spec.observationShape,
      inputScale: setup.inputScale,
      legalActions: g.spec.legalActions,
    }),
  );
}

/** One evaluation of every game: a row of the learning-curve table. */
export interface DistillEvaluation {
  readonly updates: number;
  readonly steps: number;
  /** Mean loss of the updates since the previous evaluation. */
  readonly loss: number | null;
  /** Per game, in the order of the games: mean return of the completed evaluation episodes (null: none completed). */
  readonly scores: readonly (number | null)[];
  readonly percentOfTeacher: readonly (number | null)[];
  readonly episodes: readonly number[];
  /** Training wall-clock seconds so far (the one column a resumed run does not repeat exactly). */
  readonly seconds: number;
  /** Per game, in game order, every evaluation episode's return (what the scores are the means of). */
  readonly returns: readonly (readonly number[])[];
}

export interface DistillProgress {
  readonly steps: number;
  readonly updates: number;
  /** Updates the run had when this process's `run` took it up: 0, or its checkpoint's. */
  readonly updatesAtStart: number;
  readonly totalUpdates: number;
  readonly epsilon: number;
  readonly learningRate: number;
  /** Mean loss of the updates since the previous report (in this process); null when there were none. */
  readonly loss: number | null;
  /** Per game, in the order of the games, the last update's batch; null for the uniform sampler (or before any update). */
  readonly replay: readonly BatchStatistics[] | null;
  readonly timing: DistillTiming;
}

/** One game's sampled batch of one update (prioritized samplers). */
export interface BatchStatistics {
  /** Mean and largest eq. 5 priority the update gave the sampled experiences. */
  readonly priorityMean: number;
  readonly priorityMax: number;
  /** Mean and smallest normalised importance-sampling weight of the batch. */
  readonly weightMean: number;
  readonly weightMin: number;
}

/** Seconds spent in each part of the loop since this process started the run. */
export type DistillTiming = LoopTiming;

/** `onProgress` comes every PROGRESS_EVERY updates and at the end; `onCheckpoint` hears the update it was taken at. */
export interface DistillHooks extends LoopHooks<DistillProgress, DistillEvaluation> {
  /** Polled after every step; true ends the run at once, without a checkpoint (like a kill). */
  shouldStop?(steps: number, updates: number): boolean;
}

export interface DistillResult {
  readonly finished: boolean;
  readonly updates: number;
  readonly evaluations: readonly DistillEvaluation[];
  readonly timing: DistillTiming;
}

/**
 * What the loop asks of the student's routes and the teachers, for one seed or for several seeds trained in lockstep
 * (seed-batch-distiller.ts): one call each for all the seeds, every answer in seed order.
 */
export interface LockstepCalls {
  /**
   * Per seed, q_S of `rows` observations of every game (`rows[g]` of game g, the same for every seed); null in and out
   * where a seed has none to rate (it acts at random in every game).
   */
  forward(observations: readonly (readonly Uint8Array[] | null)[], rows: RowCounts): readonly (Float32Array | null)[];
  /** Game `g`'s teacher labels for every seed's `count` pending frames, written into each seed's `teacherQ`. */
  label(g: number, pending: readonly PendingFrames[], count: number): void;
  /** One update of every seed on its own batches (`batches[s][g]`). */
  update(batches: readonly (readonly ReplayBatch[])[]): readonly StudentUpdateResult[];
  /** Before a checkpoint (and when a run ends): every seed's student and optimizer hold its current weights afterwards. */
  sync(): void;
}

/** A game's experiences waiting for their teacher's q_T: `count` frames, and where their labels go. */
export interface PendingFrames {
  readonly frames: Uint8Array;
  readonly teacherQ: Float32Array;
}

/** Updates between `onProgress` reports. */
export const PROGRESS_EVERY = 50;

interface Counters {
  steps: number;
  updates: number;
  lossSum: number;
  lossCount: number;
  seconds: number;
}

/** Up to `updateEvery` experiences of one game, in the order they happened. */
interface PendingExperiences {
  count: number;
  readonly frames: Uint8Array;
  readonly actions: Int32Array;
  readonly rewards: Float32Array;
  readonly terminals: Uint8Array;
  readonly truncateds: Uint8Array;
  readonly teacherQ: Float32Array;
}

/** The episode a game is playing: rebuilt on resume by replaying `actions` in a fresh `seed` environment. */
interface Episode {
  env: Env | null;
  seed: number;
  actions: number[];
}

/** An episode in a checkpoint's meta; its actions are the array `episode/${g}/actions`. */
interface SavedEpisode {
  readonly seed: number;
  /** False when the game's episode had just ended: the next step starts a fresh one. */
  readonly active: boolean;
}

function batchStatistics(priorities: Float32Array, weights: Float32Array): BatchStatistics {
  let prioritySum = 0;
  let priorityMax = Number.NEGATIVE_INFINITY;
  for (const p of priorities) {
    prioritySum += p;
    if (p > priorityMax) priorityMax = p;
  }
  let weightSum = 0;
  let weightMin = Number.POSITIVE_INFINITY;
  for (const w of weights) {
    weightSum += w;
    if (w < weightMin) weightMin = w;
  }
  return {
    priorityMean: prioritySum / priorities.length,
    priorityMax,
    weightMean: weightSum / weights.length,
    weightMin,
  };
}

export class Distiller {
  readonly student: Student;
  private readonly optimizer: RmsProp;
  private readonly buffers: ReplayBuffer[];
  private readonly batches: ReplayBatch[];
  private readonly actRng: Rng;
  private readonly evaluationRng: Rng;
  private readonly teacherLabels: TeacherLabels[];
  private readonly observations: Uint8Array[];
  private readonly nextObservations: Uint8Array[];
  /** Experiences of the current `updateEvery` steps, waiting for one batched teacher pass (see `flushPending`). */
  private readonly pending: PendingExperiences[];
  /** The update's and the forward pass's routes and their state (see student-routes.ts). */
  readonly updater: StudentUpdater;
  /** The student, its optimizer and the update's settings: what a seed batch's routes train in one graph call. */
  readonly updateOptions: StudentUpdateOptions;
  private readonly studentForward: StudentForward;
  private readonly priorities: Float32Array;
  private readonly episodes: Episode[];
  /** Each game's ε-greedy choice of the step in progress: an action, or null for the student's greedy one. */
  private readonly chosen: (number | null)[];
  private updatesAtStart = 0;
  /** Stops the run when its loss diverges (train/divergence.ts), naming the last checkpoint written. */
  private readonly divergence: DivergenceMonitor;
  /** Null when the run keeps no checkpoints. */
  private readonly checkpointer: Checkpointer | null;
  private readonly counters: Counters = { steps: 0, updates: 0, lossSum: 0, lossCount: 0, seconds: 0 };
  private readonly evaluations: DistillEvaluation[] = [];
  private readonly timing: DistillTiming = { act: 0, env: 0, update: 0, evaluation: 0, checkpoint: 0 };
  /** Loss of the updates since the last progress report (not checkpointed: reports are this process's). */
  private progressLoss = { sum: 0, count: 0 };
  /** Set by `run` for the update before a progress report: `learn` then keeps the batches' statistics. */
  private batchStatisticsDue = false;
  private batchStatistics: BatchStatistics[] | null = null;

  private constructor(
    readonly setup: DistillerSetup,
    checkpointPath: string | null,
  ) {
    const { config, games } = setup;
    validateDistillConfig(config);
    validateGames(config, games);
    const specs = games.map((g) => g.spec);
    const numActions = specs[0].numActions;
    this.teacherLabels = gameTeacherLabels(setup);
    const master = new Rng(config.seed);
    this.student = createStudent(config.architecture, studentOptions(setup), master.fork());
    this.optimizer = new RmsProp(this.student.trainableVariables, config.optimizer);
    this.actRng = master.fork();
    this.evaluationRng = master.fork();
    this.buffers = games.map(
      (g) =>
        new ReplayBuffer({
          memory: {
            capacity: config.memoryCapacity,
            frameShape: g.spec.observationShape,
            stackSize: 1,
            numActions,
            legalActions: g.spec.legalActions,
            bitPacked: g.spec.suite === 'minatar',
          },
          sampler: samplerConfig(config.sampler, g.valueRange),
          seed: master.nextUint32(),
        }),
    );
    this.batches = this.buffers.map((b) => b.createBatch(config.batchSize));
    const size = (i: number) => specs[i].observationShape.reduce((a, b) => a * b, 1);
    this.observations = specs.map((_, i) => new Uint8Array(size(i)));
    this.nextObservations = specs.map((_, i) => new Uint8Array(size(i)));
    this.pending = specs.map((_, i) => ({
      count: 0,
      frames: new Uint8Array(config.updateEvery * size(i)),
      actions: new Int32Array(config.updateEvery),
      rewards: new Float32Array(config.updateEvery),
      terminals: new Uint8Array(config.updateEvery),
      truncateds: new Uint8Array(config.updateEvery),
      teacherQ: new Float32Array(config.updateEvery * numActions),
    }));
    const shape = {
      student: this.student,
      inputScale: setup.inputScale,
      convs: setup.teacherNetwork.convs,
      denseLayers: config.hidden.length + 1,
    };
    this.updateOptions = { ...shape, optimizer: this.optimizer, batchSize: config.batchSize, tau: config.tau };
    this.updater = createStudentUpdater(this.updateOptions);
    this.studentForward = createStudentForward(shape);
    this.priorities = new Float32Array(config.batchSize);
    this.divergence = new DivergenceMonitor(divergenceOf(config));
    this.episodes = specs.map(() => ({ env: null, seed: 0, actions: [] }));
    this.chosen = specs.map(() => null);
    this.checkpointer =
      checkpointPath === null
        ? null
        : new Checkpointer(checkpointPath, DISTILL_CHECKPOINT_KIND, this.checkpointParts(), () => this.updates);
  }

  /** A new run; checkpoints go to `checkpointPath` (none when null). Every check runs before anything is built. */
  static create(setup: DistillerSetup, checkpointPath: string | null): Distiller {
    return new Distiller(setup, checkpointPath);
  }

  /** Continues the run saved at `checkpointPath`, which must have the same configuration and games. */
  static resume(setup: DistillerSetup, checkpointPath: string): Distiller {
    const distiller = new Distiller(setup, checkpointPath);
    return restoredRun(distiller, distiller.checkpointer as Checkpointer);
  }

  get updates(): number {
    return this.counters.updates;
  }

  get evaluationRows(): readonly DistillEvaluation[] {
    return this.evaluations;
  }

  /** Runs until `totalUpdates` (or until `shouldStop`), evaluating and checkpointing on schedule. */
  run(hooks: DistillHooks = {}): DistillResult {
    return Distiller.runLockstep([this], this.ownCalls(), [hooks])[0];
  }

  /**
   * The loop of one run, or of runs that differ only in their seed, in lockstep: every step, every update, every
   * evaluation and checkpoint at the same counts, with `calls` answering all the runs at once. Each run keeps its
   * own generators, memories, counters and checkpoints, so it computes what it would alone, to float rounding in
   * `calls` (until a rounding difference flips a greedy action and the trajectories part). A stop asked by any run's
   * hooks stops them all; a diverged run stops them all with its error.
   */
  static runLockstep(
    distillers: readonly Distiller[],
    calls: LockstepCalls,
    hooks: readonly DistillHooks[],
  ): DistillResult[] {
    const { config } = distillers[0].setup;
    const c = distillers[0].counters;
    const started = performance.now();
    const secondsBefore = distillers.map((d) => d.counters.seconds);
    for (const d of distillers) d.updatesAtStart = d.counters.updates;
    const each = (work: (d: Distiller, s: number) => void) => distillers.forEach(work);
    const charge = (part: keyof DistillTiming, since: number) => {
      const seconds = (performance.now() - since) / 1000;
      each((d) => {
        d.timing[part] += seconds;
      });
    };
    let stopped = false;
    while (c.updates < config.totalUpdates) {
      const t = performance.now();
      const epsilon = epsilonAt(config.epsilon, c.steps);
      const wanted = distillers.map((d) => d.chooseActions(epsilon));
      const q = wanted.some((w) => w !== null) ? calls.forward(wanted, 1) : wanted.map(() => null);
      charge('act', t);
      const acted = performance.now();
      each((d, s) => d.stepEnvironments(q[s]));
      charge('env', acted);
      if (c.steps % config.updateEvery === 0) Distiller.flushPending(distillers, calls);
      if (c.steps >= config.learningStarts && c.steps % config.updateEvery === 0) {
        const t = performance.now();
        const results = calls.update(distillers.map((d) => d.drawBatches()));
        const losses = distillers.map((d, s) => d.adoptUpdate(results[s]));
        charge('update', t);
        each((d, s) => d.countUpdate(losses[s], secondsBefore[s] + (performance.now() - started) / 1000));
        const evaluating = c.updates % config.evaluation.every === 0;
        const checkpointing = c.updates % config.checkpointEvery === 0 || c.updates === config.totalUpdates;
        // Evaluations are rated through `calls.forward`, which holds the current weights; a checkpoint reads each run's own.
        if (checkpointing) calls.sync();
        if (evaluating) Distiller.evaluateAll(distillers, calls, hooks);
        each((d, s) => {
          if (checkpointing) d.checkpointer?.save(d.timing, hooks[s]);
          if (c.updates % PROGRESS_EVERY === 0 || c.updates === config.totalUpdates)
            hooks[s].onProgress?.(d.progress());
        });
      }
      if (distillers.some((d, s) => hooks[s].shouldStop?.(d.counters.steps, d.counters.updates))) {
        stopped = true;
        break;
      }
    }
    return distillers.map((d) => ({
      finished: !stopped,
      updates: d.counters.updates,
      evaluations: d.evaluations,
      timing: { ...d.timing },
    }));
  }

  /** The lockstep calls of this run alone: its own routes and teachers. */
  private ownCalls(): LockstepCalls {
    return {
      forward: ([observations], rows) => [observations === null ? null : this.studentQ(observations, rows)],
      label: (g, [pending], count) =>
        this.teacherLabels[g].label(
          pending.frames,
          count,
          pending.teacherQ.subarray(0, count * this.setup.games[g].spec.numActions),
        ),
      update: ([batches]) => [this.updater.update(batches)],
      sync: () => {},
    };
  }

  /** q_S of stacked observations of every game (`observations[g]`, `rows` or `rows[g]` each), rows in game order. */
  studentQ(observations: readonly Uint8Array[], rows: RowCounts = 1): Float32Array {
    return this.studentForward.forward(observations, rows);
  }

  /** Releases the networks, the optimizer and the environments of the episodes in progress. */
  dispose(): void {
    for (const episode of this.episodes) episode.env?.close();
    this.updater.dispose();
    this.studentForward.dispose();
    this.student.dispose();
    this.optimizer.dispose();
  }

  /**
   * The first half of a step in every game: draws the ε-greedy choices. Returns the observations the student must
   * rate when any game acts greedily, else null; `stepEnvironments` takes the student's answer.
   */
  private chooseActions(epsilon: number): readonly Uint8Array[] | null {
    const { games } = this.setup;
    games.forEach((_, g) => {
      if (this.episodes[g].env === null) this.startEpisode(g, this.actRng.nextUint32(), []);
    });
    games.forEach(({ spec }, g) => {
      this.chosen[g] = exploratoryAction(spec.legalActions, epsilon, this.actRng);
    });
    return this.chosen.includes(null) ? this.observations : null;
  }

  /**
   * The second half of a step: every game takes its action (the student's greedy one from `q` where it chose none)
   * and keeps the experience for `flushPending`, which adds it to the game's memory with its teacher's q_T.
   */
  private stepEnvironments(q: Float32Array | null): void {
    const { games, config } = this.setup;
    games.forEach(({ spec }, g) => {
      const action = this.chosen[g] ?? greedyLegalAction(q as Float32Array, spec.legalActions, g * spec.numActions);
      const episode = this.episodes[g];
      const observation = this.observations[g];
      const result = (episode.env as Env).step(action, this.nextObservations[g]);
      episode.actions.push(action);
      const truncated =
        result.truncated ||
        (!result.terminal && config.maxEpisodeSteps !== null && episode.actions.length >= config.maxEpisodeSteps);
      const pending = this.pending[g];
      const k = pending.count++;
      pending.frames.set(observation, k * observation.length);
      pending.actions[k] = action;
      pending.rewards[k] = result.reward;
      pending.terminals[k] = result.terminal ? 1 : 0;
      pending.truncateds[k] = truncated ? 1 : 0;
      this.observations[g] = this.nextObservations[g];
      this.nextObservations[g] = observation;
      if (result.terminal || truncated) {
        (episode.env as Env).close();
        episode.env = null;
      }
    });
    this.counters.steps++;
  }

  /**
   * Adds every run's pending experiences to their memories, each with its teacher's q_T from one labelling call per
   * game for all the runs. Called every `updateEvery` steps, before any batch is drawn, so the memories hold exactly
   * what adding each experience at its own step would have put there.
   */
  private static flushPending(distillers: readonly Distiller[], calls: LockstepCalls): void {
    const t = performance.now();
    distillers[0].setup.games.forEach(({ spec }, g) => {
      const count = distillers[0].pending[g].count;
      if (count === 0) return;
      calls.label(
        g,
        distillers.map((d) => d.pending[g]),
        count,
      );
      for (const d of distillers) d.storePending(g, spec.numActions);
    });
    const seconds = (performance.now() - t) / 1000;
    for (const d of distillers) d.timing.act += seconds;
  }

  /** Game `g`'s labelled pending experiences into its memory. */
  private storePending(g: number, numActions: number): void {
    const p = this.pending[g];
    const size = p.frames.length / p.actions.length;
    for (let k = 0; k < p.count; k++) {
      this.buffers[g].add({
        frame: p.frames.subarray(k * size, (k + 1) * size),
        action: p.actions[k],
        // Distillation never reads rewards; they are kept as DQN stores them, clipped to their sign (Atari's scores
        // would not fit the memory's int8 rewards).
        reward: Math.sign(p.rewards[k]),
        terminal: p.terminals[k] === 1,
        truncated: p.truncateds[k] === 1,
        teacherQ: p.teacherQ.subarray(k * numActions, (k + 1) * numActions),
      });
    }
    p.count = 0;
  }

  /** Opens game `g`'s episode in a fresh environment seeded `seed` and replays `actions` into it. */
  private startEpisode(g: number, seed: number, actions: readonly number[]): void {
    const episode = this.episodes[g];
    const env = this.setup.makeEnv(g, seed);
    const observation = this.observations[g];
    env.reset(observation);
    for (const action of actions) env.step(action, observation);
    episode.env = env;
    episode.seed = seed;
    episode.actions = [...actions];
  }

  /**
   * One RMSProp step on a batch from every game, then eq. 5 priorities for the sampled experiences; returns
   * the loss (sum over games of the weighted mean KL). Public for benchmarks: the loop takes the same steps.
   */
  learn(): number {
    return this.adoptUpdate(this.updater.update(this.drawBatches()));
  }

  /** A batch from every game's memory, for the update that comes next. */
  private drawBatches(): readonly ReplayBatch[] {
    const { config } = this.setup;
    const next = this.counters.updates + 1;
    this.batchStatisticsDue =
      config.sampler.kind !== 'uniform' && (next % PROGRESS_EVERY === 0 || next === config.totalUpdates);
    this.buffers.forEach((buffer, g) => {
      buffer.sample(this.batches[g]);
    });
    return this.batches;
  }

  /**
   * Takes the update's loss and q_S: eq. 5 priorities for the sampled experiences. A diverged loss throws
   * DivergenceError before any priority changes: a non-finite loss comes with non-finite q_S, whose priorities the
   * samplers would refuse with an error that does not say the run diverged.
   */
  private adoptUpdate({ loss, studentQ }: StudentUpdateResult): number {
    const { config, games } = this.setup;
    const B = config.batchSize;
    const A = games[0].spec.numActions;
    this.divergence.check(loss, this.counters.updates + 1, this.checkpointer?.last ?? null);
    const statistics: BatchStatistics[] | null = this.batchStatisticsDue ? [] : null;
    this.batches.forEach((batch, g) => {
      const q = studentQ.subarray(g * B * A, (g + 1) * B * A);
      distillationPriorities(batch.teacherQ, q, A, games[g].spec.legalActions, config.tau, this.priorities);
      this.buffers[g].updatePriorities(batch.indices, this.priorities);
      statistics?.push(batchStatistics(this.priorities, batch.weights));
    });
    if (statistics !== null) this.batchStatistics = statistics;
    this.batchStatisticsDue = false;
    return loss;
  }

  /** Counts an update and its loss; `seconds` is the run's training time so far. */
  private countUpdate(loss: number, seconds: number): void {
    const c = this.counters;
    c.updates++;
    c.lossSum += loss;
    c.lossCount++;
    this.progressLoss.sum += loss;
    this.progressLoss.count++;
    c.seconds = seconds;
  }

  /**
   * Evaluates every run at once: their rollouts step in lockstep, each rated by `calls.forward` in one call per step
   * for all the runs, each drawing from its own evaluation generator as it would alone (batched-evaluation.ts).
   */
  private static evaluateAll(
    distillers: readonly Distiller[],
    calls: LockstepCalls,
    hooks: readonly DistillHooks[],
  ): void {
    const t = performance.now();
    const rollouts = distillers.map(({ setup, evaluationRng }) => {
      const { config, games, makeEnv } = setup;
      const evaluated = games.map(({ spec }, g) => ({ spec, makeEnv: (seed: number) => makeEnv(g, seed) }));
      return new EvaluationRollout(evaluated, config.evaluation, evaluationRng);
    });
    const results = evaluateLockstep(rollouts, (observations, rows) => calls.forward(observations, rows));
    const seconds = (performance.now() - t) / 1000;
    distillers.forEach((d, s) => {
      d.timing.evaluation += seconds;
      d.recordEvaluation(results[s], hooks[s]);
    });
  }

  /** One evaluation's scores as a row of the learning curve. */
  private recordEvaluation(results: readonly BatchedEvaluationResult[], hooks: DistillHooks): void {
    const { games } = this.setup;
    const c = this.counters;
    const scores = results.map((r) => r.meanReturn);
    const row: DistillEvaluation = {
      updates: c.updates,
      steps: c.steps,
      loss: c.lossCount > 0 ? c.lossSum / c.lossCount : null,
      scores,
      percentOfTeacher: scores.map((s, g) =>
        s === null ? null : percentOfTeacher(s, games[g].teacherScore as number),
      ),
      episodes: results.map((r) => r.returns.length),
      seconds: c.seconds,
      returns: results.map((r) => [...r.returns]),
    };
    c.lossSum = 0;
    c.lossCount = 0;
    this.evaluations.push(row);
    hooks.onEvaluation?.(row, this.evaluations);
  }

  private progress(): DistillProgress {
    const { config } = this.setup;
    const c = this.counters;
    const { sum, count } = this.progressLoss;
    this.progressLoss = { sum: 0, count: 0 };
    return {
      steps: c.steps,
      updates: c.updates,
      updatesAtStart: this.updatesAtStart,
      totalUpdates: config.totalUpdates,
      epsilon: epsilonAt(config.epsilon, c.steps),
      learningRate: config.optimizer.learningRate,
      loss: count > 0 ? sum / count : null,
      replay: this.batchStatistics,
      timing: { ...this.timing },
    };
  }

  /** What a checkpoint holds: everything the run continues from, so that a resumed run repeats this one. */
  private checkpointParts(): Record<string, Checkpointable> {
    return {
      run: runIdentityCheckpoint(this.setup.config, { gameIds: this.setup.games.map((g) => g.spec.id) }),
      counters: jsonCheckpoint('counters', this.counters),
      evaluations: jsonCheckpoint('evaluations', this.evaluations),
      rng: rngCheckpoint('rng', { act: this.actRng, evaluation: this.evaluationRng }),
      episodes: this.episodesCheckpoint(),
      optimizer: rmsPropCheckpoint(this.optimizer),
      student: networkCheckpoint('student', this.student),
      replay: replayBuffersCheckpoint(this.buffers),
      divergence: this.divergence,
    };
  }

  /** Each game's episode in progress: its seed and actions so far, replayed into a fresh environment on restore. */
  private episodesCheckpoint(): Checkpointable {
    return {
      checkpointState: () => ({
        meta: { episodes: this.episodes.map((e): SavedEpisode => ({ seed: e.seed, active: e.env !== null })) },
        arrays: Object.fromEntries(this.episodes.map((e, g) => [`episode/${g}/actions`, Uint8Array.from(e.actions)])),
      }),
      restoreCheckpointState: (saved) => {
        saved.meta<readonly SavedEpisode[]>('episodes').forEach(({ seed, active }, g) => {
          if (active) this.startEpisode(g, seed, Array.from(saved.array(`episode/${g}/actions`, Uint8Array)));
        });
      },
    };
  }
}
