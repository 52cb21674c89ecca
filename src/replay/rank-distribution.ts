/**
 * The rank-based distribution P(rank r | n) = r^−α / Σ_{i≤n} i^−α (eq. 6) for every n up to a capacity,
 * sampled exactly: a cumulative table shared by all n. A draw starts at the rank where the integral
 * approximation Σ_{i≤r} i^−α ≈ A + (r + ½)^{1−α} / (1−α) (A + ln(r + ½) for α = 1) puts its target,
 * usually within a rank of the answer, and steps to the exact answer in the table: one or two cache
 * lines per draw where a guide table and a search cost three or four misses. A bisection of the table
 * takes over when the start is far off (small ranks, where the approximation is loose).
 */
import { checkUnitInterval, rankWeight } from './probability';

/** Steps from the estimated rank before the bisection takes over. */
const MAX_STEPS = 8;

export class RankDistribution {
  /** cumulative[r] = Σ_{i≤r} i^−α, cumulative[0] = 0. */
  private readonly cumulative: Float64Array;
  /** A in the approximation above, fitted at r = capacity. */
  private readonly offset: number;

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
    this.offset = this.cumulative[capacity] - this.integral(capacity + 0.5);
  }

  /** P(rank | n), read from the table that `sample` draws from (no power function per draw). */
  probability(rank: number, n: number): number {
    return (this.cumulative[rank] - this.cumulative[rank - 1]) / this.cumulative[n];
  }

  /** The rank (1-based) that a uniform `u` in [0, 1) selects among n: smallest r with cumulative[r] > u · total(n). */
  sample(u: number, n: number): number {
    const cumulative = this.cumulative;
    const target = u * cumulative[n];
    let r = Math.min(n, Math.max(1, Math.floor(this.inverseIntegral(target - this.offset) - 0.5) + 1));
    let steps = 0;
    while (r > 1 && cumulative[r - 1] > target) {
      r--;
      if (++steps > MAX_STEPS) return this.bisect(target, n);
    }
    while (r < n && cumulative[r] <= target) {
      r++;
      if (++steps > MAX_STEPS) return this.bisect(target, n);
    }
    return r;
  }

  /** ∫ x^−α dx up to x, without the constant: x^{1−α} / (1−α), or ln x for α = 1. */
  private integral(x: number): number {
    return this.alpha === 1 ? Math.log(x) : x ** (1 - this.alpha) / (1 - this.alpha);
  }

  /** The x whose integral is y (0 where y is below every value the integral takes). */
  private inverseIntegral(y: number): number {
    if (this.alpha === 1) return Math.exp(y);
    const base = (1 - this.alpha) * y;
    return base > 0 ? base ** (1 / (1 - this.alpha)) : 0;
  }

  /** Smallest r in [1, n] with cumulative[r] > target (n when none), by bisection. */
  private bisect(target: number, n: number): number {
    let lo = 1;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
