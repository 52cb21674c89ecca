/**
 * The PQN teacher loop (Gallici et al. 2024): `numEnvs` environments act together, one batched forward pass
 * per step; after `rolloutSteps` steps, Q(λ) targets from the acting network's values; then `epochs` passes
 * over the rollout in shuffled minibatches of a squared TD loss, each one clipped RAdam step. No replay memory
 * and no target network: LayerNorm in the network keeps the bootstrapped targets stable.
 *
 * Checkpoints are taken between rollouts: network, optimizer moments, generator, counters and the evaluation
 * table. The environments' episodes in progress are not saved: a resumed run starts every environment on a
 * fresh episode seeded from the restored generator, so it is repeatable (the same checkpoint resumes the same
 * way) but not identical to the uninterrupted run, as the DQN trainer's Atari runs.
 */
import type { Env, EnvSpec } from '../env/types';
import { ExportedGraph, numberedInputs, numberedOutputs, type UpdateRoute } from '../nn/exported-graph';
import { pqnGraphName } from '../nn/graph-names';
import { forwardQValues, type QNetwork, type QNetworkSpec, qNetwork } from '../nn/qnetwork';
import { Radam } from '../nn/radam';
import { type Scalar, type Tensor, type Tensor2D, type Tensor4D, tf } from '../nn/tf';
import { Rng } from '../util/rng';
import {
  jsonCheckpoint,
  networkCheckpoint,
  radamCheckpoint,
  rngCheckpoint,
  runIdentityCheckpoint,
} from './checkpoint-parts';
import { type Checkpointable, Checkpointer, restoredRun } from './checkpointer';
import { DivergenceMonitor, divergenceOf } from './divergence';
import { epsilonAt } from './epsilon';
import { mean } from './evaluate';
import { type BatchPolicy, type EpisodeEvaluation, evaluateEpisodes } from './evaluate-episodes';
import { graphRunnable } from './graph-route';
import { lambdaReturns } from './lambda-returns';
import { type PqnConfig, pqnEpsilonSchedule, rolloutSize, validatePqnConfig } from './pqn-config';
import type { EvaluationRow, StepTiming, TrainerHooks, TrainResult } from './trainer-common';

export const PQN_CHECKPOINT_KIND = 'pqn-run';
const RECENT_EPISODES = 100;

interface PqnCounters {
  step: number;
  rollouts: number;
  episodes: number;
  updates: number;
  nextCheckpointStep: number;
  nextEvaluationStep: number;
  /** Snapshots already taken (a prefix of config.snapshots). */
  snapshotsTaken: number;
  lossSum: number;
  lossCount: number;
  seconds: number;
}

/** How a PQN run is built: its configuration, game, environments, checkpoint file and update route. */
type PqnRun = [
  config: PqnConfig,
  spec: EnvSpec,
  makeEnv: (seed: number) => Env,
  checkpointPath: string,
  route?: UpdateRoute,
];

export interface PqnHooks extends TrainerHooks {
  /** Called when training passes `config.snapshots[index]` of its steps, between rollouts. */
  onSnapshot?(index: number, step: number): void;
}

/** What one rollout's learning phase works on: the rollout, every epoch's order, a learning rate per step. */
interface LearningPhase {
  readonly observations: Uint8Array;
  readonly actions: Int32Array;
  readonly targets: Float32Array;
  /** Row indices, epoch after epoch, each epoch a permutation of the rollout's rows. */
  readonly order: Int32Array;
  readonly learningRates: Float64Array;
  readonly batch: number;
}

/** `graph` where the exported PQN graph fits the network and the backend can run it, `eager` otherwise. */
export function defaultPqnRoute(network: QNetworkSpec): UpdateRoute {
  return graphRunnable(pqnGraphName(network)) ? 'graph' : 'eager';
}

/** Index of the largest of `values[offset … offset + n)` relative to `offset` (the first on ties). */
function argMaxAt(values: Float32Array, offset: number, n: number): number {
  let best = 0;
  for (let a = 1; a < n; a++) if (values[offset + a] > values[offset + best]) best = a;
  return best;
}

export class PqnTrainer {
  readonly network: QNetwork;
  private readonly optimizer: Radam;
  private readonly rng: Rng;
  private readonly counters: PqnCounters;
  private readonly recentReturns: number[] = [];
  private readonly evaluations: EvaluationRow[] = [];
  private readonly frame: number;
  private readonly numActions: number;
  private readonly envs: Env[];
  private readonly episodeReturns: Float64Array;
  /** The current observation of every environment, stacked. */
  private readonly current: Uint8Array;
  private readonly timing: StepTiming = { env: 0, act: 0, replay: 0, update: 0, evaluation: 0, checkpoint: 0 };
  private readonly divergence: DivergenceMonitor;
  private readonly checkpointer: Checkpointer;

  /** The exported graphs of the graph route; null on the eager route. */
  private readonly graphs: { readonly update: ExportedGraph; readonly forward: ExportedGraph } | null;

  private constructor(
    readonly config: PqnConfig,
    readonly spec: EnvSpec,
    private readonly makeEnv: (seed: number) => Env,
    checkpointPath: string,
    readonly route: UpdateRoute = defaultPqnRoute(config.network),
  ) {
    validatePqnConfig(config);
    const graphName = pqnGraphName(config.network);
    if (route === 'graph' && graphName === null) {
      throw new RangeError(`no PQN graph for the network ${JSON.stringify(config.network)}; use the eager route`);
    }
    this.graphs =
      route === 'graph'
        ? {
            update: ExportedGraph.load(graphName as string, 'update'),
            forward: ExportedGraph.load(graphName as string, 'forward'),
          }
        : null;
    this.rng = new Rng(config.seed);
    this.divergence = new DivergenceMonitor(divergenceOf(config));
    const [h, w, c] = spec.observationShape;
    this.frame = h * w * c;
    this.numActions = spec.legalActions.length;
    this.network = qNetwork('online', config.network, spec.observationShape, this.numActions, this.rng.fork());
    this.optimizer = new Radam(this.network.variables, { maxGradNorm: config.maxGradNorm });
    this.counters = {
      step: 0,
      rollouts: 0,
      episodes: 0,
      updates: 0,
      nextCheckpointStep: config.checkpointEvery,
      nextEvaluationStep: config.evaluation.every,
      snapshotsTaken: 0,
      lossSum: 0,
      lossCount: 0,
      seconds: 0,
    };
    this.envs = new Array<Env>(config.numEnvs);
    this.episodeReturns = new Float64Array(config.numEnvs);
    this.current = new Uint8Array(config.numEnvs * this.frame);
    this.checkpointer = new Checkpointer(checkpointPath, PQN_CHECKPOINT_KIND, this.checkpointParts(), () => this.step);
  }

  static create(...run: PqnRun): PqnTrainer {
    const trainer = new PqnTrainer(...run);
    trainer.startEpisodes();
    return trainer;
  }

  /** Continues from `checkpointPath`; refuses a checkpoint of another configuration or game, naming what differs. */
  static resume(...run: PqnRun): PqnTrainer {
    const trainer = new PqnTrainer(...run);
    restoredRun(trainer, trainer.checkpointer).startEpisodes();
    return trainer;
  }

  get step(): number {
    return this.counters.step;
  }

  get evaluationRows(): readonly EvaluationRow[] {
    return this.evaluations;
  }

  /** Every environment on a fresh episode, seeded from the trainer's generator in environment order. */
  private startEpisodes(): void {
    for (let i = 0; i < this.config.numEnvs; i++) this.startEpisode(i);
  }

  private startEpisode(i: number): void {
    this.envs[i]?.close();
    this.envs[i] = this.makeEnv(this.rng.nextUint32());
    this.envs[i].reset(this.current.subarray(i * this.frame, (i + 1) * this.frame));
    this.episodeReturns[i] = 0;
  }

  /** Q-values (legal actions) of `n` stacked observations, in one forward pass (the graph's on the graph route). */
  qValues(observations: Uint8Array, n: number): Float32Array {
    const { observationShape } = this.spec;
    return forwardQValues(
      this.network,
      this.graphs?.forward ?? null,
      observations,
      n,
      observationShape,
      this.config.inputScale,
    );
  }

  /** The greedy policy of the current network, for batched evaluations. */
  readonly greedyPolicy: BatchPolicy = (observations, n, out) => {
    const q = this.qValues(observations, n);
    for (let k = 0; k < n; k++) out[k] = argMaxAt(q, k * this.numActions, this.numActions);
  };

  /** The evaluation protocol over `episodes` episodes, its generator seeded by `seed`. */
  evaluate(episodes: number, seed: number): EpisodeEvaluation {
    const { epsilon, maxNoops, maxEpisodeSteps } = this.config.evaluation;
    return evaluateEpisodes(
      this.spec,
      this.makeEnv,
      this.greedyPolicy,
      { episodes, epsilon, maxNoops, maxEpisodeSteps },
      new Rng(seed),
    );
  }

  /** Trains until `totalSteps` (or `shouldStop`); evaluations, snapshots and checkpoints between rollouts. */
  run(hooks: PqnHooks = {}): TrainResult {
    const { config } = this;
    const n = config.numEnvs;
    const steps = config.rolloutSteps;
    const rows = rolloutSize(config);
    const observations = new Uint8Array(rows * this.frame);
    const actions = new Int32Array(rows);
    const rewards = new Float32Array(rows);
    const dones = new Uint8Array(rows);
    const maxQ = new Float32Array(rows);
    const nextMaxQ = new Float32Array(rows);
    const targets = new Float32Array(rows);
    const order = new Int32Array(config.epochs * rows);
    const batch = rows / config.minibatches;
    const totalUpdates = Math.ceil(config.totalSteps / rows) * config.epochs * config.minibatches;
    let started = performance.now();

    while (this.counters.step < config.totalSteps) {
      const epsilon = epsilonAt(pqnEpsilonSchedule(config), this.counters.step);
      for (let t = 0; t < steps; t++) {
        let clock = performance.now();
        const q = this.qValues(this.current, n);
        observations.set(this.current, t * n * this.frame);
        const now = performance.now();
        this.timing.act += (now - clock) / 1000;
        clock = now;
        for (let i = 0; i < n; i++) {
          const row = t * n + i;
          const greedy = argMaxAt(q, i * this.numActions, this.numActions);
          maxQ[row] = q[i * this.numActions + greedy];
          const action = this.rng.random() < epsilon ? this.rng.int(this.numActions) : greedy;
          actions[row] = action;
          const view = this.current.subarray(i * this.frame, (i + 1) * this.frame);
          const result = this.envs[i].step(this.spec.legalActions[action], view);
          rewards[row] = result.reward;
          this.episodeReturns[i] += result.reward;
          const ended = result.terminal || result.truncated;
          // A truncation is not a terminal, but the next observation is gone: the target stops there as well.
          dones[row] = ended ? 1 : 0;
          if (ended) {
            this.recordEpisode(this.episodeReturns[i]);
            this.startEpisode(i);
          }
        }
        this.counters.step += n;
        this.timing.env += (performance.now() - clock) / 1000;
      }
      let clock = performance.now();
      const lastQ = this.qValues(this.current, n);
      for (let row = 0; row < rows - n; row++) nextMaxQ[row] = maxQ[row + n];
      for (let i = 0; i < n; i++) {
        nextMaxQ[rows - n + i] = lastQ[i * this.numActions + argMaxAt(lastQ, i * this.numActions, this.numActions)];
      }
      lambdaReturns({ rewards, dones, nextMaxQ, numEnvs: n, gamma: config.gamma, lambda: config.lambda }, targets);
      this.timing.replay += (performance.now() - clock) / 1000;
      clock = performance.now();
      // Every epoch's shuffle first (the generator's draws in epoch order), then every minibatch step.
      for (let epoch = 0; epoch < config.epochs; epoch++) {
        const base = epoch * rows;
        for (let k = 0; k < rows; k++) order[base + k] = k;
        for (let k = rows - 1; k > 0; k--) {
          const j = this.rng.int(k + 1);
          const swap = order[base + k];
          order[base + k] = order[base + j];
          order[base + j] = swap;
        }
      }
      const learningRates = new Float64Array(config.epochs * config.minibatches);
      for (let k = 0; k < learningRates.length; k++) {
        const progress = (this.counters.updates + k) / totalUpdates;
        learningRates[k] = config.learningRateDecay
          ? config.learningRate * Math.max(0, 1 - progress)
          : config.learningRate;
      }
      const losses =
        this.graphs === null
          ? this.eagerLearn({ observations, actions, targets, order, learningRates, batch })
          : this.graphLearn(this.graphs.update, { observations, actions, targets, order, learningRates, batch });
      for (const loss of losses) {
        // A non-finite loss, or one far above its recent mean, stops the run before any snapshot or checkpoint.
        this.divergence.check(loss, this.counters.updates + 1, this.checkpointer.last);
        this.counters.updates++;
        this.counters.lossSum += loss;
        this.counters.lossCount++;
      }
      this.counters.rollouts++;
      this.timing.update += (performance.now() - clock) / 1000;
      const now = performance.now();
      this.counters.seconds += (now - started) / 1000;
      started = now;
      hooks.onProgress?.({
        step: this.counters.step,
        totalSteps: config.totalSteps,
        episodes: this.counters.episodes,
        updates: this.counters.updates,
        epsilon,
        learningRate: learningRates[learningRates.length - 1],
        loss: mean(losses),
        recentReturn: mean(this.recentReturns),
        timing: this.timing,
      });
      const finished = this.counters.step >= config.totalSteps;
      while (
        this.counters.snapshotsTaken < config.snapshots.length &&
        this.counters.step >= config.snapshots[this.counters.snapshotsTaken] * config.totalSteps
      ) {
        hooks.onSnapshot?.(this.counters.snapshotsTaken, this.counters.step);
        this.counters.snapshotsTaken++;
      }
      if (this.counters.step >= this.counters.nextEvaluationStep || finished) {
        this.evaluateNow(epsilon, hooks);
        while (this.counters.nextEvaluationStep <= this.counters.step)
          this.counters.nextEvaluationStep += config.evaluation.every;
      }
      if (this.counters.step >= this.counters.nextCheckpointStep || finished) {
        this.checkpointer.save(this.timing, hooks);
        while (this.counters.nextCheckpointStep <= this.counters.step)
          this.counters.nextCheckpointStep += config.checkpointEvery;
      }
      started = performance.now();
      if (!finished && hooks.shouldStop?.(this.counters.step)) {
        return { finished: false, step: this.counters.step, evaluations: this.evaluations, timing: this.timing };
      }
    }
    return { finished: true, step: this.counters.step, evaluations: this.evaluations, timing: this.timing };
  }

  private recordEpisode(episodeReturn: number): void {
    this.counters.episodes++;
    this.recentReturns.push(episodeReturn);
    if (this.recentReturns.length > RECENT_EPISODES) this.recentReturns.shift();
  }

  /** Every minibatch step of a rollout by eager kernels, stopping at the first non-finite loss; the losses. */
  private eagerLearn(phase: LearningPhase): number[] {
    const { observations, actions, targets, order, learningRates, batch } = phase;
    const scale = this.config.inputScale;
    const input = new Float32Array(batch * this.frame);
    const batchActions = new Int32Array(batch);
    const batchTargets = new Float32Array(batch);
    const losses: number[] = [];
    for (let k = 0; k < learningRates.length; k++) {
      for (let b = 0; b < batch; b++) {
        const row = order[k * batch + b];
        const source = row * this.frame;
        for (let p = 0; p < this.frame; p++) input[b * this.frame + p] = observations[source + p] * scale;
        batchActions[b] = actions[row];
        batchTargets[b] = targets[row];
      }
      const loss = this.update(input, batchActions, batchTargets, learningRates[k]);
      losses.push(loss);
      if (!Number.isFinite(loss)) break;
    }
    return losses;
  }

  /** Every minibatch step of a rollout in one call of the exported graph (the same arithmetic); the losses. */
  private graphLearn(graph: ExportedGraph, phase: LearningPhase): number[] {
    const { observations, actions, targets, order, learningRates, batch } = phase;
    const steps = learningRates.length;
    const { momentScales, rectified, secondCorrections } = this.optimizer.nextStepScalars(steps);
    const { beta1, beta2, epsilon } = this.optimizer.hyperParameters;
    const { firstMoment, secondMoment } = this.optimizer.moments();
    const scaled = new Float32Array(observations.length);
    for (let k = 0; k < scaled.length; k++) scaled[k] = observations[k] * this.config.inputScale;
    const inputs: Record<string, Tensor> = {
      observations: tf.tensor4d(scaled, [actions.length, ...this.spec.observationShape]),
      actions: tf.tensor1d(actions, 'int32'),
      targets: tf.tensor1d(targets),
      order: tf.tensor1d(order, 'int32'),
      batch_size: tf.scalar(batch, 'int32'),
      learning_rates: tf.tensor1d(Float32Array.from(learningRates)),
      moment_scales: tf.tensor1d(momentScales),
      rectified: tf.tensor1d(rectified),
      second_corrections: tf.tensor1d(secondCorrections),
      beta1: tf.scalar(beta1),
      beta2: tf.scalar(beta2),
      epsilon: tf.scalar(epsilon),
      max_grad_norm: tf.scalar(this.config.maxGradNorm),
    };
    const outputs = graph.run({
      ...inputs,
      ...numberedInputs('param', this.network.variables),
      first_moment: firstMoment,
      second_moment: secondMoment,
    });
    const values = numberedOutputs(outputs, 'param', this.network.variables.length);
    this.optimizer.adoptSteps(values, outputs.first_moment, outputs.second_moment, steps);
    const losses = Array.from(outputs.losses.dataSync());
    tf.dispose([...Object.values(inputs), ...Object.values(outputs)]);
    return losses;
  }

  /** One clipped RAdam step on ½ · mean (Q(s, a) − G)² over a minibatch; returns the loss. */
  private update(input: Float32Array, actionIndices: Int32Array, target: Float32Array, learningRate: number): number {
    const n = actionIndices.length;
    const loss = tf.tidy(() => {
      const x = tf.tensor4d(input, [n, ...this.spec.observationShape]) as Tensor4D;
      const taken = tf.oneHot(tf.tensor1d(actionIndices, 'int32'), this.numActions);
      const g = tf.tensor1d(target);
      return this.optimizer.minimize(() => {
        const q = this.network.apply(x) as Tensor2D;
        const chosen = tf.sum(tf.mul(q, taken), 1);
        return tf.mul(0.5, tf.mean(tf.square(tf.sub(chosen, g)))) as Scalar;
      }, learningRate);
    });
    const value = loss.dataSync()[0];
    loss.dispose();
    return value;
  }

  private evaluateNow(epsilon: number, hooks: PqnHooks): void {
    const clock = performance.now();
    // Each evaluation's generator comes from the seed and the step, so it does not move the training generator.
    const result = this.evaluate(
      this.config.evaluation.episodes,
      (this.config.seed ^ Math.imul(this.counters.step, 0x9e3779b1)) >>> 0,
    );
    this.timing.evaluation += (performance.now() - clock) / 1000;
    const row: EvaluationRow = {
      step: this.counters.step,
      episodes: this.counters.episodes,
      updates: this.counters.updates,
      epsilon,
      evalEpisodes: result.returns.length,
      evalReturn: mean(result.returns),
      trainReturn: mean(this.recentReturns),
      loss: this.counters.lossCount > 0 ? this.counters.lossSum / this.counters.lossCount : null,
      seconds: this.counters.seconds,
    };
    this.counters.lossSum = 0;
    this.counters.lossCount = 0;
    this.evaluations.push(row);
    hooks.onEvaluation?.(row, this.evaluations);
  }

  /** What a checkpoint holds: everything but the episodes in progress (see the top of this file). */
  private checkpointParts(): Record<string, Checkpointable> {
    return {
      run: runIdentityCheckpoint(this.config, { envId: this.spec.id }),
      counters: jsonCheckpoint('counters', this.counters),
      recentReturns: jsonCheckpoint('recentReturns', this.recentReturns),
      evaluations: jsonCheckpoint('evaluations', this.evaluations),
      rng: rngCheckpoint('rng', this.rng),
      optimizer: radamCheckpoint(this.optimizer),
      online: networkCheckpoint('online', this.network),
      divergence: this.divergence,
    };
  }

  dispose(): void {
    for (const env of this.envs) env?.close();
    tf.dispose([...this.network.variables]);
    this.optimizer.dispose();
  }
}
