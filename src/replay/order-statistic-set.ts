/**
 * A sorted set of numeric keys with O(log N) rank, select, insert and remove: sorted blocks of at most
 * 2·B keys (B a constant) whose lengths sit in a Fenwick tree. Hand-written because no maintained npm
 * package offers select-by-rank over typed arrays; contiguous blocks in one pooled Float64Array cost a
 * few cache misses per operation where a pointer-based balanced tree over a million nodes costs one per
 * level. Per operation: binary search over block minima, binary search and a shift of ≤ 2·B keys inside
 * one block, Fenwick update; a block split or merge (about once per B operations) rebuilds the index.
 */
const DEFAULT_BLOCK = 256;

export class OrderStatisticSet {
  private readonly maxBlock: number;
  private readonly minBlock: number;
  /** All blocks' keys; block b (in key order) occupies store[bases[b] .. bases[b] + lengths[b]). */
  private store: Float64Array;
  private storeUsed = 0;
  private readonly freeBases: number[] = [];
  private readonly bases: Int32Array;
  private readonly lengths: Int32Array;
  private readonly minima: Float64Array;
  /** Fenwick tree (1-based) over `lengths`. */
  private readonly fenwick: Int32Array;
  private blockCount = 0;
  private topBit = 0;
  private count = 0;

  constructor(capacity: number, block = DEFAULT_BLOCK) {
    this.maxBlock = 2 * block;
    this.minBlock = block >>> 2;
    const maxBlocks = Math.ceil(capacity / this.minBlock) + 2;
    this.bases = new Int32Array(maxBlocks);
    this.lengths = new Int32Array(maxBlocks);
    this.minima = new Float64Array(maxBlocks);
    this.fenwick = new Int32Array(maxBlocks + 1);
    this.store = new Float64Array(this.maxBlock * 4);
  }

  get size(): number {
    return this.count;
  }

  insert(key: number): void {
    if (this.blockCount === 0) {
      this.bases[0] = this.newBlock();
      this.blockCount = 1;
      this.rebuildIndex();
    }
    const b = this.blockOf(key);
    const base = this.bases[b];
    const length = this.lengths[b];
    const store = this.store;
    const at = lowerBound(store, base, length, key);
    store.copyWithin(base + at + 1, base + at, base + length);
    store[base + at] = key;
    this.lengths[b] = length + 1;
    this.minima[b] = store[base];
    this.count++;
    this.fenwickAdd(b, 1);
    if (length + 1 === this.maxBlock) this.split(b);
  }

  /** Removes `key`, which must be present. */
  remove(key: number): void {
    const b = this.blockOf(key);
    const base = this.bases[b];
    const length = this.lengths[b];
    const store = this.store;
    const at = lowerBound(store, base, length, key);
    if (at === length || store[base + at] !== key) throw new Error(`internal: key ${key} is not in the ordered set`);
    store.copyWithin(base + at, base + at + 1, base + length);
    this.lengths[b] = length - 1;
    this.minima[b] = store[base];
    this.count--;
    this.fenwickAdd(b, -1);
    if (length - 1 < this.minBlock) this.rebalance(b);
  }

  /** The key at ascending position `position` (0-based, < size). */
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
    return this.store[this.bases[b] + rest];
  }

  /** Ascending position (0-based) of `key`, which must be present. */
  positionOf(key: number): number {
    const b = this.blockOf(key);
    const at = lowerBound(this.store, this.bases[b], this.lengths[b], key);
    if (this.store[this.bases[b] + at] !== key) throw new Error(`internal: key ${key} is not in the ordered set`);
    let before = 0;
    for (let i = b; i > 0; i -= i & -i) before += this.fenwick[i];
    return before + at;
  }

  clear(): void {
    this.blockCount = 0;
    this.count = 0;
    this.storeUsed = 0;
    this.freeBases.length = 0;
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

  /** Storage for one block: a freed one, or the pool's next (growing the pool by doubling). */
  private newBlock(): number {
    const reused = this.freeBases.pop();
    if (reused !== undefined) return reused;
    if (this.storeUsed + this.maxBlock > this.store.length) {
      const grown = new Float64Array(this.store.length * 2);
      grown.set(this.store);
      this.store = grown;
    }
    this.storeUsed += this.maxBlock;
    return this.storeUsed - this.maxBlock;
  }

  private split(b: number): void {
    const half = this.maxBlock >>> 1;
    const upper = this.newBlock();
    const base = this.bases[b];
    this.store.copyWithin(upper, base + half, base + this.maxBlock);
    this.bases.copyWithin(b + 2, b + 1, this.blockCount);
    this.lengths.copyWithin(b + 2, b + 1, this.blockCount);
    this.bases[b + 1] = upper;
    this.lengths[b] = half;
    this.lengths[b + 1] = this.maxBlock - half;
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
    const leftBase = this.bases[left];
    const rightBase = this.bases[left + 1];
    const leftLength = this.lengths[left];
    const total = leftLength + this.lengths[left + 1];
    const store = this.store;
    if (total < this.maxBlock) {
      store.copyWithin(leftBase + leftLength, rightBase, rightBase + this.lengths[left + 1]);
      this.lengths[left] = total;
      this.freeBases.push(rightBase);
      this.bases.copyWithin(left + 1, left + 2, this.blockCount);
      this.lengths.copyWithin(left + 1, left + 2, this.blockCount);
      this.blockCount--;
    } else {
      // Move keys across the boundary so both blocks hold half (left keys stay below right keys).
      const half = total >>> 1;
      if (leftLength < half) {
        const moved = half - leftLength;
        store.copyWithin(leftBase + leftLength, rightBase, rightBase + moved);
        store.copyWithin(rightBase, rightBase + moved, rightBase + this.lengths[left + 1]);
      } else {
        const moved = leftLength - half;
        store.copyWithin(rightBase + moved, rightBase, rightBase + this.lengths[left + 1]);
        store.copyWithin(rightBase, leftBase + half, leftBase + leftLength);
      }
      this.lengths[left] = half;
      this.lengths[left + 1] = total - half;
    }
    this.rebuildIndex();
  }

  private rebuildIndex(): void {
    const n = this.blockCount;
    this.fenwick.fill(0, 0, n + 2);
    for (let b = 0; b < n; b++) {
      this.minima[b] = this.store[this.bases[b]];
      this.fenwick[b + 1] += this.lengths[b];
      const parent = b + 1 + ((b + 1) & -(b + 1));
      if (parent <= n) this.fenwick[parent] += this.fenwick[b + 1];
    }
    this.topBit = n === 0 ? 0 : 2 ** Math.floor(Math.log2(n));
  }

  private fenwickAdd(b: number, delta: number): void {
    for (let i = b + 1; i <= this.blockCount; i += i & -i) this.fenwick[i] += delta;
  }
}

/** First offset in store[base .. base + length) whose key is ≥ `key`. */
function lowerBound(store: Float64Array, base: number, length: number, key: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (store[base + mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
