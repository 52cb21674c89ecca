/** Wall-clock timing of repeated calls, for speed reports in notebooks. */

/** Runs `fn` `warmups` times untimed, then `repeats` times; returns each timed duration in milliseconds. */
export function timeCalls(fn: () => void, repeats: number, warmups = 3): number[] {
  if (!Number.isInteger(repeats) || repeats < 1) throw new RangeError(`repeats must be an integer ≥ 1, got ${repeats}`);
  if (!Number.isInteger(warmups) || warmups < 0) throw new RangeError(`warmups must be an integer ≥ 0, got ${warmups}`);
  for (let i = 0; i < warmups; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times;
}

/** Median of a non-empty list (the statistic every speed report in this project quotes). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
