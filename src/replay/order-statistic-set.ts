/**
 * A sorted set of numeric keys with O(log N) rank, select, insert and remove: sorted blocks of at most
 * 2·B keys (B constant) whose lengths sit in a Fenwick tree. Hand-written because no maintained npm
 * package offers select-by-rank over typed arrays; blocks of contiguous Float64 keys cost a few cache
 * misses per operation where a pointer-based balanced tree over a million nodes costs one per level.
 * Per operation: binary search over block minima, binary search and a shift of ≤ 2·B keys inside one
 * block, Fenwick update; splitting or merging a block (once per ~B operations) rebuilds the block index.
 */
const BLOCK = 256;
const MAX_BLOCK = 2 * BLOCK;
const MIN_BLOCK = BLOCK / 4;

export class OrderStatisticSet {
  private blocks: Float64Array[] = [];
  private lengths: Int32Array;
  private minima: Float64Array;
  /** Fenwick tree (1-based) over `lengths`. */
  private fenwick: Int32Array;
  private blockCount = 0;
  private topBit = 0;
  private count = 0;

  constructor(capacity: number) {
    const maxBlocks = Math.ceil(capacity / MIN_BLOCK) + 2;
    this.lengths = new Int32Array(maxBlocks);
    this.minima = new Float64Array(maxBlocks);
    this.fenwick = new Int32Array(maxBlocks + 1);
  }

  get size(): number {
    return this.count;
  }

  insert(key: number): void {
    if (this.blockCount === 0) {
      this.blocks.push(new Float64Array(MAX_BLOCK));
      this.blockCount = 1;
      this.rebuildIndex();
    }
    const b = this.blockOf(key);
    const block = this.blocks[b];
    const length = this.lengths[b];
    const at = lowerBound(block, length, key);
    block.copyWithin(at + 1, at, length);
    block[at] = key;
    this.lengths[b] = length + 1;
    this.minima[b] = block[0];
    this.count++;
    this.fenwickAdd(b, 1);
    if (length + 1 === MAX_BLOCK) this.split(b);
  }

  /** Removes `key`, which must be present. */
  remove(key: number): void {
    const b = this.blockOf(key);
    const block = this.blocks[b];
    const length = this.lengths[b];
    const at = lowerBound(block, length, key);
    if (at === length || block[at] !== key) throw new Error(`internal: key ${key} is not in the ordered set`);
    block.copyWithin(at, at + 1, length);
    this.lengths[b] = length - 1;
    this.minima[b] = block[0];
    this.count--;
    this.fenwickAdd(b, -1);
    if (length - 1 < MIN_BLOCK) this.rebalance(b);
  }

  /** The key at ascending position `position` (0-based). */
  select(position: number): number {
    let b = 0;
    let rest = position;
    for (let step = this.topBit; step > 0; step >>= 1) {
      const next = b + step;
      if (next <= this.blockCount && this.fenwick[next] <= rest) {
        b = next;
        rest -= this.fenwick[next];
      }
    }
    return this.blocks[b][rest];
  }

  /** Ascending position (0-based) of `key`, which must be present. */
  positionOf(key: number): number {
    const b = this.blockOf(key);
    const at = lowerBound(this.blocks[b], this.lengths[b], key);
    if (this.blocks[b][at] !== key) throw new Error(`internal: key ${key} is not in the ordered set`);
    let before = 0;
    for (let i = b; i > 0; i -= i & -i) before += this.fenwick[i];
    return before + at;
  }

  clear(): void {
    this.blocks = [];
    this.blockCount = 0;
    this.count = 0;
    this.rebuildIndex();
  }

  /** Last block whose minimum is ≤ key (block 0 for keys below every minimum). */
  private blockOf(key: number): number {
    let lo = 0;
    let hi = this.blockCount - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.minima[mid] <= key) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private split(b: number): void {
    const block = this.blocks[b];
    const upper = new Float64Array(MAX_BLOCK);
    upper.set(block.subarray(BLOCK, MAX_BLOCK));
    this.blocks.splice(b + 1, 0, upper);
    this.lengths.copyWithin(b + 2, b + 1, this.blockCount);
    this.lengths[b] = BLOCK;
    this.lengths[b + 1] = MAX_BLOCK - BLOCK;
    this.blockCount++;
    this.rebuildIndex();
  }

  /** Joins an under-full block with a neighbour, splitting the pair evenly again when it is too full. */
  private rebalance(b: number): void {
    if (this.blockCount === 1) {
      if (this.count === 0) this.clear();
      return;
    }
    const left = b + 1 < this.blockCount ? b : b - 1;
    const total = this.lengths[left] + this.lengths[left + 1];
    const joined = new Float64Array(total);
    joined.set(this.blocks[left].subarray(0, this.lengths[left]));
    joined.set(this.blocks[left + 1].subarray(0, this.lengths[left + 1]), this.lengths[left]);
    if (total < MAX_BLOCK) {
      this.blocks[left].set(joined);
      this.lengths[left] = total;
      this.blocks.splice(left + 1, 1);
      this.lengths.copyWithin(left + 1, left + 2, this.blockCount);
      this.blockCount--;
    } else {
      const half = total >>> 1;
      this.blocks[left].set(joined.subarray(0, half));
      this.blocks[left + 1].set(joined.subarray(half));
      this.lengths[left] = half;
      this.lengths[left + 1] = total - half;
    }
    this.rebuildIndex();
  }

  private rebuildIndex(): void {
    this.fenwick.fill(0);
    for (let b = 0; b < this.blockCount; b++) {
      this.minima[b] = this.blocks[b][0];
      this.fenwick[b + 1] += this.lengths[b];
      const parent = b + 1 + ((b + 1) & -(b + 1));
      if (parent <= this.blockCount) this.fenwick[parent] += this.fenwick[b + 1];
    }
    this.topBit = this.blockCount === 0 ? 0 : 2 ** Math.floor(Math.log2(this.blockCount));
  }

  private fenwickAdd(b: number, delta: number): void {
    for (let i = b + 1; i <= this.blockCount; i += i & -i) this.fenwick[i] += delta;
  }
}

/** First position in block[0..length) whose key is ≥ `key`. */
function lowerBound(block: Float64Array, length: number, key: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (block[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
