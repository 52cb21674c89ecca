/**
 * State and checks shared by the samplers: the ring-order cursor, the owned generator, and for the
 * prioritized ones the priorities, the running maximum given to new experiences and the β step.
 */
import { Rng } from '../util/rng';
import { annealedBeta, type BetaSchedule, checkBetaSchedule, checkPriorities, checkUnitInterval } from './probability';
import type { PrioritizedConfig, SamplerState } from './sampler';

export abstract class BaseSampler {
  protected added = 0;
  protected readonly rng: Rng;

  constructor(
    readonly capacity: number,
    seed: number,
  ) {
    if (!(Number.isInteger(capacity) && capacity >= 1)) {
      throw new RangeError(`sampler capacity must be an integer >= 1, got ${capacity}`);
    }
    this.rng = new Rng(seed);
  }

  get size(): number {
    return Math.min(this.added, this.capacity);
  }

  /** Checks that `slot` is the next one in ring order; true when it overwrites a stored experience. */
  protected acceptSlot(slot: number): boolean {
    const expected = this.added % this.capacity;
    if (slot !== expected)
      throw new RangeError(`experiences must arrive in ring order: expected slot ${expected}, got ${slot}`);
    return this.added >= this.capacity;
  }

  protected checkBatch(indices: Int32Array, weights: Float32Array): void {
    if (indices.length !== weights.length || indices.length < 1) {
      throw new RangeError(
        `a batch needs equal, non-zero lengths of indices and weights, got ${indices.length} and ${weights.length}`,
      );
    }
    if (this.size < indices.length) {
      throw new RangeError(
        `memory holds ${this.size} experiences, a batch of ${indices.length} needs at least ${indices.length}`,
      );
    }
  }

  protected checkUpdate(indices: ArrayLike<number>, priorities: ArrayLike<number>): void {
    if (indices.length !== priorities.length) {
      throw new RangeError(`got ${indices.length} indices but ${priorities.length} priorities`);
    }
    for (let i = 0; i < indices.length; i++) {
      const slot = indices[i];
      if (!(Number.isInteger(slot) && slot >= 0 && slot < this.size)) {
        throw new RangeError(`index ${slot} at position ${i} is not a stored experience (memory holds ${this.size})`);
      }
    }
    checkPriorities(priorities);
  }

  protected checkSlot(slot: number): void {
    if (!(Number.isInteger(slot) && slot >= 0 && slot < this.size)) {
      throw new RangeError(`slot ${slot} is not a stored experience (memory holds ${this.size})`);
    }
  }

  protected baseScalars(): Record<string, number | number[]> {
    return { added: this.added, rng: [...this.rng.getState()] };
  }

  protected restoreBase(state: SamplerState): void {
    const { added, rng } = state.scalars;
    if (typeof added !== 'number' || !Number.isInteger(added) || added < 0) {
      throw new RangeError(`sampler state: 'added' must be an integer >= 0, got ${added}`);
    }
    this.rng.setState(rng as unknown as [number, number, number, number]);
    this.added = added;
  }
}

/** Priorities, the maximum priority new experiences enter with, and the annealed β. */
export abstract class PrioritizedBase extends BaseSampler {
  protected readonly priorities: Float32Array;
  protected readonly alpha: number;
  protected readonly beta: BetaSchedule;
  /**
   * New experiences enter with the largest priority given so far (1 before any update), as in Schaul
   * et al.'s and cpprb's implementations: O(1) for every rule, and for ranks it is the current maximum
   * up to ties.
   */
  protected maxPriority = 1;
  protected betaStep = 0;
  private scratchUniforms = new Float64Array(32);
  private scratchProbabilities = new Float64Array(32);

  constructor(capacity: number, seed: number, config: PrioritizedConfig) {
    super(capacity, seed);
    checkUnitInterval('alpha', config.alpha);
    checkBetaSchedule(config.beta);
    if (config.epsilon !== undefined && !(config.epsilon >= 0 && Number.isFinite(config.epsilon))) {
      throw new RangeError(`epsilon must be finite and >= 0, got ${config.epsilon}`);
    }
    this.alpha = config.alpha;
    this.beta = config.beta;
    this.priorities = new Float32Array(capacity);
  }

  /** Per-batch arrays for the draws' uniforms and probabilities (grown once, reused). */
  protected scratch(count: number): { uniforms: Float64Array; probabilities: Float64Array } {
    if (this.scratchUniforms.length < count) {
      this.scratchUniforms = new Float64Array(count);
      this.scratchProbabilities = new Float64Array(count);
    }
    return { uniforms: this.scratchUniforms, probabilities: this.scratchProbabilities };
  }

  /** β for the batch being drawn; advances the schedule. */
  protected nextBeta(): number {
    return annealedBeta(this.beta, this.betaStep++);
  }

  updatePriorities(indices: ArrayLike<number>, priorities: ArrayLike<number>): void {
    this.checkUpdate(indices, priorities);
    this.touchSlots(indices);
    for (let i = 0; i < indices.length; i++) {
      const p = priorities[i];
      this.reprioritise(indices[i], p);
      if (p > this.maxPriority) this.maxPriority = p;
    }
  }

  /** Lets the indices read ahead what updating these slots will read. */
  protected abstract touchSlots(slots: ArrayLike<number>): void;

  protected abstract reprioritise(slot: number, priority: number): void;

  /** Re-inserts every stored slot (in slot order) after its priority was restored. */
  protected abstract rebuild(): void;

  protected prioritizedScalars(): Record<string, number | number[]> {
    return { ...this.baseScalars(), maxPriority: this.maxPriority, betaStep: this.betaStep };
  }

  /** Checks `state`, then applies the subclass's own part (`applyOwn`, already checked) and this one. */
  protected restorePrioritized(state: SamplerState, applyOwn: () => void): void {
    const priorities = state.arrays['priorities'];
    if (!(priorities instanceof Float32Array) || priorities.length !== this.capacity) {
      throw new RangeError(`sampler state: priorities must be a Float32Array of length ${this.capacity}`);
    }
    const { maxPriority, betaStep } = state.scalars;
    if (typeof maxPriority !== 'number' || !(maxPriority >= 0) || typeof betaStep !== 'number' || !(betaStep >= 0)) {
      throw new RangeError(`sampler state: bad maxPriority ${maxPriority} or betaStep ${betaStep}`);
    }
    checkPriorities(priorities);
    this.restoreBase(state);
    applyOwn();
    this.priorities.set(priorities);
    this.maxPriority = maxPriority;
    this.betaStep = betaStep;
    this.rebuild();
  }
}
