/**
 * The DQN teacher loop: ε-greedy acting, uniform experience replay (the project's `ReplayBuffer` with the
 * `uniform` sampler, through `DqnReplay` below), an update every `updateEvery` steps after `learningStarts`,
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
import { type MemoryConfig, type ReplayBatch, ReplayBuffer, ReplayMemory } from '../replay';
import type { MemoryState } from '../replay/memory';
import type { SamplerState } from '../replay/sampler';
import { Rng, type RngState } from '../util/rng';
import { type CheckpointContents, readCheckpoint, type StoredArray, writeCheckpoint } from './checkpoint-file';
import { agentOptions, DqnAgent, type TransitionBatch } from './dqn-agent';
import type { DqnConfig } from './dqn-config';
import { epsilonAt } from './epsilon';
import { evaluatePolicy, mean } from './evaluate';

/** Where the trainer gets its environments. */
export interface TrainerEnvs {
  /** A training environment whose generator starts from `seed`. */
  training(seed: number): Env;
  /** An environment for the evaluation protocol (e.g. Atari without episodic life or reward clipping). */
  evaluation(seed: number): Env;
  /** A fresh training environment per episode (exact resume) rather than one for the run. */
  readonly freshPerEpisode: boolean;
}

/** One factory for training and evaluation, a fresh environment per episode. */
export function envsFrom(makeEnv: (seed: number) => Env): TrainerEnvs {
  return { training: makeEnv, evaluation: makeEnv, freshPerEpisode: true };
}

/** One evaluation, as a row of the learning-curve table. */
export interface EvaluationRow {
  readonly step: number;
  /** Training episodes finished so far. */
  readonly episodes: number;
  readonly updates: number;
  readonly epsilon: number;
  readonly evalEpisodes: number;
  /** Mean return of the completed evaluation episodes; null when none completed. */
  readonly evalReturn: number | null;
  /** Mean return of the last training episodes (up to RECENT_EPISODES). */
  readonly trainReturn: number | null;
  /** Mean loss of the updates since the previous evaluation. */
  readonly loss: number | null;
  /** Training wall-clock seconds so far (the one column a resumed run does not repeat exactly). */
  readonly seconds: number;
}

export interface TrainerProgress {
  readonly step: number;
  readonly totalSteps: number;
  readonly episodes: number;
  readonly updates: number;
  readonly epsilon: number;
  readonly recentReturn: number | null;
  readonly timing: StepTiming;
}

/** Seconds spent in each part of the loop since this process started the run. */
export interface StepTiming {
  env: number;
  act: number;
  replay: number;
  update: number;
  evaluation: number;
  checkpoint: number;
}

export interface TrainerHooks {
  /** Called every PROGRESS_EVERY steps. */
  onProgress?(progress: TrainerProgress): void;
  /** Called when an evaluation finishes, with every row so far. */
  onEvaluation?(row: EvaluationRow, rows: readonly EvaluationRow[]): void;
  onCheckpoint?(path: string, step: number): void;
  /** Polled after every step; true ends the run at once, without a checkpoint (like a kill). */
  shouldStop?(step: number): boolean;
}

export interface TrainResult {
  readonly finished: boolean;
  readonly step: number;
  readonly evaluations: readonly EvaluationRow[];
  readonly timing: StepTiming;
}

/** The loss became NaN or infinite: the run stops; the last checkpoint written is the last good one. */
export class NonFiniteLossError extends Error {
  constructor(
    readonly step: number,
    readonly loss: number,
    readonly lastCheckpoint: { path: string; step: number } | null,
  ) {
    super(
      `loss became ${loss} at step ${step}; training stopped. ` +
        (lastCheckpoint
          ? `The last good checkpoint is ${lastCheckpoint.path} (step ${lastCheckpoint.step}).`
          : 'No checkpoint had been written yet.'),
    );
  }
}

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

interface RunMeta {
  readonly config: DqnConfig;
  readonly envId: string;
  readonly counters: RunCounters;
  readonly recentReturns: number[];
  readonly evaluations: EvaluationRow[];
  /** The replay's generator is the sampler's, saved with it in `replay`. */
  readonly rng: { trainer: RngState; evaluation: RngState };
  readonly replay: ReplayMeta;
  readonly optimizerSteps: number;
}

/**
 * The replay's scalars in a run checkpoint; its arrays go under `replay/`. The memory's and the sampler's state
 * are saved as the distillation checkpoints save theirs (`saveState()` scalars in the meta, arrays by name).
 */
interface ReplayMeta {
  readonly memory: MemoryState['scalars'];
  readonly sampler: SamplerState['scalars'];
  /** Slots of the stored transitions cut by a time limit, in the order of their s' in `replay/cutNext`. */
  readonly cutSlots: number[];
}

/**
 * The replay memory of a DQN run on `spec`'s game. MinAtar's observations are stored whole (bit-packed, one per
 * experience). Atari's H×W×k observations are stacks of the last k frames, newest last, which the memory rebuilds
 * from single H×W frames: the environment fills a new episode's stack with its first frame after every reset, a
 * lost life under episodic life included (native/ale/src/emulator.cpp, `pushFrame`), and the trainer resets it
 * exactly after a terminal or truncated step, which is where the memory starts an episode; with `firstFrame`
 * padding a rebuilt stack is then byte for byte the observation the environment gave.
 */
function replayMemoryConfig(capacity: number, spec: EnvSpec): MemoryConfig {
  const numActions = spec.legalActions.length;
  const [h, w, c] = spec.observationShape;
  const atari = spec.suite === 'atari';
  return {
    capacity,
    frameShape: atari ? [h, w, 1] : spec.observationShape,
    stackSize: atari ? c : 1,
    stackPadding: atari ? 'firstFrame' : 'zeros',
    // Actions are stored as indices into the legal actions, the network's outputs.
    numActions,
    legalActions: Array.from({ length: numActions }, (_, a) => a),
    bitPacked: !atari,
  };
}

/**
 * DQN transitions (s, a, r, discount, s') over a `ReplayBuffer` with the `uniform` sampler. The buffer stores
 * experiences (s, a, r, terminal, truncated) with each observation once (Atari: each observation's newest frame
 * once, see `replayMemoryConfig`); the s' of a transition is the s of the experience stored after it, except for
 * two kinds, whose s' is kept aside:
 * - the newest transition, whose s' is not stored until the next addition;
 * - a transition cut by a time limit (truncated, not terminal), whose s' no stored experience holds; it stays
 *   with its slot until the ring overwrites the slot (one observation per cut episode in the ring).
 * A terminal transition's s' is never used (its discount is 0). Draws are the uniform sampler's: slot
 * `rng.int(size)` per row, so sampling is uniform over every stored transition, the newest included.
 *
 * The buffer is made for distillation and keeps the teacher's Q-values (q_T, one float32 per action) with every
 * experience; the memory needs at least one action and refuses an empty q_T, so a teacher run stores zeros
 * there, 4 B per legal action per experience.
 */
export class DqnReplay {
  readonly buffer: ReplayBuffer;
  /** Values in one observation. */
  readonly observationSize: number;
  private added = 0;
  private readonly latestNext: Uint8Array;
  private readonly cutNext = new Map<number, Uint8Array>();
  private readonly noTeacherQ: Float32Array;
  /** The frame stored per experience: the observation's newest channel when stacks are rebuilt (Atari). */
  private readonly frame: Uint8Array | null;
  private readonly states: ReplayBatch;
  private readonly successors: ReplayBatch;

  constructor(
    capacity: number,
    spec: EnvSpec,
    readonly batchSize: number,
    seed: number,
  ) {
    this.buffer = new ReplayBuffer({ memory: replayMemoryConfig(capacity, spec), sampler: { kind: 'uniform' }, seed });
    this.observationSize = this.buffer.memory.observationBytes;
    this.latestNext = new Uint8Array(this.observationSize);
    this.noTeacherQ = new Float32Array(this.buffer.memory.numActions);
    this.frame = this.buffer.memory.stackSize > 1 ? new Uint8Array(this.buffer.memory.frameValues) : null;
    this.states = this.buffer.createBatch(batchSize);
    this.successors = this.buffer.createBatch(batchSize);
  }

  /** Bytes a replay of `capacity` experiences holds for `spec`'s game: `fixed + capacity · perExperience`. */
  static footprint(spec: EnvSpec): { perExperience: number; fixed: number } {
    // A memory's size is affine in its capacity, so two tiny ones give it exactly without allocating the real one.
    const total = (capacity: number) =>
      new ReplayMemory(replayMemoryConfig(capacity, spec)).bytesPerExperience * capacity;
    const one = total(1);
    const perExperience = total(2) - one;
    const [h, w, c] = spec.observationShape;
    return { perExperience, fixed: one - perExperience + h * w * c };
  }

  /** Transitions that can be drawn. */
  get size(): number {
    return this.buffer.size;
  }

  /** Stores the transition (observation, action, reward, terminal or truncated, nextObservation). */
  add(
    observation: Uint8Array,
    action: number,
    reward: number,
    terminal: boolean,
    truncated: boolean,
    nextObservation: Uint8Array,
  ): void {
    if (observation.length !== this.observationSize || nextObservation.length !== this.observationSize) {
      throw new RangeError(
        `observations must hold ${this.observationSize} values, got ${observation.length} and ${nextObservation.length}`,
      );
    }
    const cut = truncated && !terminal;
    const frame = this.frame;
    if (frame !== null) {
      // The newest frame: the last of the observation's stackSize channels at every pixel.
      const k = this.buffer.memory.stackSize;
      for (let p = 0, i = k - 1; p < frame.length; p++, i += k) frame[p] = observation[i];
    }
    const slot = this.buffer.add({
      frame: frame ?? observation,
      action,
      reward,
      terminal,
      truncated: cut,
      teacherQ: this.noTeacherQ,
    });
    this.added++;
    this.cutNext.delete(slot);
    if (cut) this.cutNext.set(slot, nextObservation.slice());
    this.latestNext.set(nextObservation);
  }

  /** Allocates the learner's batch of `batchSize` transitions. */
  allocateBatch(): TransitionBatch {
    const n = this.batchSize;
    return {
      observations: new Float32Array(n * this.observationSize),
      nextObservations: new Float32Array(n * this.observationSize),
      actions: new Int32Array(n),
      rewards: new Float32Array(n),
      discounts: new Float32Array(n),
    };
  }

  /** Draws `batchSize` transitions uniformly with replacement into `out`; observations are multiplied by `scale`. */
  sample(out: TransitionBatch, gamma: number, scale = 1): void {
    if (out.actions.length !== this.batchSize) {
      throw new RangeError(`batch holds ${out.actions.length} transitions, this replay draws ${this.batchSize}`);
    }
    const states = this.states;
    const successors = this.successors;
    const cutNext = this.cutNext;
    this.buffer.sample(states);
    const capacity = this.buffer.memory.capacity;
    const newest = (this.added - 1) % capacity;
    for (let b = 0; b < this.batchSize; b++) {
      const slot = states.indices[b];
      // A slot whose s' is kept aside reads itself here, which is always stored, and is replaced below.
      successors.indices[b] = slot === newest || cutNext.has(slot) ? slot : (slot + 1) % capacity;
    }
    this.buffer.memory.read(successors);
    const n = this.observationSize;
    const from = states.observations;
    for (let b = 0; b < this.batchSize; b++) {
      const slot = states.indices[b];
      const kept = slot === newest ? this.latestNext : cutNext.get(slot);
      const next = kept ?? successors.observations;
      const offset = kept ? 0 : b * n;
      const to = b * n;
      for (let i = 0; i < n; i++) {
        out.observations[to + i] = from[to + i] * scale;
        out.nextObservations[to + i] = next[offset + i] * scale;
      }
      out.actions[b] = states.actions[b];
      out.rewards[b] = states.rewards[b];
      out.discounts[b] = states.terminals[b] ? 0 : gamma;
    }
  }

  /** The memory's and the sampler's state and the s' kept aside, for a run checkpoint. */
  saveState(): { meta: ReplayMeta; arrays: Record<string, StoredArray> } {
    const memory = this.buffer.memory.saveState();
    const sampler = this.buffer.sampler.saveState();
    const arrays: Record<string, StoredArray> = {};
    for (const [name, data] of Object.entries(memory.arrays)) arrays[`replay/memory/${name}`] = data;
    for (const [name, data] of Object.entries(sampler.arrays)) arrays[`replay/sampler/${name}`] = data;
    const cutSlots = [...this.cutNext.keys()].sort((a, b) => a - b);
    const cut = new Uint8Array(cutSlots.length * this.observationSize);
    cutSlots.forEach((slot, k) => {
      cut.set(this.cutNext.get(slot) as Uint8Array, k * this.observationSize);
    });
    arrays['replay/cutNext'] = cut;
    arrays['replay/latestNext'] = this.latestNext.slice();
    return { meta: { memory: memory.scalars, sampler: sampler.scalars, cutSlots }, arrays };
  }

  /** Restores what `saveState` returned for a replay of the same capacity and game; checks its own parts first. */
  restoreState(meta: ReplayMeta, arrays: Readonly<Record<string, StoredArray>>): void {
    const n = this.observationSize;
    const latestNext = arrays['replay/latestNext'];
    if (!(latestNext instanceof Uint8Array) || latestNext.length !== n) {
      throw new RangeError(`replay state: 'replay/latestNext' must be a Uint8Array of length ${n}`);
    }
    const cutSlots = meta.cutSlots;
    const added = meta.memory['added'];
    const size = Math.min(added, this.buffer.memory.capacity);
    if (!Array.isArray(cutSlots) || !cutSlots.every((slot) => Number.isInteger(slot) && slot >= 0 && slot < size)) {
      throw new RangeError(`replay state: cutSlots must be slots in [0, ${size}), got ${JSON.stringify(cutSlots)}`);
    }
    const cut = arrays['replay/cutNext'];
    if (!(cut instanceof Uint8Array) || cut.length !== cutSlots.length * n) {
      throw new RangeError(
        `replay state: 'replay/cutNext' must be a Uint8Array of length ${cutSlots.length * n} (${cutSlots.length} observations)`,
      );
    }
    const part = (prefix: string) =>
      Object.fromEntries(
        Object.entries(arrays)
          .filter(([name]) => name.startsWith(prefix))
          .map(([name, data]) => [name.slice(prefix.length), data]),
      );
    this.buffer.memory.restoreState({ scalars: meta.memory, arrays: part('replay/memory/') as MemoryState['arrays'] });
    this.buffer.sampler.restoreState({
      scalars: meta.sampler,
      arrays: part('replay/sampler/') as SamplerState['arrays'],
    });
    this.added = added;
    this.latestNext.set(latestNext);
    this.cutNext.clear();
    cutSlots.forEach((slot, k) => {
      this.cutNext.set(slot, cut.slice(k * n, (k + 1) * n));
    });
  }
}

/** Keys (dotted paths) whose values differ between two JSON values. */
export function differingKeys(a: unknown, b: unknown, prefix = ''): string[] {
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) =>
      differingKeys(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        prefix ? `${prefix}.${k}` : k,
      ),
    );
  }
  return a === b ? [] : [prefix || '(value)'];
}

export class DqnTrainer {
  private readonly agent: DqnAgent;
  private readonly replay: DqnReplay;
  private readonly trainerRng: Rng;
  private readonly evaluationRng: Rng;
  private counters: RunCounters;
  private recentReturns: number[] = [];
  private evaluations: EvaluationRow[] = [];
  private lastCheckpoint: { path: string; step: number } | null = null;
  private readonly timing: StepTiming = { env: 0, act: 0, replay: 0, update: 0, evaluation: 0, checkpoint: 0 };

  private constructor(
    readonly config: DqnConfig,
    readonly spec: EnvSpec,
    private readonly envs: TrainerEnvs,
    private readonly checkpointPath: string | null,
  ) {
    const master = new Rng(config.seed);
    this.agent = new DqnAgent(agentOptions(config, spec), master.fork());
    this.trainerRng = master.fork();
    this.evaluationRng = master.fork();
    this.replay = new DqnReplay(config.replayCapacity, spec, config.batchSize, master.nextUint32());
    this.counters = {
      step: 0,
      episodes: 0,
      updates: 0,
      nextCheckpointStep: config.checkpointEvery,
      lossSum: 0,
      lossCount: 0,
      seconds: 0,
    };
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
    const contents = readCheckpoint(checkpointPath, RUN_CHECKPOINT_KIND);
    const meta = contents.meta as RunMeta;
    if (meta.envId !== spec.id) {
      throw new Error(`${checkpointPath}: checkpoint is of ${meta.envId}, this run is ${spec.id}`);
    }
    const differences = differingKeys(meta.config, config);
    if (differences.length > 0) {
      throw new Error(
        `${checkpointPath}: checkpoint was made with a different configuration (differs in: ${differences.join(', ')})`,
      );
    }
    const trainer = new DqnTrainer(config, spec, envs, checkpointPath);
    trainer.restore(contents, checkpointPath);
    return trainer;
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
          if (!Number.isFinite(loss)) throw new NonFiniteLossError(c.step, loss, this.lastCheckpoint);
          c.lossSum += loss;
          c.lossCount++;
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
    return {
      step: c.step,
      totalSteps: this.config.totalSteps,
      episodes: c.episodes,
      updates: c.updates,
      epsilon: epsilonAt(this.config.epsilon, c.step),
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

  private checkpoint(hooks: TrainerHooks): void {
    const c = this.counters;
    c.nextCheckpointStep = (Math.floor(c.step / this.config.checkpointEvery) + 1) * this.config.checkpointEvery;
    if (this.checkpointPath === null) return;
    const t = performance.now();
    const agentState = this.agent.getState();
    const replayState = this.replay.saveState();
    const meta: RunMeta = {
      config: this.config,
      envId: this.spec.id,
      counters: { ...c },
      recentReturns: [...this.recentReturns],
      evaluations: [...this.evaluations],
      rng: { trainer: this.trainerRng.getState(), evaluation: this.evaluationRng.getState() },
      replay: replayState.meta,
      optimizerSteps: agentState.optimizer.steps,
    };
    const arrays: Record<string, StoredArray> = {
      'optimizer/meanSquare': agentState.optimizer.meanSquare,
      ...replayState.arrays,
    };
    if (agentState.optimizer.meanGradient) arrays['optimizer/meanGradient'] = agentState.optimizer.meanGradient;
    for (const [name, values] of Object.entries(agentState.online)) arrays[`online/${name}`] = values;
    for (const [name, values] of Object.entries(agentState.target)) arrays[`target/${name}`] = values;
    writeCheckpoint(this.checkpointPath, RUN_CHECKPOINT_KIND, { meta, arrays });
    this.lastCheckpoint = { path: this.checkpointPath, step: c.step };
    this.timing.checkpoint += (performance.now() - t) / 1000;
    hooks.onCheckpoint?.(this.checkpointPath, c.step);
  }

  private restore(contents: CheckpointContents, source: string): void {
    const meta = contents.meta as RunMeta;
    const arrays = contents.arrays;
    if (meta.replay === undefined) {
      throw new Error(
        `${source}: checkpoint holds the replay in the earlier format (two observations per transition), which this ` +
          'version cannot resume; start the run afresh',
      );
    }
    const take = <T extends StoredArray>(name: string, type: new (...args: never[]) => T): T => {
      const value = arrays[name];
      if (!(value instanceof type)) throw new Error(`${source}: array '${name}' is missing or of the wrong type`);
      return value;
    };
    const prefixed = (prefix: string): Record<string, Float32Array> =>
      Object.fromEntries(
        Object.entries(arrays)
          .filter(([name]) => name.startsWith(prefix))
          .map(([name, values]) => [name.slice(prefix.length), values as Float32Array]),
      );
    this.agent.setState(
      {
        online: prefixed('online/'),
        target: prefixed('target/'),
        optimizer: {
          meanSquare: take('optimizer/meanSquare', Float32Array),
          meanGradient: this.config.optimizer.centered ? take('optimizer/meanGradient', Float32Array) : null,
          steps: meta.optimizerSteps,
        },
      },
      source,
    );
    try {
      this.replay.restoreState(meta.replay, arrays);
    } catch (error) {
      throw new Error(`${source}: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.trainerRng.setState(meta.rng.trainer);
    this.evaluationRng.setState(meta.rng.evaluation);
    this.counters = { ...meta.counters };
    this.recentReturns = [...meta.recentReturns];
    this.evaluations = [...meta.evaluations];
    this.lastCheckpoint = { path: source, step: meta.counters.step };
  }
}
