/**
 * Hierarchical prioritized replay (H-PR, Yin & Pan 2017, eq. 5–8). The teacher's value range
 * [V_min, V_max] is split evenly into p partitions; an experience belongs to the partition of its V_T.
 * A draw picks partition j with probability N_j / Σ_k N_k, then an experience inside it by the inner
 * rule (ranks by default, eq. 6); the importance weight is (N_j · P_j[k])^−β (eq. 8), divided by the
 * batch maximum.
 *
 * Sliding window: N_j counts how many of the last W additions (W = windowSize ≤ capacity, default the
 * capacity) fell into partition j. Because W ≤ capacity, every experience counted is still stored, so a
 * partition with N_j > 0 is never empty. An experience that leaves the window stays drawable inside its
 * partition until the ring overwrites it; at that moment it leaves its partition's index. With the
 * default W = capacity, N_j is exactly the number of stored experiences in partition j.
 */
import { PrioritizedBase } from './base-sampler';
import { makePriorityIndex } from './prioritized-sampler';
import type { PriorityIndex } from './priority-index';
import { importanceWeight, normaliseByMax, partitionIndex, random53 } from './probability';
import { RankDistribution } from './rank-distribution';
import type { InnerSamplerKind, PrioritizedConfig, Sampler, SamplerState } from './sampler';

export type HierarchicalSamplerConfig = {
  readonly kind: 'hierarchical';
  readonly partitions: number;
  readonly valueRange: readonly [number, number];
  readonly windowSize?: number;
  readonly inner?: InnerSamplerKind;
} & PrioritizedConfig;

/** Partition indices are stored one byte per slot. */
const MAX_PARTITIONS = 255;

export class HierarchicalSampler extends PrioritizedBase implements Sampler {
  readonly kind = 'hierarchical';
  private readonly partitions: number;
  private readonly vMin: number;
  private readonly vMax: number;
  private readonly windowSize: number;
  private readonly indices: PriorityIndex[];
  private readonly partitionOf: Uint8Array;
  private readonly windowCounts: Int32Array;
  private drawnArrays = newDrawn(32);

  constructor(
    readonly config: HierarchicalSamplerConfig,
    capacity: number,
    seed: number,
  ) {
    const { partitions, valueRange, windowSize = capacity, inner = 'ranked' } = config;
    if (!(Number.isInteger(partitions) && partitions >= 1 && partitions <= MAX_PARTITIONS)) {
      throw new RangeError(`partitions p must be an integer in [1, ${MAX_PARTITIONS}], got ${partitions}`);
    }
    const [vMin, vMax] = valueRange;
    if (!(Number.isFinite(vMin) && Number.isFinite(vMax) && vMin < vMax)) {
      throw new RangeError(`value range needs finite V_min < V_max, got [${vMin}, ${vMax}]`);
    }
    if (!(Number.isInteger(windowSize) && windowSize >= 1 && windowSize <= capacity)) {
      throw new RangeError(`windowSize must be an integer in [1, capacity = ${capacity}], got ${windowSize}`);
    }
    if (inner !== 'ranked' && inner !== 'proportional') {
      throw new RangeError(`inner sampler must be 'ranked' or 'proportional', got '${inner}'`);
    }
    super(capacity, seed, config);
    this.partitions = partitions;
    this.vMin = vMin;
    this.vMax = vMax;
    this.windowSize = windowSize;
    const ranks = inner === 'ranked' ? new RankDistribution(capacity, config.alpha) : undefined;
    this.indices = Array.from({ length: partitions }, () =>
      makePriorityIndex(inner, capacity, config, this.priorities, ranks),
    );
    this.partitionOf = new Uint8Array(capacity);
    this.windowCounts = new Int32Array(partitions);
  }

  /** N_j of every partition (a copy). */
  get partitionCounts(): number[] {
    return Array.from(this.windowCounts);
  }

  add(slot: number, stateValue: number): void {
    if (Number.isNaN(stateValue)) throw new RangeError(`state value V_T must be a number, got ${stateValue}`);
    const overwrites = this.acceptSlot(slot);
    // The window's oldest addition leaves it before the ring overwrites anything (with W = capacity they coincide).
    if (this.added >= this.windowSize)
      this.windowCounts[this.partitionOf[(this.added - this.windowSize) % this.capacity]]--;
    if (overwrites) this.indices[this.partitionOf[slot]].remove(slot);
    const j = partitionIndex(stateValue, this.vMin, this.vMax, this.partitions);
    this.partitionOf[slot] = j;
    this.priorities[slot] = this.maxPriority;
    this.indices[j].insert(slot);
    this.windowCounts[j]++;
    this.added++;
  }

  sample(indices: Int32Array, weights: Float32Array): void {
    this.checkBatch(indices, weights);
    const beta = this.nextBeta();
    const windowTotal = Math.min(this.added, this.windowSize);
    const count = indices.length;
    const { uniforms } = this.scratch(count);
    const drawn = this.drawn(count);
    // The same generator calls in the same order as one draw at a time: a partition, then a uniform inside it.
    for (let i = 0; i < count; i++) {
      drawn.partitions[i] = this.drawPartition(windowTotal);
      uniforms[i] = random53(this.rng);
    }
    // Each partition's draws go to its index together, then back to their places in the batch.
    for (let j = 0; j < this.partitions; j++) {
      let m = 0;
      for (let i = 0; i < count; i++) {
        if (drawn.partitions[i] === j) drawn.uniforms[m++] = uniforms[i];
      }
      if (m === 0) continue;
      this.indices[j].drawMany(drawn.uniforms, m, drawn.slots, drawn.probabilities);
      for (let i = 0, k = 0; i < count; i++) {
        if (drawn.partitions[i] !== j) continue;
        indices[i] = drawn.slots[k];
        weights[i] = importanceWeight(this.windowCounts[j], drawn.probabilities[k++], beta);
      }
    }
    normaliseByMax(weights);
  }

  /** P_j · P_j[k] (eq. 7). */
  probability(slot: number): number {
    this.checkSlot(slot);
    const j = this.partitionOf[slot];
    const windowTotal = Math.min(this.added, this.windowSize);
    return (this.windowCounts[j] / windowTotal) * this.indices[j].probability(slot);
  }

  /** Per-batch arrays for the draws of one partition (grown once, reused). */
  private drawn(count: number): Drawn {
    if (this.drawnArrays.partitions.length < count) this.drawnArrays = newDrawn(count);
    return this.drawnArrays;
  }

  /** Partition j with probability N_j / Σ N_k, from an exact integer draw; one partition needs no draw. */
  private drawPartition(windowTotal: number): number {
    if (this.partitions === 1) return 0;
    let u = this.rng.int(windowTotal);
    let j = 0;
    while (u >= this.windowCounts[j]) u -= this.windowCounts[j++];
    return j;
  }

  protected touchSlots(slots: ArrayLike<number>): void {
    // Every partition's index is of the inner rule; ranked ones have nothing to read ahead.
    if (!this.indices[0].touch) return;
    const inPartition = this.drawn(slots.length).slots;
    for (let j = 0; j < this.partitions; j++) {
      let m = 0;
      for (let i = 0; i < slots.length; i++) if (this.partitionOf[slots[i]] === j) inPartition[m++] = slots[i];
      if (m > 0) this.indices[j].touch?.(inPartition, m);
    }
  }

  protected reprioritise(slot: number, priority: number): void {
    this.indices[this.partitionOf[slot]].update(slot, priority);
  }

  protected rebuild(): void {
    for (const index of this.indices) index.clear();
    for (let slot = 0; slot < this.size; slot++) this.indices[this.partitionOf[slot]].insert(slot);
  }

  saveState(): SamplerState {
    return {
      scalars: this.prioritizedScalars(),
      arrays: { priorities: this.priorities, partitionOf: this.partitionOf, windowCounts: this.windowCounts },
    };
  }

  restoreState(state: SamplerState): void {
    const { partitionOf, windowCounts } = state.arrays;
    if (!(partitionOf instanceof Uint8Array) || partitionOf.length !== this.capacity) {
      throw new RangeError(`sampler state: partitionOf must be a Uint8Array of length ${this.capacity}`);
    }
    if (!(windowCounts instanceof Int32Array) || windowCounts.length !== this.partitions) {
      throw new RangeError(`sampler state: windowCounts must be an Int32Array of length ${this.partitions}`);
    }
    const bad = partitionOf.findIndex((j) => j >= this.partitions);
    if (bad >= 0)
      throw new RangeError(`sampler state: slot ${bad} has partition ${partitionOf[bad]} >= p = ${this.partitions}`);
    this.restorePrioritized(state, () => {
      this.partitionOf.set(partitionOf);
      this.windowCounts.set(windowCounts);
    });
  }
}

/** Each draw's partition, and one partition's uniforms, slots and probabilities. */
interface Drawn {
  readonly partitions: Uint8Array;
  readonly uniforms: Float64Array;
  readonly slots: Int32Array;
  readonly probabilities: Float64Array;
}

function newDrawn(count: number): Drawn {
  return {
    partitions: new Uint8Array(count),
    uniforms: new Float64Array(count),
    slots: new Int32Array(count),
    probabilities: new Float64Array(count),
  };
}
