/**
 * The DQN teacher loop: ε-greedy acting, uniform experience replay (the project's `ReplayBuffer` with the
 * `uniform` sampler, through `DqnReplay` in dqn-replay.ts), an update every `updateEvery` steps after `learningStarts`,
 * target copies every `targetUpdateEvery` steps, evaluations on a schedule, checkpoints.
 *
 * Checkpoint policy: a checkpoint is taken only between training episodes. When every training episode runs
 * in a fresh environment seeded from the trainer's generator (`freshPerEpisode`, MinAtar), the environment's
 * state never needs saving, and a run resumed from a checkpoint repeats the uninterrupted run exactly (the
 * replay contents, the networks, the optimizer's slots and every generator are in the checkpoint). An
 * environment whose game outlives an episode (Atari with episodic life) serves the whole run instead, and a
 * resumed run starts it afresh: declared, not exact.
 */
import type { Env, EnvSpec } from '../env/types';
import { Rng } from '../util/rng';
import {
  jsonCheckpoint,
  networkCheckpoint,
  rmsPropCheckpoint,
  rngCheckpoint,
  runIdentityCheckpoint,
} from './checkpoint-parts';
import { type Checkpointable, Checkpointer, restoredRun } from './checkpointer';
import { DivergenceMonitor, divergenceOf } from './divergence';
import { agentOptions, DqnAgent } from './dqn-agent';
import type { DqnConfig } from './dqn-config';
import { DqnReplay } from './dqn-replay';
import { epsilonAt } from './epsilon';
import { evaluatePolicy, mean } from './evaluate';
import type {
  EvaluationRow,
  StepTiming,
  TrainerEnvs,
  TrainerHooks,
  TrainerProgress,
  TrainResult,
} from './trainer-common';

const RECENT_EPISODES = 20;
const PROGRESS_EVERY = 100;
export const RUN_CHECKPOINT_KIND = 'dqn-run';

interface RunCounters {
  step: number;
  episodes: number;
  updates: number;
  nextCheckpointStep: number;
  lossSum: number;
  lossCount: number;
  seconds: number;
}

export class DqnTrainer {
  private readonly agent: DqnAgent;
  private readonly replay: DqnReplay;
  private readonly trainerRng: Rng;
  private readonly evaluationRng: Rng;
  /** Null when the run keeps no checkpoints. */
  private readonly checkpointer: Checkpointer | null;
  private readonly counters: RunCounters;
  private readonly recentReturns: number[] = [];
  private readonly evaluations: EvaluationRow[] = [];
  private readonly divergence: DivergenceMonitor;
  /** Loss of the updates since the last progress report (not checkpointed: reports are this process's). */
  private progressLoss = { sum: 0, count: 0 };
  private readonly timing: StepTiming = { env: 0, act: 0, replay: 0, update: 0, evaluation: 0, checkpoint: 0 };

  private constructor(
    readonly config: DqnConfig,
    readonly spec: EnvSpec,
    private readonly envs: TrainerEnvs,
    checkpointPath: string | null,
  ) {
    const master = new Rng(config.seed);
    this.agent = new DqnAgent(agentOptions(config, spec), master.fork());
    this.trainerRng = master.fork();
    this.evaluationRng = master.fork();
    this.replay = new DqnReplay(config.replayCapacity, spec, config.batchSize, master.nextUint32());
    this.divergence = new DivergenceMonitor(divergenceOf(config));
    this.counters = {
      step: 0,
      episodes: 0,
      updates: 0,
      nextCheckpointStep: config.checkpointEvery,
      lossSum: 0,
      lossCount: 0,
      seconds: 0,
    };
    this.checkpointer =
      checkpointPath === null
        ? null
        : new Checkpointer(checkpointPath, RUN_CHECKPOINT_KIND, this.checkpointParts(), () => this.counters.step);
  }

  /** A new run; checkpoints go to `checkpointPath` (none when null). */
  static create(config: DqnConfig, spec: EnvSpec, envs: TrainerEnvs, checkpointPath: string | null): DqnTrainer {
    return new DqnTrainer(config, spec, envs, checkpointPath);
  }

  /**
   * Bytes the replay of a run on `spec`'s game takes: `fixed + replayCapacity · perExperience` (each observation,
   * for Atari each frame, stored once, with its action, reward, flags and the unused q_T; see `DqnReplay`).
   */
  static replayFootprint(spec: EnvSpec): { perExperience: number; fixed: number } {
    return DqnReplay.footprint(spec);
  }

  /** Continues the run saved at `checkpointPath`, which must have been made with the same configuration and game. */
  static resume(config: DqnConfig, spec: EnvSpec, envs: TrainerEnvs, checkpointPath: string): DqnTrainer {
    const trainer = new DqnTrainer(config, spec, envs, checkpointPath);
    return restoredRun(trainer, trainer.checkpointer as Checkpointer);
  }

  get step(): number {
    return this.counters.step;
  }

  get evaluationRows(): readonly EvaluationRow[] {
    return this.evaluations;
  }

  /** The online network's greedy choice, as an index into the game's legal actions. */
  readonly greedyPolicy = (observation: Uint8Array): number => this.agent.greedyAction(this.scaled(observation));

  get onlineNetwork() {
    return this.agent.online;
  }

  run(hooks: TrainerHooks = {}): TrainResult {
    const { config, spec } = this;
    const size = this.replay.observationSize;
    let observation = new Uint8Array(size);
    let nextObservation = new Uint8Array(size);
    const batch = this.replay.allocateBatch();
    const legal = spec.legalActions;
    const started = performance.now();
    const secondsBefore = this.counters.seconds;
    const c = this.counters;
    let env: Env | null = null;
    let inEpisode = false;
    let episodeReturn = 0;
    let episodeSteps = 0;
    let stopped = false;
    try {
      while (c.step < config.totalSteps) {
        let t = performance.now();
        if (!inEpisode) {
          env ??= this.envs.training(this.trainerRng.nextUint32());
          env.reset(observation);
          inEpisode = true;
          episodeReturn = 0;
          episodeSteps = 0;
        }
        const epsilon = epsilonAt(config.epsilon, c.step);
        const action =
          this.trainerRng.random() < epsilon ? this.trainerRng.int(legal.length) : this.greedyPolicy(observation);
        let now = performance.now();
        this.timing.act += (now - t) / 1000;
        t = now;
        const result = (env as Env).step(legal[action], nextObservation);
        c.step++;
        episodeSteps++;
        episodeReturn += result.reward;
        const truncated =
          result.truncated ||
          (!result.terminal && config.maxEpisodeSteps !== null && episodeSteps >= config.maxEpisodeSteps);
        now = performance.now();
        this.timing.env += (now - t) / 1000;
        t = now;
        this.replay.add(observation, action, result.reward, result.terminal, truncated, nextObservation);
        [observation, nextObservation] = [nextObservation, observation];
        if (c.step > config.learningStarts && c.step % config.updateEvery === 0) {
          this.replay.sample(batch, config.gamma, config.inputScale);
          now = performance.now();
          this.timing.replay += (now - t) / 1000;
          t = now;
          const loss = this.agent.update(batch);
          c.updates++;
          // A non-finite loss, or one far above its recent mean, stops the run before anything else is written.
          this.divergence.check(loss, c.updates, this.checkpointer?.last ?? null);
          c.lossSum += loss;
          c.lossCount++;
          this.progressLoss.sum += loss;
          this.progressLoss.count++;
          this.timing.update += (performance.now() - t) / 1000;
        }
        if (c.step % config.targetUpdateEvery === 0) this.agent.syncTarget();
        const episodeEnded = result.terminal || truncated;
        if (episodeEnded) {
          inEpisode = false;
          if (this.envs.freshPerEpisode) {
            (env as Env).close();
            env = null;
          }
          c.episodes++;
          this.recentReturns.push(episodeReturn);
          if (this.recentReturns.length > RECENT_EPISODES) this.recentReturns.shift();
        }
        c.seconds = secondsBefore + (performance.now() - started) / 1000;
        if (c.step % config.evaluation.every === 0) this.evaluate(hooks);
        if ((episodeEnded && c.step >= c.nextCheckpointStep) || c.step === config.totalSteps) {
          this.checkpoint(hooks);
        }
        if (c.step % PROGRESS_EVERY === 0 || c.step === config.totalSteps) hooks.onProgress?.(this.progress());
        if (hooks.shouldStop?.(c.step)) {
          stopped = true;
          break;
        }
      }
    } finally {
      env?.close();
    }
    return { finished: !stopped, step: c.step, evaluations: this.evaluations, timing: { ...this.timing } };
  }

  dispose(): void {
    this.agent.dispose();
  }

  private scaled(observation: Uint8Array): Float32Array {
    const out = new Float32Array(observation.length);
    const scale = this.config.inputScale;
    for (let i = 0; i < observation.length; i++) out[i] = observation[i] * scale;
    return out;
  }

  private progress(): TrainerProgress {
    const c = this.counters;
    const { sum, count } = this.progressLoss;
    this.progressLoss = { sum: 0, count: 0 };
    return {
      step: c.step,
      totalSteps: this.config.totalSteps,
      episodes: c.episodes,
      updates: c.updates,
      epsilon: epsilonAt(this.config.epsilon, c.step),
      learningRate: this.config.optimizer.learningRate,
      loss: count > 0 ? sum / count : null,
      recentReturn: mean(this.recentReturns),
      timing: { ...this.timing },
    };
  }

  private evaluate(hooks: TrainerHooks): void {
    const t = performance.now();
    const c = this.counters;
    const result = evaluatePolicy(
      this.spec,
      (seed) => this.envs.evaluation(seed),
      this.greedyPolicy,
      this.config.evaluation,
      this.evaluationRng,
    );
    const row: EvaluationRow = {
      step: c.step,
      episodes: c.episodes,
      updates: c.updates,
      epsilon: epsilonAt(this.config.epsilon, c.step),
      evalEpisodes: result.returns.length,
      evalReturn: result.meanReturn,
      trainReturn: mean(this.recentReturns),
      loss: c.lossCount > 0 ? c.lossSum / c.lossCount : null,
      seconds: c.seconds,
    };
    c.lossSum = 0;
    c.lossCount = 0;
    this.evaluations.push(row);
    this.timing.evaluation += (performance.now() - t) / 1000;
    hooks.onEvaluation?.(row, this.evaluations);
  }

  /** What a checkpoint holds: everything the run continues from, so that a resumed run repeats this one. */
  private checkpointParts(): Record<string, Checkpointable> {
    return {
      run: runIdentityCheckpoint(this.config, { envId: this.spec.id }),
      // The replay right after the identity: its check of the format comes before any other part is read.
      replay: this.replay,
      online: networkCheckpoint('online', this.agent.online),
      target: networkCheckpoint('target', this.agent.target),
      optimizer: rmsPropCheckpoint(this.agent.optimizer),
      // The replay's generator is the sampler's, saved with it.
      rng: rngCheckpoint('rng', { trainer: this.trainerRng, evaluation: this.evaluationRng }),
      counters: jsonCheckpoint('counters', this.counters),
      recentReturns: jsonCheckpoint('recentReturns', this.recentReturns),
      evaluations: jsonCheckpoint('evaluations', this.evaluations),
      divergence: this.divergence,
    };
  }

  private checkpoint(hooks: TrainerHooks): void {
    const c = this.counters;
    c.nextCheckpointStep = (Math.floor(c.step / this.config.checkpointEvery) + 1) * this.config.checkpointEvery;
    this.checkpointer?.save(this.timing, hooks);
  }
}
