/**
 * A sorted set of numeric keys with O(log N) rank, select, insert and remove: a B+-tree of fixed depth
 * (a root array of branches, branches of up to `fanout` leaves, leaves of up to `leafCapacity` sorted
 * keys) whose subtree sizes sit in the branches and in a Fenwick tree over the root. Hand-written
 * because no maintained npm package offers select-by-rank over typed arrays. Sized for the cache: a
 * leaf of 64 keys is eight 64-byte lines and the branches of a million keys take about 0.5 MB, and a
 * split or merge touches one leaf pair and one branch; the root's index is rebuilt only when a branch
 * splits or merges (about once per 10³ insertions); its speed against cpprb is in docs/benchmarks.md (replay).
 */
const DEFAULT_LEAF = 64;
const DEFAULT_FANOUT = 64;

export class OrderStatisticSet {
  private readonly leafCapacity: number;
  private readonly minLeaf: number;
  private readonly fanout: number;
  private readonly minFanout: number;
  /** Leaf l holds leafKeys[l·leafCapacity ..] (leafLengths[l] keys, ascending). Pools grow by doubling. */
  private leafKeys: Float64Array;
  private leafLengths: Int32Array;
  private leavesUsed = 0;
  private readonly freeLeaves: number[] = [];
  /** Branch b's k-th child (in key order) is leaf children[b·fanout + k], with its first key and size. */
  private children: Int32Array;
  private childMinima: Float64Array;
  private childSizes: Int32Array;
  private branchLengths: Int32Array;
  private branchesUsed = 0;
  private readonly freeBranches: number[] = [];
  /** The root: branches in key order with their first key and size; a Fenwick tree (1-based) over the sizes. */
  private rootBranches: Int32Array;
  private rootMinima: Float64Array;
  private rootSizes: Int32Array;
  private fenwick: Int32Array;
  private rootLength = 0;
  private topBit = 0;
  private count = 0;
  private addresses = new Int32Array(32);

  constructor(capacity: number, leafCapacity = DEFAULT_LEAF, fanout = DEFAULT_FANOUT) {
    if (!(leafCapacity >= 4 && fanout >= 4)) {
      throw new RangeError(`leaves and branches need room for >= 4 entries, got ${leafCapacity} and ${fanout}`);
    }
    this.leafCapacity = leafCapacity;
    this.minLeaf = leafCapacity >>> 2;
    this.fanout = fanout;
    this.minFanout = fanout >>> 2;
    const leaves = 8;
    this.leafKeys = new Float64Array(leaves * leafCapacity);
    this.leafLengths = new Int32Array(leaves);
    const branches = 4;
    this.children = new Int32Array(branches * fanout);
    this.childMinima = new Float64Array(branches * fanout);
    this.childSizes = new Int32Array(branches * fanout);
    this.branchLengths = new Int32Array(branches);
    // Every branch but the last two holds >= minFanout leaves of >= minLeaf keys.
    const rootCapacity = Math.ceil(Math.max(capacity, 1) / (this.minLeaf * this.minFanout)) + 3;
    this.rootBranches = new Int32Array(rootCapacity);
    this.rootMinima = new Float64Array(rootCapacity);
    this.rootSizes = new Int32Array(rootCapacity);
    this.fenwick = new Int32Array(rootCapacity + 1);
  }

  get size(): number {
    return this.count;
  }

  insert(key: number): void {
    if (this.count === 0) this.start();
    const r = this.rootOf(key);
    const b = this.rootBranches[r];
    const c = this.childOf(b, key);
    const e = b * this.fanout + c;
    const leaf = this.children[e];
    const base = leaf * this.leafCapacity;
    const length = this.leafLengths[leaf];
    const keys = this.leafKeys;
    const at = lowerBound(keys, base, length, key);
    for (let i = base + length; i > base + at; i--) keys[i] = keys[i - 1];
    keys[base + at] = key;
    this.leafLengths[leaf] = length + 1;
    this.childSizes[e]++;
    if (at === 0) this.setChildMinimum(r, c, key);
    this.rootSizes[r]++;
    this.fenwickAdd(r, 1);
    this.count++;
    if (length + 1 === this.leafCapacity) this.splitLeaf(r, c);
  }

  /** Removes `key`, which must be present. */
  remove(key: number): void {
    if (this.count === 0) throw new Error(`internal: key ${key} is not in the ordered set`);
    const r = this.rootOf(key);
    const b = this.rootBranches[r];
    const c = this.childOf(b, key);
    const e = b * this.fanout + c;
    const leaf = this.children[e];
    const base = leaf * this.leafCapacity;
    const length = this.leafLengths[leaf];
    const keys = this.leafKeys;
    const at = lowerBound(keys, base, length, key);
    if (at === length || keys[base + at] !== key) throw new Error(`internal: key ${key} is not in the ordered set`);
    for (let i = base + at; i < base + length - 1; i++) keys[i] = keys[i + 1];
    this.leafLengths[leaf] = length - 1;
    this.childSizes[e]--;
    this.rootSizes[r]--;
    this.fenwickAdd(r, -1);
    this.count--;
    if (this.count === 0) {
      this.clear();
      return;
    }
    if (at === 0 && length > 1) this.setChildMinimum(r, c, keys[base]);
    if (length - 1 < this.minLeaf) this.refillLeaf(r, leaf);
  }

  /** The key at ascending position `position` (0-based, < size). */
  select(position: number): number {
    return this.leafKeys[this.addressOf(position)];
  }

  /**
   * `out[i] = select(positions[i])` for i < count: the addresses are found first (the root and branches
   * are in cache), then the keys are read in one pass whose cache misses overlap.
   */
  selectMany(positions: ArrayLike<number>, out: Float64Array, count: number): void {
    const addresses = this.addressBuffer(count);
    for (let i = 0; i < count; i++) addresses[i] = this.addressOf(positions[i]);
    const keys = this.leafKeys;
    for (let i = 0; i < count; i++) out[i] = keys[addresses[i]];
  }

  /** Ascending position (0-based) of `key`, which must be present. */
  positionOf(key: number): number {
    if (this.count === 0) throw new Error(`internal: key ${key} is not in the ordered set`);
    const r = this.rootOf(key);
    const b = this.rootBranches[r];
    const c = this.childOf(b, key);
    const leaf = this.children[b * this.fanout + c];
    const at = lowerBound(this.leafKeys, leaf * this.leafCapacity, this.leafLengths[leaf], key);
    if (this.leafKeys[leaf * this.leafCapacity + at] !== key) {
      throw new Error(`internal: key ${key} is not in the ordered set`);
    }
    let before = at;
    for (let i = r; i > 0; i -= i & -i) before += this.fenwick[i];
    for (let k = 0; k < c; k++) before += this.childSizes[b * this.fanout + k];
    return before;
  }

  clear(): void {
    this.count = 0;
    this.rootLength = 0;
    this.leavesUsed = 0;
    this.branchesUsed = 0;
    this.freeLeaves.length = 0;
    this.freeBranches.length = 0;
    this.rebuildFenwick();
  }

  /** One branch holding one empty leaf, for the first key. */
  private start(): void {
    const leaf = this.newLeaf();
    this.leafLengths[leaf] = 0;
    const b = this.newBranch();
    this.branchLengths[b] = 1;
    this.children[b * this.fanout] = leaf;
    this.childSizes[b * this.fanout] = 0;
    this.rootBranches[0] = b;
    this.rootSizes[0] = 0;
    this.rootLength = 1;
    this.rebuildFenwick();
  }

  /** Address in leafKeys of the key at `position`. */
  private addressOf(position: number): number {
    let r = 0;
    let rest = position;
    for (let step = this.topBit; step > 0; step >>= 1) {
      const next = r + step;
      if (next <= this.rootLength && this.fenwick[next] <= rest) {
        r = next;
        rest -= this.fenwick[next];
      }
    }
    const e0 = this.rootBranches[r] * this.fanout;
    let e = e0;
    while (rest >= this.childSizes[e]) rest -= this.childSizes[e++];
    return this.children[e] * this.leafCapacity + rest;
  }

  private addressBuffer(count: number): Int32Array {
    if (this.addresses.length < count) this.addresses = new Int32Array(count);
    return this.addresses;
  }

  /** Last root entry whose minimum is ≤ key (entry 0 for keys below every minimum). */
  private rootOf(key: number): number {
    let lo = 0;
    let hi = this.rootLength - 1;
    const minima = this.rootMinima;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (minima[mid] <= key) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Last child of branch b whose minimum is ≤ key (child 0 for keys below every minimum). */
  private childOf(b: number, key: number): number {
    const base = b * this.fanout;
    let lo = 0;
    let hi = this.branchLengths[b] - 1;
    const minima = this.childMinima;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (minima[base + mid] <= key) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private setChildMinimum(r: number, c: number, key: number): void {
    this.childMinima[this.rootBranches[r] * this.fanout + c] = key;
    if (c === 0) this.rootMinima[r] = key;
  }

  /** Moves the upper half of a full leaf into a new leaf after it; splits the branch when that fills it. */
  private splitLeaf(r: number, c: number): void {
    const b = this.rootBranches[r];
    const F = this.fanout;
    const L = this.leafCapacity;
    const leaf = this.children[b * F + c];
    const upper = this.newLeaf();
    const half = L >>> 1;
    this.leafKeys.copyWithin(upper * L, leaf * L + half, leaf * L + L);
    this.leafLengths[leaf] = half;
    this.leafLengths[upper] = L - half;
    this.insertChild(b, c + 1, upper);
    this.childSizes[b * F + c] = half;
    if (this.branchLengths[b] === F) this.splitBranch(r);
  }

  /** Makes leaf `leaf` child k of branch b (shifting the later ones), with its minimum and size. */
  private insertChild(b: number, k: number, leaf: number): void {
    const F = this.fanout;
    const end = b * F + this.branchLengths[b];
    const at = b * F + k;
    copyWithinEach(this.branchArrays(), at + 1, at, end);
    this.children[at] = leaf;
    this.childMinima[at] = this.leafKeys[leaf * this.leafCapacity];
    this.childSizes[at] = this.leafLengths[leaf];
    this.branchLengths[b]++;
  }

  private removeChild(b: number, k: number): void {
    const F = this.fanout;
    const end = b * F + this.branchLengths[b];
    const at = b * F + k;
    copyWithinEach(this.branchArrays(), at, at + 1, end);
    this.branchLengths[b]--;
  }

  private splitBranch(r: number): void {
    const b = this.rootBranches[r];
    const F = this.fanout;
    const upper = this.newBranch();
    const half = F >>> 1;
    this.moveChildren(b, half, upper, 0, F - half);
    this.branchLengths[b] = half;
    this.branchLengths[upper] = F - half;
    const end = this.rootLength;
    copyWithinEach(this.rootArrays(), r + 2, r + 1, end);
    this.rootBranches[r + 1] = upper;
    this.rootLength++;
    this.resizeRootEntry(r);
    this.resizeRootEntry(r + 1);
    this.rebuildFenwick();
  }

  /** Copies `n` child entries of branch `from` (starting at k) to branch `to` at j. */
  private moveChildren(from: number, k: number, to: number, j: number, n: number): void {
    const F = this.fanout;
    const source = from * F + k;
    copyWithinEach(this.branchArrays(), to * F + j, source, source + n);
  }

  /** Recomputes root entry r's size and minimum from its branch. */
  private resizeRootEntry(r: number): void {
    const b = this.rootBranches[r];
    let size = 0;
    for (let e = b * this.fanout; e < b * this.fanout + this.branchLengths[b]; e++) size += this.childSizes[e];
    this.rootSizes[r] = size;
    this.rootMinima[r] = this.childMinima[b * this.fanout];
  }

  /** An under-full leaf is merged with a sibling, or both are evened out; the branch is refilled in turn. */
  private refillLeaf(r: number, leaf: number): void {
    let b = this.rootBranches[r];
    if (this.branchLengths[b] === 1) {
      if (this.rootLength === 1) return; // the only leaf may hold fewer keys
      r = this.refillBranch(r, leaf);
      b = this.rootBranches[r];
    }
    const F = this.fanout;
    const L = this.leafCapacity;
    const c = this.children.subarray(b * F, b * F + this.branchLengths[b]).indexOf(leaf);
    const left = c + 1 < this.branchLengths[b] ? c : c - 1;
    const leftLeaf = this.children[b * F + left];
    const rightLeaf = this.children[b * F + left + 1];
    const leftLength = this.leafLengths[leftLeaf];
    const rightLength = this.leafLengths[rightLeaf];
    const total = leftLength + rightLength;
    const keys = this.leafKeys;
    const leftBase = leftLeaf * L;
    const rightBase = rightLeaf * L;
    if (total < L) {
      keys.copyWithin(leftBase + leftLength, rightBase, rightBase + rightLength);
      this.leafLengths[leftLeaf] = total;
      this.freeLeaves.push(rightLeaf);
      this.removeChild(b, left + 1);
    } else {
      // Move keys across the boundary so both leaves hold half (left keys stay below right keys).
      const half = total >>> 1;
      if (leftLength < half) {
        const moved = half - leftLength;
        keys.copyWithin(leftBase + leftLength, rightBase, rightBase + moved);
        keys.copyWithin(rightBase, rightBase + moved, rightBase + rightLength);
      } else {
        const moved = leftLength - half;
        keys.copyWithin(rightBase + moved, rightBase, rightBase + rightLength);
        keys.copyWithin(rightBase, leftBase + half, leftBase + leftLength);
      }
      this.leafLengths[leftLeaf] = half;
      this.leafLengths[rightLeaf] = total - half;
      this.childSizes[b * F + left + 1] = total - half;
      this.childMinima[b * F + left + 1] = keys[rightBase];
    }
    this.childSizes[b * F + left] = this.leafLengths[leftLeaf];
    this.setChildMinimum(r, left, keys[leftBase]);
    if (this.branchLengths[b] < this.minFanout && this.rootLength > 1) this.refillBranch(r, leftLeaf);
  }

  /**
   * An under-full branch is merged with a neighbour, or both are evened out; returns the root entry that
   * now holds `leaf`.
   */
  private refillBranch(r: number, leaf: number): number {
    const left = r + 1 < this.rootLength ? r : r - 1;
    const leftBranch = this.rootBranches[left];
    const rightBranch = this.rootBranches[left + 1];
    const leftLength = this.branchLengths[leftBranch];
    const rightLength = this.branchLengths[rightBranch];
    const total = leftLength + rightLength;
    if (total < this.fanout) {
      this.moveChildren(rightBranch, 0, leftBranch, leftLength, rightLength);
      this.branchLengths[leftBranch] = total;
      this.freeBranches.push(rightBranch);
      const end = this.rootLength;
      copyWithinEach(this.rootArrays(), left + 1, left + 2, end);
      this.rootLength--;
      this.resizeRootEntry(left);
      this.rebuildFenwick();
      return left;
    }
    const half = total >>> 1;
    if (leftLength < half) {
      const moved = half - leftLength;
      this.moveChildren(rightBranch, 0, leftBranch, leftLength, moved);
      this.moveChildren(rightBranch, moved, rightBranch, 0, rightLength - moved);
    } else {
      const moved = leftLength - half;
      this.moveChildren(rightBranch, 0, rightBranch, moved, rightLength);
      this.moveChildren(leftBranch, half, rightBranch, 0, moved);
    }
    this.branchLengths[leftBranch] = half;
    this.branchLengths[rightBranch] = total - half;
    this.resizeRootEntry(left);
    this.resizeRootEntry(left + 1);
    this.rebuildFenwick();
    const F = this.fanout;
    return this.children.subarray(leftBranch * F, leftBranch * F + half).includes(leaf) ? left : left + 1;
  }

  private newLeaf(): number {
    const reused = this.freeLeaves.pop();
    if (reused !== undefined) return reused;
    if (this.leavesUsed === this.leafLengths.length) {
      this.leafKeys = grown(this.leafKeys, 2 * this.leafKeys.length);
      this.leafLengths = grown(this.leafLengths, 2 * this.leafLengths.length);
    }
    return this.leavesUsed++;
  }

  private newBranch(): number {
    const reused = this.freeBranches.pop();
    if (reused !== undefined) return reused;
    if (this.branchesUsed === this.branchLengths.length) {
      const n = 2 * this.branchLengths.length;
      this.children = grown(this.children, n * this.fanout);
      this.childMinima = grown(this.childMinima, n * this.fanout);
      this.childSizes = grown(this.childSizes, n * this.fanout);
      this.branchLengths = grown(this.branchLengths, n);
    }
    return this.branchesUsed++;
  }

  /** The branches' parallel entry arrays (children, their minima, their sizes). */
  private branchArrays(): (Int32Array | Float64Array)[] {
    return [this.children, this.childMinima, this.childSizes];
  }

  /** The root's parallel entry arrays (branches, their minima, their sizes). */
  private rootArrays(): (Int32Array | Float64Array)[] {
    return [this.rootBranches, this.rootMinima, this.rootSizes];
  }

  private rebuildFenwick(): void {
    const n = this.rootLength;
    this.fenwick.fill(0, 0, n + 2);
    for (let r = 0; r < n; r++) {
      this.fenwick[r + 1] += this.rootSizes[r];
      const parent = r + 1 + ((r + 1) & -(r + 1));
      if (parent <= n) this.fenwick[parent] += this.fenwick[r + 1];
    }
    this.topBit = n === 0 ? 0 : 2 ** Math.floor(Math.log2(n));
  }

  private fenwickAdd(r: number, delta: number): void {
    for (let i = r + 1; i <= this.rootLength; i += i & -i) this.fenwick[i] += delta;
  }
}

/** The same `copyWithin(target, start, end)` on each of the parallel arrays. */
function copyWithinEach(
  arrays: readonly (Int32Array | Float64Array)[],
  target: number,
  start: number,
  end: number,
): void {
  for (const array of arrays) array.copyWithin(target, start, end);
}

/** A copy of `array` in a larger one of the same type. */
function grown<T extends Float64Array | Int32Array>(array: T, length: number): T {
  const larger = new (array.constructor as new (n: number) => T)(length);
  larger.set(array);
  return larger;
}

/** First offset in keys[base .. base + length) whose key is ≥ `key`. */
function lowerBound(keys: Float64Array, base: number, length: number, key: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[base + mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
