/** Mean and spread across seeds at each point of a learning curve. */

/** std: mean ± 1 sample standard deviation; sem: mean ± 1 standard error; range: min to max over seeds. */
export type BandKind = 'std' | 'sem' | 'range';

export const BAND_DESCRIPTIONS: Record<BandKind, string> = {
  std: 'mean ± 1 s.d. over seeds',
  sem: 'mean ± 1 s.e. over seeds',
  range: 'mean, min–max over seeds',
};

export interface SeedBand {
  readonly mean: number[];
  readonly lower: number[];
  readonly upper: number[];
}

/** `runs[seed][i]` is seed's value at point i; every run must have the same length. One seed gives a zero band. */
export function seedBand(runs: readonly (readonly number[])[], kind: BandKind): SeedBand {
  if (runs.length === 0) throw new RangeError('seedBand needs at least one run');
  const length = runs[0].length;
  runs.forEach((run, seed) => {
    if (run.length !== length) throw new RangeError(`run ${seed} has ${run.length} points, run 0 has ${length}`);
  });
  const n = runs.length;
  const mean: number[] = [];
  const lower: number[] = [];
  const upper: number[] = [];
  for (let i = 0; i < length; i++) {
    const values = runs.map((run) => run[i]);
    const m = values.reduce((a, b) => a + b, 0) / n;
    mean.push(m);
    if (kind === 'range') {
      lower.push(Math.min(...values));
      upper.push(Math.max(...values));
    } else {
      const variance = n > 1 ? values.reduce((a, v) => a + (v - m) ** 2, 0) / (n - 1) : 0;
      const spread = kind === 'std' ? Math.sqrt(variance) : Math.sqrt(variance / n);
      lower.push(m - spread);
      upper.push(m + spread);
    }
  }
  return { mean, lower, upper };
}
