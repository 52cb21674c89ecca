/**
 * A set of memory slots with priorities, drawn from by one rule: the building block of the prioritized
 * samplers (one index for `ranked` / `proportional`, one per partition for `hierarchical`).
 * Priorities live in a Float32Array owned by the sampler and shared by its indices: an index reads
 * `priorities[slot]` on insert and remove, and writes it on update.
 */
import { OrderStatisticSet } from './order-statistic-set';
import type { RankDistribution } from './rank-distribution';
import { SumTree } from './sum-tree';

export interface PriorityIndex {
  readonly size: number;
  /** Adds `slot` with priority `priorities[slot]`. */
  insert(slot: number): void;
  /** Removes `slot` (present, with priority `priorities[slot]`). */
  remove(slot: number): void;
  /** Sets `priorities[slot]` and reorders `slot` (present). */
  update(slot: number, priority: number): void;
  /**
   * The slots that `uniforms[0 .. count)` (each in [0, 1)) select by this index's rule (size ≥ 1), and
   * their probabilities. One call per batch, so the draws' cache misses overlap.
   */
  drawMany(uniforms: Float64Array, count: number, slots: Int32Array, probabilities: Float64Array): void;
  /** Probability that one draw returns `slot` (present). */
  probability(slot: number): number;
  /**
   * Reads ahead what updating `slots[0 .. count)` will read (changes nothing), so the misses overlap;
   * only indices whose update reads follow from the slots alone have it (the sum tree's, not the ranks').
   */
  touch?(slots: ArrayLike<number>, count: number): void;
  /** Removes every slot. */
  clear(): void;
}

/** Slots are packed under the priority's float32 bits in one exactly representable double. */
const SLOT_SPACE = 2 ** 21;
export const MAX_PRIORITIZED_CAPACITY = SLOT_SPACE;
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * Sort key of (priority, slot): the float32 bit pattern orders non-negative floats like their values,
 * and the slot breaks ties (among equal priorities the larger slot ranks first), so ranks are exact and
 * deterministic.
 */
function rankKey(priority: number, slot: number): number {
  f32[0] = priority;
  return u32[0] * SLOT_SPACE + slot;
}

/** The slot packed into a key (floor and a power-of-two multiply are exact; `%` on doubles costs an fmod call). */
function slotOfKey(key: number): number {
  return key - Math.floor(key / SLOT_SPACE) * SLOT_SPACE;
}

/** Rank-based selection (Schaul et al.; eq. 6): P(k) ∝ (1/rank(k))^α, ranks by descending priority, exact. */
export class RankIndex implements PriorityIndex {
  private readonly ordered: OrderStatisticSet;
  private positions = new Int32Array(32);
  private keys = new Float64Array(32);

  constructor(
    capacity: number,
    private readonly ranks: RankDistribution,
    private readonly priorities: Float32Array,
  ) {
    this.ordered = new OrderStatisticSet(capacity);
  }

  get size(): number {
    return this.ordered.size;
  }

  insert(slot: number): void {
    this.ordered.insert(rankKey(this.priorities[slot], slot));
  }

  remove(slot: number): void {
    this.ordered.remove(rankKey(this.priorities[slot], slot));
  }

  update(slot: number, priority: number): void {
    this.ordered.remove(rankKey(this.priorities[slot], slot));
    this.priorities[slot] = priority;
    this.ordered.insert(rankKey(this.priorities[slot], slot));
  }

  drawMany(uniforms: Float64Array, count: number, slots: Int32Array, probabilities: Float64Array): void {
    const n = this.ordered.size;
    if (this.positions.length < count) {
      this.positions = new Int32Array(count);
      this.keys = new Float64Array(count);
    }
    const positions = this.positions;
    const keys = this.keys;
    for (let i = 0; i < count; i++) {
      const rank = this.ranks.sample(uniforms[i], n);
      probabilities[i] = this.ranks.probability(rank, n);
      positions[i] = n - rank;
    }
    this.ordered.selectMany(positions, keys, count);
    for (let i = 0; i < count; i++) slots[i] = slotOfKey(keys[i]);
  }

  /** 1-based rank of `slot` by descending priority. */
  rankOf(slot: number): number {
    return this.ordered.size - this.ordered.positionOf(rankKey(this.priorities[slot], slot));
  }

  probability(slot: number): number {
    return this.ranks.probability(this.rankOf(slot), this.ordered.size);
  }

  clear(): void {
    this.ordered.clear();
  }
}

/** Proportional selection (Schaul et al.): P(k) ∝ (p_k + ε)^α over a sum tree of all slots (absent ones weigh 0). */
export class SumIndex implements PriorityIndex {
  private readonly tree: SumTree;
  private count = 0;

  constructor(
    capacity: number,
    private readonly alpha: number,
    private readonly epsilon: number,
    private readonly priorities: Float32Array,
  ) {
    this.tree = new SumTree(capacity);
  }

  get size(): number {
    return this.count;
  }

  insert(slot: number): void {
    this.tree.set(slot, (this.priorities[slot] + this.epsilon) ** this.alpha);
    this.count++;
  }

  remove(slot: number): void {
    this.tree.set(slot, 0);
    this.count--;
  }

  update(slot: number, priority: number): void {
    this.priorities[slot] = priority;
    this.tree.set(slot, (this.priorities[slot] + this.epsilon) ** this.alpha);
  }

  drawMany(uniforms: Float64Array, count: number, slots: Int32Array, probabilities: Float64Array): void {
    const total = this.tree.total;
    this.tree.findMany(uniforms, total, count, slots);
    for (let i = 0; i < count; i++) probabilities[i] = this.tree.leaf(slots[i]) / total;
  }

  probability(slot: number): number {
    return this.tree.leaf(slot) / this.tree.total;
  }

  touch(slots: ArrayLike<number>, count: number): void {
    this.tree.touch(slots, count);
  }

  clear(): void {
    this.tree.clear();
    this.count = 0;
  }
}
