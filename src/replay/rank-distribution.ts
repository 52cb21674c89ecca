/**
 * The rank-based distribution P(rank r | n) = r^−α / Σ_{i≤n} i^−α (eq. 6) for every n up to a capacity,
 * sampled exactly in O(log n): a cumulative table shared by all n, entered through a guide table
 * (Chen & Asau's indexed search) so that a draw touches a few cache lines instead of a full binary search.
 */
import { checkUnitInterval, rankWeight } from './probability';

/** About one guide bucket per rank, up to 2^20 (4 MB): a draw then searches a line or two of the table. */
const MAX_GUIDE_BUCKETS = 1 << 20;

export class RankDistribution {
  /** cumulative[r] = Σ_{i≤r} i^−α, cumulative[0] = 0. */
  private readonly cumulative: Float64Array;
  /** guide[k] = smallest r with cumulative[r] > k · total / buckets. */
  private readonly guide: Int32Array;
  private readonly buckets: number;
  private readonly bucketsPerUnit: number;

  constructor(
    readonly capacity: number,
    readonly alpha: number,
  ) {
    checkUnitInterval('alpha', alpha);
    if (!(Number.isInteger(capacity) && capacity >= 1)) {
      throw new RangeError(`rank distribution capacity must be an integer >= 1, got ${capacity}`);
    }
    this.cumulative = new Float64Array(capacity + 1);
    for (let r = 1; r <= capacity; r++) this.cumulative[r] = this.cumulative[r - 1] + rankWeight(r, alpha);
    const total = this.cumulative[capacity];
    this.buckets = Math.min(MAX_GUIDE_BUCKETS, 2 ** Math.ceil(Math.log2(Math.max(capacity, 1024))));
    this.bucketsPerUnit = this.buckets / total;
    this.guide = new Int32Array(this.buckets + 1);
    let r = 1;
    for (let k = 0; k <= this.buckets; k++) {
      const threshold = (k * total) / this.buckets;
      while (r < capacity && this.cumulative[r] <= threshold) r++;
      this.guide[k] = r;
    }
  }

  /** P(rank | n), read from the table that `sample` draws from (no power function per draw). */
  probability(rank: number, n: number): number {
    return (this.cumulative[rank] - this.cumulative[rank - 1]) / this.cumulative[n];
  }

  /** The rank (1-based) that a uniform `u` in [0, 1) selects among n: smallest r with cumulative[r] > u · total(n). */
  sample(u: number, n: number): number {
    const target = u * this.cumulative[n];
    const bucket = Math.floor(target * this.bucketsPerUnit);
    let lo = this.guide[bucket];
    let hi = bucket < this.buckets ? this.guide[bucket + 1] : this.capacity;
    if (hi > n) hi = n;
    if (lo > hi) lo = hi;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    // The bucket of `target` is computed with rounding: step across a boundary it may have missed.
    while (lo > 1 && this.cumulative[lo - 1] > target) lo--;
    while (lo < n && this.cumulative[lo] <= target) lo++;
    return lo;
  }
}
