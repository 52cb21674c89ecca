/**
 * A sum tree with fan-out 8: each node holds the sum of its 8 children, which share one 64-byte cache
 * line, so a draw or an update over a million leaves touches 7 lines instead of a binary tree's 20.
 * Sums are recomputed from the children on every change (never adjusted by a difference), so the tree
 * is a pure function of its leaves: rebuilding it from saved leaves reproduces every draw exactly.
 */
const FAN = 8;

export class SumTree {
  /** Level 0 is the root; the last level holds the leaves. Every level starts at a multiple of 8. */
  private readonly levelStart: number[] = [];
  private readonly nodes: Float64Array;
  private readonly leafStart: number;
  private readonly depth: number;
  private rests = new Float64Array(32);
  /** Sum of the nodes `touch` read, kept so that the reads are not optimised away. */
  touchedSum = 0;

  constructor(readonly capacity: number) {
    const sizes = [capacity];
    while (sizes[0] > 1) sizes.unshift(Math.ceil(sizes[0] / FAN));
    let at = 0;
    for (const size of sizes) {
      this.levelStart.push(at);
      at += Math.ceil(size / FAN) * FAN;
    }
    this.depth = sizes.length - 1;
    this.leafStart = this.levelStart[this.depth];
    this.nodes = new Float64Array(at);
  }

  get total(): number {
    return this.nodes[0];
  }

  leaf(index: number): number {
    return this.nodes[this.leafStart + index];
  }

  set(index: number, weight: number): void {
    const nodes = this.nodes;
    nodes[this.leafStart + index] = weight;
    let i = index;
    for (let level = this.depth - 1; level >= 0; level--) {
      const first = this.levelStart[level + 1] + (i - (i % FAN));
      let sum = 0;
      for (let k = 0; k < FAN; k++) sum += nodes[first + k];
      i = Math.floor(i / FAN);
      nodes[this.levelStart[level] + i] = sum;
    }
  }

  /**
   * `out[i]` = the leaf where the running sum passes `uniforms[i] · total` (each uniform in [0, 1)), never
   * a leaf of weight 0. The draws descend level by level together, so their cache misses overlap.
   */
  findMany(uniforms: Float64Array, total: number, count: number, out: Int32Array): void {
    const nodes = this.nodes;
    if (this.rests.length < count) this.rests = new Float64Array(count);
    const rests = this.rests;
    for (let i = 0; i < count; i++) {
      rests[i] = uniforms[i] * total;
      out[i] = 0;
    }
    for (let level = 1; level <= this.depth; level++) {
      const start = this.levelStart[level];
      for (let i = 0; i < count; i++) {
        const first = start + out[i] * FAN;
        let rest = rests[i];
        let k = 0;
        let lastNonZero = -1;
        for (; k < FAN; k++) {
          const w = nodes[first + k];
          if (w > 0) {
            if (rest < w) break;
            lastNonZero = k;
            rest -= w;
          }
        }
        // Rounding can leave `rest` a hair above the children's sum: take the last child with weight.
        if (k === FAN) {
          k = lastNonZero;
          rest = 0;
        }
        rests[i] = rest;
        out[i] = out[i] * FAN + k;
      }
    }
  }

  /** Reads the lines that `set` of these leaves will read and write (changes nothing), all at once. */
  touch(indices: ArrayLike<number>, count: number): void {
    const nodes = this.nodes;
    let sum = 0;
    for (let level = this.depth, shift = 1; level >= 1; level--, shift *= FAN) {
      const start = this.levelStart[level];
      for (let i = 0; i < count; i++) sum += nodes[start + Math.floor(indices[i] / shift)];
    }
    this.touchedSum = sum;
  }

  clear(): void {
    this.nodes.fill(0);
  }
}
