/**
 * The Student-t confidence interval of a mean, for evaluation returns (independent episodes). The quantiles
 * are computed here (a dozen lines) instead of pulling in a statistics package for one function.
 */

/** Φ⁻¹(p), Acklam's rational approximation (relative error below 1.2e-9 on (0, 1)). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile needs p in (0, 1), got ${p}`);
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low || p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(p < low ? p : 1 - p));
    const x =
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    return p < low ? x : -x;
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}

/**
 * The p-quantile of Student's t with `df` degrees of freedom, by the Cornish-Fisher expansion around the normal
 * quantile (Abramowitz & Stegun 26.7.5): within 1e-3 of the exact value for df ≥ 5, 1e-5 for df ≥ 30.
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(Number.isFinite(df) && df >= 1)) throw new RangeError(`studentTQuantile needs df ≥ 1, got ${df}`);
  if (!(p > 0 && p < 1)) throw new RangeError(`studentTQuantile needs p in (0, 1), got ${p}`);
  // Closed forms where the expansion is poor: Cauchy (df = 1) and df = 2.
  if (df === 1) return Math.tan(Math.PI * (p - 0.5));
  if (df === 2) return (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
  const z = normalQuantile(p);
  const z2 = z * z;
  const g1 = ((z2 + 1) * z) / 4;
  const g2 = (((5 * z2 + 16) * z2 + 3) * z) / 96;
  const g3 = ((((3 * z2 + 19) * z2 + 17) * z2 - 15) * z) / 384;
  const g4 = (((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z) / 92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}

export interface MeanInterval {
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1 in the denominator). */
  readonly standardDeviation: number;
  readonly lower: number;
  readonly upper: number;
  readonly level: number;
}

/** mean ± t_{(1+level)/2, n−1} · s / √n over independent values (at least two). */
export function meanInterval(values: readonly number[], level = 0.95): MeanInterval {
  const n = values.length;
  if (n < 2) throw new RangeError(`a confidence interval needs at least 2 values, got ${n}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`confidence level must be in (0, 1), got ${level}`);
  if (values.some((v) => !Number.isFinite(v))) throw new RangeError('a confidence interval needs finite values');
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1);
  const standardDeviation = Math.sqrt(variance);
  const half = studentTQuantile((1 + level) / 2, n - 1) * (standardDeviation / Math.sqrt(n));
  return { n, mean, standardDeviation, lower: mean - half, upper: mean + half, level };
}
