/** The DQN teacher's replay: transitions over the project's `ReplayBuffer` with the uniform sampler. */
import type { EnvSpec } from '../env/types';
import { type MemoryConfig, type ReplayBatch, ReplayBuffer, ReplayMemory } from '../replay';
import { type ReplayBufferScalars, replayBufferState, restoreReplayBuffer } from './checkpoint-parts';
import type { Checkpointable, CheckpointBundle, SavedCheckpoint } from './checkpointer';
import type { TransitionBatch } from './dqn-agent';

/**
 * The replay's scalars in a run checkpoint; its arrays go under `replay/`. The memory's and the sampler's state
 * are saved as the distillation checkpoints save theirs (checkpoint-parts.ts, `replayBufferState`).
 */
interface ReplayMeta extends ReplayBufferScalars {
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
export class DqnReplay implements Checkpointable {
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

  /** The memory's and the sampler's state and the s' kept aside: the meta entry `replay`, arrays under `replay/`. */
  checkpointState(): CheckpointBundle {
    const { scalars, arrays } = replayBufferState(this.buffer, 'replay/');
    const cutSlots = [...this.cutNext.keys()].sort((a, b) => a - b);
    const cut = new Uint8Array(cutSlots.length * this.observationSize);
    cutSlots.forEach((slot, k) => {
      cut.set(this.cutNext.get(slot) as Uint8Array, k * this.observationSize);
    });
    arrays['replay/cutNext'] = cut;
    arrays['replay/latestNext'] = this.latestNext.slice();
    const replay: ReplayMeta = { ...scalars, cutSlots };
    return { meta: { replay }, arrays };
  }

  /** Restores what `checkpointState` saved for a replay of the same capacity and game; checks its own parts first. */
  restoreCheckpointState(saved: SavedCheckpoint): void {
    if (!saved.has('replay')) {
      throw saved.error(
        'checkpoint holds the replay in the earlier format (two observations per transition), which this version ' +
          'cannot resume; start the run afresh',
      );
    }
    const meta = saved.meta<ReplayMeta>('replay');
    const n = this.observationSize;
    const latestNext = saved.array('replay/latestNext', Uint8Array);
    if (latestNext.length !== n) {
      throw saved.error(`replay state: 'replay/latestNext' must hold ${n} values, got ${latestNext.length}`);
    }
    const cutSlots = meta.cutSlots;
    const added = meta.memory['added'];
    const size = Math.min(added, this.buffer.memory.capacity);
    if (!Array.isArray(cutSlots) || !cutSlots.every((slot) => Number.isInteger(slot) && slot >= 0 && slot < size)) {
      throw saved.error(`replay state: cutSlots must be slots in [0, ${size}), got ${JSON.stringify(cutSlots)}`);
    }
    const cut = saved.array('replay/cutNext', Uint8Array);
    if (cut.length !== cutSlots.length * n) {
      throw saved.error(
        `replay state: 'replay/cutNext' must hold ${cutSlots.length * n} values (${cutSlots.length} observations), got ${cut.length}`,
      );
    }
    restoreReplayBuffer(this.buffer, meta, saved, 'replay/');
    this.added = added;
    this.latestNext.set(latestNext);
    this.cutNext.clear();
    cutSlots.forEach((slot, k) => {
      this.cutNext.set(slot, cut.slice(k * n, (k + 1) * n));
    });
  }
}
