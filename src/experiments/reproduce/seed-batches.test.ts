import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeMinatarEnv } from '../../env/minatar';
import { distillConfig } from './presets';
import type { PlannedRun } from './run';
import { checkSeedBatchFits, seedBatches } from './seed-batches';

const proposed = { architecture: 'proposed', sampler: 'uniform' } as const;
const amn = { architecture: 'amn', sampler: 'uniform' } as const;
const dist = { architecture: 'dist', sampler: 'uniform' } as const;

function run(
  variant: typeof proposed | typeof amn | typeof dist,
  seed: number,
  overrides: Record<string, unknown>[] = [],
): PlannedRun {
  return {
    suite: 'minatar',
    preset: 'smoke',
    variant,
    seed,
    name: `${variant.architecture}-seed${seed}-${overrides.length}`,
    config: distillConfig('minatar', 'smoke', variant, seed, overrides),
  };
}

const names = (batches: PlannedRun[][]) => batches.map((batch) => batch.map((r) => r.name));

test('seed batches group the runs of one variant in plan order, at most S each, and leave done runs alone', () => {
  const runs = [0, 1, 2, 3, 4].map((seed) => run(proposed, seed));
  const others = [0, 1].map((seed) => run(amn, seed));
  assert.deepEqual(names(seedBatches([...runs, ...others], 2, () => 0)), [
    ['proposed-seed0-0', 'proposed-seed1-0'],
    ['proposed-seed2-0', 'proposed-seed3-0'],
    ['proposed-seed4-0'],
    ['amn-seed0-0', 'amn-seed1-0'],
  ]);
  // Interleaved plans still batch by variant; a done run is its own (skipped) unit, not a seed of a batch.
  const interleaved = [runs[0], others[0], runs[1], others[1], runs[2]];
  assert.deepEqual(names(seedBatches(interleaved, 5, (r) => (r === runs[1] ? 'done' : 0))), [
    ['proposed-seed0-0', 'proposed-seed2-0'],
    ['amn-seed0-0', 'amn-seed1-0'],
    ['proposed-seed1-0'],
  ]);
  assert.deepEqual(
    names(seedBatches(runs, 1, () => 0)),
    runs.map((r) => [r.name]),
  );
});

test('with several workers, the largest last batches are halved until the batches fill the last turn', () => {
  const runs = [proposed, amn, dist].flatMap((variant) => [0, 1, 2, 3, 4].map((seed) => run(variant, seed)));
  const sizes = (batches: PlannedRun[][]) => batches.map((batch) => batch.length);
  // Three batches of five on two workers: the last splits 3 + 2, seeds in plan order.
  const two = seedBatches(runs, 5, () => 0, 2);
  assert.deepEqual(sizes(two), [5, 5, 3, 2]);
  assert.deepEqual(names(two.slice(2)), [
    ['dist-seed0-0', 'dist-seed1-0', 'dist-seed2-0'],
    ['dist-seed3-0', 'dist-seed4-0'],
  ]);
  // Five workers: two more batches, the largest halved, the last of equals first.
  assert.deepEqual(sizes(seedBatches(runs, 5, () => 0, 5)), [5, 3, 2, 3, 2]);
  assert.deepEqual(sizes(seedBatches(runs, 5, () => 0, 3)), [5, 5, 5]);
  // More workers than a batch can fill: halved again until no batch has two runs.
  assert.deepEqual(sizes(seedBatches(runs.slice(0, 5), 5, () => 0, 4)), [2, 1, 1, 1]);
  assert.deepEqual(sizes(seedBatches(runs.slice(0, 2), 5, () => 0, 4)), [1, 1]);
  assert.deepEqual(sizes(seedBatches(runs, 1, () => 0, 2)), Array(15).fill(1));
  assert.throws(() => seedBatches(runs, 5, () => 0, 0), /workers must be an integer >= 1, got 0/);
});

test('a stopped plan resumes every run in the batch it started in; done runs are skipped, last', () => {
  const runs = [proposed, amn, dist].flatMap((variant) => [0, 1, 2, 3, 4].map((seed) => run(variant, seed)));
  // Stopped while dist's seeds 0–2 were done and its seeds 3–4 stood at update 400: they go on together.
  const late = seedBatches(runs, 5, (r) => (r.variant === dist ? (r.seed < 3 ? 'done' : 400) : 'done'), 2);
  assert.deepEqual(names(late).slice(0, 1), [['dist-seed3-0', 'dist-seed4-0']]);
  assert.equal(late.length, 1 + 13);
  // Stopped during the first turn: the last batch is still the plan's 3 + 2, not one of five.
  const early = seedBatches(runs, 5, (r) => (r.variant === proposed ? 400 : 0), 2);
  assert.deepEqual(
    early.map((batch) => batch.length),
    [5, 5, 3, 2],
  );
  // Stopped after the first variant finished: the plan still splits the last variant, whatever is left to train.
  const afterFirst = seedBatches(runs, 5, (r) => (r.variant === proposed ? 'done' : 0), 2);
  assert.deepEqual(
    afterFirst.map((batch) => batch.length),
    [5, 3, 2, 1, 1, 1, 1, 1],
  );
  // A done run leaves its batch; the others stay together.
  const oneDone = seedBatches(runs.slice(0, 5), 5, (r) => (r.seed === 0 ? 'done' : 0), 2);
  assert.deepEqual(names(oneDone), [
    ['proposed-seed1-0', 'proposed-seed2-0'],
    ['proposed-seed3-0', 'proposed-seed4-0'],
    ['proposed-seed0-0'],
  ]);
});

test('runs whose settings differ in more than the seed, or that resume from other updates, never share a batch', () => {
  const faster = run(proposed, 1, [{ tau: 0.05 }]);
  assert.deepEqual(names(seedBatches([run(proposed, 0), faster, run(proposed, 2)], 3, () => 0)), [
    ['proposed-seed0-0', 'proposed-seed2-0'],
    ['proposed-seed1-1'],
  ]);
  // Checkpoints at other updates: a batch trains in lockstep, so its runs must stand at the same update.
  const resumed = [0, 1, 2].map((seed) => run(proposed, seed));
  assert.deepEqual(names(seedBatches(resumed, 3, (r) => (r.seed === 1 ? 400 : 0))), [
    ['proposed-seed0-0', 'proposed-seed2-0'],
    ['proposed-seed1-0'],
  ]);
});

test('--seed-batch is refused out of range, and when its memories would not fit, naming the estimate', () => {
  assert.throws(() => seedBatches([], 0, () => 0), {
    message:
      'configuration value --seed-batch = 0 is out of range: expected an integer in [1, 16]: the seeds trained in one process',
  });
  assert.throws(() => seedBatches([], 2.5, () => 0), /--seed-batch = 2.5 is out of range/);
  const spec = makeMinatarEnv('breakout').spec;
  const runs = [run(proposed, 0)];
  // The smoke preset's memories of one game: capacity × bytes per experience; two processes of S seeds each.
  const GiB = 2 ** 30;
  assert.doesNotThrow(() => checkSeedBatchFits(16, 2, runs, [spec], GiB));
  assert.throws(
    () => checkSeedBatchFits(16, 2, runs, [spec], 1e5),
    /^RangeError: configuration value --seed-batch = 16 is out of range: expected at most 0 on this machine: the replay memories of every seed held at once would take about/,
  );
});
