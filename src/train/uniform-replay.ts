/**
 * A plain uniform experience replay for the DQN teachers: a ring of (s, a, r, terminal, s') with both
 * observations stored, so a time-limit cut (truncation) still has its true next state. Written here because
 * the teachers need nothing more; src/replay's frame store (each frame once) replaces it for 84×84 Atari
 * frames, where two copies per transition would not fit in memory at the Nature capacity of 10⁶.
 */
import { Rng, type RngState } from '../util/rng';

/** One sampled batch, written into preallocated arrays. */
export interface ReplayBatch {
  /** [batch, ...observation] as float32, multiplied by the replay's `scale`. */
  readonly observations: Float32Array;
  readonly nextObservations: Float32Array;
  readonly actions: Int32Array;
  readonly rewards: Float32Array;
  /** γ for a transition that did not end its episode, 0 for a terminal one. */
  readonly discounts: Float32Array;
}

export interface UniformReplayState {
  readonly added: number;
  readonly rng: RngState;
  readonly observations: Uint8Array;
  readonly nextObservations: Uint8Array;
  readonly actions: Int32Array;
  readonly rewards: Float32Array;
  readonly terminals: Uint8Array;
}

export class UniformReplay {
  private added = 0;
  private readonly observations: Uint8Array;
  private readonly nextObservations: Uint8Array;
  private readonly actions: Int32Array;
  private readonly rewards: Float32Array;
  private readonly terminals: Uint8Array;
  private readonly rng: Rng;

  constructor(
    readonly capacity: number,
    readonly observationSize: number,
    seed: number,
  ) {
    if (!(Number.isInteger(capacity) && capacity >= 1)) {
      throw new RangeError(`replay capacity must be an integer >= 1, got ${capacity}`);
    }
    if (!(Number.isInteger(observationSize) && observationSize >= 1)) {
      throw new RangeError(`observation size must be an integer >= 1, got ${observationSize}`);
    }
    this.observations = new Uint8Array(capacity * observationSize);
    this.nextObservations = new Uint8Array(capacity * observationSize);
    this.actions = new Int32Array(capacity);
    this.rewards = new Float32Array(capacity);
    this.terminals = new Uint8Array(capacity);
    this.rng = new Rng(seed);
  }

  /** Transitions that can be drawn. */
  get size(): number {
    return Math.min(this.added, this.capacity);
  }

  add(observation: Uint8Array, action: number, reward: number, terminal: boolean, nextObservation: Uint8Array): void {
    const n = this.observationSize;
    if (observation.length !== n || nextObservation.length !== n) {
      throw new RangeError(
        `replay stores observations of ${n} bytes, got ${observation.length} and ${nextObservation.length}`,
      );
    }
    const slot = this.added % this.capacity;
    this.observations.set(observation, slot * n);
    this.nextObservations.set(nextObservation, slot * n);
    this.actions[slot] = action;
    this.rewards[slot] = reward;
    this.terminals[slot] = terminal ? 1 : 0;
    this.added++;
  }

  /** Allocates the arrays of a batch of `batchSize` transitions. */
  allocateBatch(batchSize: number): ReplayBatch {
    return {
      observations: new Float32Array(batchSize * this.observationSize),
      nextObservations: new Float32Array(batchSize * this.observationSize),
      actions: new Int32Array(batchSize),
      rewards: new Float32Array(batchSize),
      discounts: new Float32Array(batchSize),
    };
  }

  /** Draws `out.actions.length` transitions uniformly with replacement; observations are multiplied by `scale`. */
  sample(out: ReplayBatch, gamma: number, scale = 1): void {
    const batchSize = out.actions.length;
    const size = this.size;
    if (size === 0) throw new RangeError('cannot sample from an empty replay');
    const n = this.observationSize;
    for (let b = 0; b < batchSize; b++) {
      const slot = this.rng.int(size);
      const from = slot * n;
      const to = b * n;
      for (let i = 0; i < n; i++) {
        out.observations[to + i] = this.observations[from + i] * scale;
        out.nextObservations[to + i] = this.nextObservations[from + i] * scale;
      }
      out.actions[b] = this.actions[slot];
      out.rewards[b] = this.rewards[slot];
      out.discounts[b] = this.terminals[slot] ? 0 : gamma;
    }
  }

  /** The stored transitions and the generator, trimmed to what has been written. */
  getState(): UniformReplayState {
    const size = this.size;
    const n = this.observationSize;
    return {
      added: this.added,
      rng: this.rng.getState(),
      observations: this.observations.slice(0, size * n),
      nextObservations: this.nextObservations.slice(0, size * n),
      actions: this.actions.slice(0, size),
      rewards: this.rewards.slice(0, size),
      terminals: this.terminals.slice(0, size),
    };
  }

  setState(state: UniformReplayState): void {
    const size = Math.min(state.added, this.capacity);
    const n = this.observationSize;
    const lengths: [string, number, number][] = [
      ['observations', state.observations.length, size * n],
      ['nextObservations', state.nextObservations.length, size * n],
      ['actions', state.actions.length, size],
      ['rewards', state.rewards.length, size],
      ['terminals', state.terminals.length, size],
    ];
    for (const [name, given, expected] of lengths) {
      if (given !== expected) {
        throw new RangeError(
          `replay state '${name}' has ${given} values, a replay of capacity ${this.capacity} with ${state.added} additions needs ${expected}`,
        );
      }
    }
    this.rng.setState(state.rng);
    this.observations.set(state.observations);
    this.nextObservations.set(state.nextObservations);
    this.actions.set(state.actions);
    this.rewards.set(state.rewards);
    this.terminals.set(state.terminals);
    this.added = state.added;
  }
}
