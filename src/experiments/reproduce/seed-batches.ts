/**
 * `reproduce --seed-batch S`: the runs of a plan that differ only in their seed, trained S at a time in one process
 * (distill/seed-batch-distiller.ts), each still its own run folder. The grouping here is pure; `checkSeedBatchFits`
 * refuses a batch whose memories would not fit, before anything trains.
 */

import { replayBytesPerExperience } from '../../distill/config';
import type { EnvSpec } from '../../env/types';
import { canonicalJson } from '../../util/canonical-json';
import { checkMemoryFits, failConfig, type MemoryEstimate, memoryFits } from '../../util/config-checks';
import type { PlannedRun } from './run';

/** Seeds trained in one process at most (bench/seed-batching.ts measures batches of up to 10). */
export const MAX_SEED_BATCH = 16;

export function validateSeedBatch(size: number): void {
  if (!(Number.isInteger(size) && size >= 1 && size <= MAX_SEED_BATCH))
    failConfig('--seed-batch', size, `an integer in [1, ${MAX_SEED_BATCH}]: the seeds trained in one process`);
}

/** What a run's numbers depend on besides its seed: runs with the same key can share a batch. */
function batchKey(run: PlannedRun): string {
  return canonicalJson({
    suite: run.suite,
    preset: run.preset,
    variant: run.variant,
    config: { ...run.config, seed: 0 },
  });
}

/**
 * The runs in batches of at most `size` runs that differ only in their seed, in plan order (a batch starts at its first
 * run's place). With `workers` processes taking batches in turn, the largest last batches are halved until the
 * batches fill every worker's last turn (`balanceLastTurn`). The grouping is the plan's, whatever is already done:
 * `state` (a run's 'done', or the update its checkpoint resumes from, 0 for a fresh run) only takes done runs out, to
 * be skipped, last, and splits a batch whose runs resume from different updates, so a stopped command resumes every
 * run in the batch it started in.
 */
export function seedBatches(
  runs: readonly PlannedRun[],
  size: number,
  state: (run: PlannedRun) => 'done' | number,
  workers = 1,
): PlannedRun[][] {
  validateSeedBatch(size);
  if (!(Number.isInteger(workers) && workers >= 1))
    throw new RangeError(`workers must be an integer >= 1, got ${workers}`);
  // One run per batch: nothing to group, and no checkpoint need be read to find where a run stands.
  if (size === 1) return runs.map((run) => [run]);
  const batches: PlannedRun[][] = [];
  const done: PlannedRun[][] = [];
  for (const planned of balanceLastTurn(groupBySettings(runs, size), workers)) {
    const byUpdate = new Map<number, PlannedRun[]>();
    for (const run of planned) {
      const at = state(run);
      if (at === 'done') done.push([run]);
      else if (byUpdate.has(at)) byUpdate.get(at)?.push(run);
      else byUpdate.set(at, [run]);
    }
    batches.push(...byUpdate.values());
  }
  return [...batches, ...done];
}

/** Runs with the same settings but the seed, in batches of at most `size`, in plan order. */
function groupBySettings(runs: readonly PlannedRun[], size: number): PlannedRun[][] {
  const batches: PlannedRun[][] = [];
  const open = new Map<string, PlannedRun[]>();
  for (const run of runs) {
    const key = batchKey(run);
    const batch = open.get(key);
    if (batch && batch.length < size) {
      batch.push(run);
      continue;
    }
    const fresh = [run];
    batches.push(fresh);
    open.set(key, fresh);
  }
  return batches;
}

/**
 * Halves the largest batch (the last of equals; ceil first, then floor) until the number of batches is a multiple of
 * `workers` or none has two runs left, so the final turn keeps every worker busy: seven five-seed batches on two
 * cores train as 5,5 | 5,5 | 5,5 | 3,2, not with one core idle through a whole last batch (a batch's cost grows more
 * slowly than its seeds, bench:seeds).
 */
function balanceLastTurn<T>(batches: readonly T[][], workers: number): T[][] {
  const result = batches.map((batch) => [...batch]);
  while (result.length % workers !== 0) {
    let largest = -1;
    result.forEach((batch, i) => {
      if (batch.length >= 2 && (largest < 0 || batch.length >= result[largest].length)) largest = i;
    });
    if (largest < 0) break;
    const batch = result[largest];
    const half = Math.ceil(batch.length / 2);
    result.splice(largest, 1, batch.slice(0, half), batch.slice(half));
  }
  return result;
}

/**
 * Refuses a seed batch whose replay memories, `processes` batches at once, would not fit this machine's memory
 * (os.totalmem(), or `machineBytes`), naming the estimate and the largest batch that fits.
 */
export function checkSeedBatchFits(
  size: number,
  processes: number,
  runs: readonly PlannedRun[],
  specs: readonly EnvSpec[],
  machineBytes?: number,
): void {
  checkMemoryFits('--seed-batch', size, seedBatchMemory(processes, runs, specs), machineBytes);
}

/** Whether `checkSeedBatchFits` would pass. */
export function seedBatchFits(
  size: number,
  processes: number,
  runs: readonly PlannedRun[],
  specs: readonly EnvSpec[],
  machineBytes?: number,
): boolean {
  return memoryFits(size, seedBatchMemory(processes, runs, specs), machineBytes);
}

/** The replay memories of `processes` seed batches: the largest run's, per seed. */
function seedBatchMemory(processes: number, runs: readonly PlannedRun[], specs: readonly EnvSpec[]): MemoryEstimate {
  const perRun = Math.max(
    0,
    ...runs.map(({ config }) =>
      specs.reduce((sum, spec) => sum + replayBytesPerExperience(config, spec) * config.memoryCapacity, 0),
    ),
  );
  return {
    perUnit: perRun,
    unit: 'seeds',
    copies: processes,
    copiesName: 'processes',
    what: 'the replay memories of every seed held at once',
  };
}
