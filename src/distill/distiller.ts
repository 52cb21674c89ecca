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
import { evaluateBatched } from './batched-evaluation';
import { type DistillConfig, type GameSetup, samplerConfig, validateDistillConfig, validateGames } from './config';
import { createStudentForward, createStudentUpdater, type StudentForward, type StudentUpdater } from './student-routes';
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
  private readonly studentForward: StudentForward;
  private readonly priorities: Float32Array;
  private readonly episodes: Episode[];
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
    this.teacherLabels = games.map((g) =>
      teacherLabels({
        teacher: g.teacher as QNetwork,
        network: setup.teacherNetwork,
        observationShape: g.spec.observationShape,
        inputScale: setup.inputScale,
        legalActions: g.spec.legalActions,
      }),
    );
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
    const updateOptions = { ...shape, optimizer: this.optimizer, batchSize: config.batchSize, tau: config.tau };
    this.updater = createStudentUpdater(updateOptions);
    this.studentForward = createStudentForward(shape);
    this.priorities = new Float32Array(config.batchSize);
    this.divergence = new DivergenceMonitor(divergenceOf(config));
    this.episodes = specs.map(() => ({ env: null, seed: 0, actions: [] }));
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
    const { config } = this.setup;
    const c = this.counters;
    const started = performance.now();
    const secondsBefore = c.seconds;
    this.updatesAtStart = c.updates;
    let stopped = false;
    while (c.updates < config.totalUpdates) {
      this.act(epsilonAt(config.epsilon, c.steps));
      c.steps++;
      if (c.steps % config.updateEvery === 0) this.flushPending();
      if (c.steps >= config.learningStarts && c.steps % config.updateEvery === 0) {
        const t = performance.now();
        const next = c.updates + 1;
        this.batchStatisticsDue =
          config.sampler.kind !== 'uniform' && (next % PROGRESS_EVERY === 0 || next === config.totalUpdates);
        const loss = this.learn();
        this.timing.update += (performance.now() - t) / 1000;
        c.updates++;
        c.lossSum += loss;
        c.lossCount++;
        this.progressLoss.sum += loss;
        this.progressLoss.count++;
        c.seconds = secondsBefore + (performance.now() - started) / 1000;
        if (c.updates % config.evaluation.every === 0) this.evaluate(hooks);
        if (c.updates % config.checkpointEvery === 0 || c.updates === config.totalUpdates) {
          this.checkpointer?.save(this.timing, hooks);
        }
        if (c.updates % PROGRESS_EVERY === 0 || c.updates === config.totalUpdates) hooks.onProgress?.(this.progress());
      }
      if (hooks.shouldStop?.(c.steps, c.updates)) {
        stopped = true;
        break;
      }
    }
    return { finished: !stopped, updates: c.updates, evaluations: this.evaluations, timing: { ...this.timing } };
  }

  /** q_S of `n` stacked observations of every game (`observations[g]`), rows stacked in game order ([games × n, numActions]). */
  studentQ(observations: readonly Uint8Array[], n = 1): Float32Array {
    return this.studentForward.forward(observations, n);
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
   * One step in every game: act ε-greedily (one student pass for every game that acts greedily) and keep
   * the experience for `flushPending`, which adds it to the game's memory with its teacher's q_T.
   */
  private act(epsilon: number): void {
    const { games, config } = this.setup;
    const t = performance.now();
    games.forEach((_, g) => {
      if (this.episodes[g].env === null) this.startEpisode(g, this.actRng.nextUint32(), []);
    });
    const actions = games.map(({ spec }) => exploratoryAction(spec.legalActions, epsilon, this.actRng));
    const q = actions.includes(null) ? this.studentQ(this.observations) : null;
    const acted = performance.now();
    this.timing.act += (acted - t) / 1000;
    games.forEach(({ spec }, g) => {
      const action = actions[g] ?? greedyLegalAction(q as Float32Array, spec.legalActions, g * spec.numActions);
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
    this.timing.env += (performance.now() - acted) / 1000;
  }

  /**
   * Adds the pending experiences to their memories, each with its teacher's q_T from one forward pass per
   * game. Called every `updateEvery` steps, before any batch is drawn, so the memories hold exactly what
   * adding each experience at its own step would have put there.
   */
  private flushPending(): void {
    const t = performance.now();
    this.setup.games.forEach(({ spec }, g) => {
      const p = this.pending[g];
      if (p.count === 0) return;
      const numActions = spec.numActions;
      const teacherQ = p.teacherQ.subarray(0, p.count * numActions);
      this.teacherLabels[g].label(p.frames, p.count, teacherQ);
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
          teacherQ: teacherQ.subarray(k * numActions, (k + 1) * numActions),
        });
      }
      p.count = 0;
    });
    this.timing.act += (performance.now() - t) / 1000;
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
   * the loss (sum over games of the weighted mean KL). `run` calls it on schedule; public for benchmarks.
   * A diverged loss throws DivergenceError before any priority changes: a non-finite loss comes with non-finite
   * q_S, whose priorities the samplers would refuse with an error that does not say the run diverged.
   */
  learn(): number {
    const { config, games } = this.setup;
    const B = config.batchSize;
    const A = games[0].spec.numActions;
    this.buffers.forEach((buffer, g) => {
      buffer.sample(this.batches[g]);
    });
    const { loss, studentQ } = this.updater.update(this.batches);
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

  private evaluate(hooks: DistillHooks): void {
    const t = performance.now();
    const { config, games, makeEnv } = this.setup;
    const c = this.counters;
    const results = evaluateBatched(
      games.map(({ spec }, g) => ({ spec, makeEnv: (seed: number) => makeEnv(g, seed) })),
      (observations, n) => this.studentQ(observations, n),
      config.evaluation,
      this.evaluationRng,
    );
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
    this.timing.evaluation += (performance.now() - t) / 1000;
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
