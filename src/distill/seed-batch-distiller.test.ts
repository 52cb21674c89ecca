import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { MINATAR_GAMES, makeMinatarEnv } from '../env/minatar';
import { MINATAR_DQN, qNetwork } from '../nn/qnetwork';
import { tf } from '../nn/tf';
import { Rng } from '../util/rng';
import type { DistillConfig } from './config';
import { CORRIDOR_CONFIG } from './corridor-games';
import { type DistillEvaluation, Distiller, type DistillerSetup } from './distiller';
import { SeedBatchDistiller, type SeedBatchRun } from './seed-batch-distiller';

const dir = mkdtempSync(join(tmpdir(), 'seed-batch-'));
const specs = MINATAR_GAMES.map((game) => makeMinatarEnv(game).spec);
// Untrained teachers: a batch must repeat its seeds' solo runs whatever the teachers know.
const teachers = specs.map((spec, i) =>
  qNetwork('teacher', MINATAR_DQN, spec.observationShape, spec.legalActions.length, new Rng(i)),
);
after(() => {
  rmSync(dir, { recursive: true, force: true });
  for (const t of teachers) tf.dispose([...t.variables]);
});

/** The five MinAtar games (the seed-batched graph's shape) at a budget of 24 updates, evaluated every 8. */
const CONFIG: DistillConfig = {
  ...CORRIDOR_CONFIG,
  hidden: [32, 16],
  totalUpdates: 24,
  learningStarts: 40,
  batchSize: 8,
  sampler: { kind: 'ranked', alpha: 0.6, beta: { start: 0.4, end: 1, steps: 24 } },
  evaluation: { every: 8, episodes: 2, epsilon: 0.05, maxNoops: 3, maxEpisodeSteps: 30 },
  checkpointEvery: 10,
};

const setup = (seed: number, config: DistillConfig = CONFIG): DistillerSetup => ({
  config: { ...config, seed },
  games: specs.map((spec, i) => ({
    spec,
    teacher: teachers[i],
    teacherPath: '(untrained)',
    teacherScore: 1,
    valueRange: [-1, 1] as const,
  })),
  makeEnv: (g, seed) => makeMinatarEnv(specs[g].game, { seed }),
  teacherNetwork: MINATAR_DQN,
  inputScale: 1,
});

/** The learning curve without the wall-clock column, which no two runs share. */
const curve = (rows: readonly DistillEvaluation[]) => rows.map(({ seconds: _, ...rest }) => rest);
// The batched products add in another order than one seed's graph: losses agree to float rounding.
const LOSS_TOLERANCE = 1e-4;
const SEEDS = [3, 4, 5];

function assertSameCurve(batched: readonly DistillEvaluation[], solo: readonly DistillEvaluation[], label: string) {
  assert.equal(batched.length, solo.length, label);
  batched.forEach((row, i) => {
    const { loss, ...rest } = curve([row])[0];
    const { loss: soloLoss, ...soloRest } = curve([solo[i]])[0];
    assert.ok(Math.abs((loss as number) - (soloLoss as number)) <= LOSS_TOLERANCE * (soloLoss as number), label);
    assert.deepEqual(rest, soloRest, `${label}: evaluation ${i}`);
  });
}

test('each seed of a batch repeats its solo run: the same evaluations, losses to float rounding', () => {
  const solo = SEEDS.map((seed) => {
    const d = Distiller.create(setup(seed), null);
    const rows = d.run().evaluations;
    d.dispose();
    return rows;
  });
  // The seeds differ from one another, so a batch that ran seed 0 three times would fail.
  assert.notDeepEqual(curve(solo[0]), curve(solo[1]));
  const batch = new SeedBatchDistiller(
    SEEDS.map((seed) => ({ setup: setup(seed), checkpointPath: null, resume: false })),
  );
  const results = batch.run();
  batch.dispose();
  assert.deepEqual(
    results.map((r) => [r.finished, r.updates]),
    SEEDS.map(() => [true, 24]),
  );
  results.forEach((r, s) => {
    assert.deepEqual(
      r.evaluations.map((row) => row.updates),
      [8, 16, 24],
    );
    assertSameCurve(r.evaluations, solo[s], `seed ${SEEDS[s]}`);
  });
});

test('a killed seed batch resumes from its seeds’ checkpoints and repeats the uninterrupted curves', () => {
  const runs = (resume: boolean): SeedBatchRun[] =>
    SEEDS.map((seed) => ({ setup: setup(seed), checkpointPath: join(dir, `seed-${seed}`), resume }));
  const uninterrupted = new SeedBatchDistiller(
    SEEDS.map((seed) => ({ setup: setup(seed), checkpointPath: null, resume: false })),
  );
  const full = uninterrupted.run();
  uninterrupted.dispose();
  const killed = new SeedBatchDistiller(runs(false));
  // Killed after update 13: the last checkpoint is update 10's, so updates 11–13 are trained again.
  const stopped = killed.run(SEEDS.map(() => ({ shouldStop: (_steps: number, updates: number) => updates === 13 })));
  killed.dispose();
  assert.deepEqual(
    stopped.map((r) => [r.finished, r.updates]),
    SEEDS.map(() => [false, 13]),
  );
  // A batch trains in lockstep: runs that stand at other updates cannot share one.
  assert.throws(
    () =>
      new SeedBatchDistiller([
        { setup: setup(3), checkpointPath: join(dir, 'seed-3'), resume: true },
        { setup: setup(9), checkpointPath: null, resume: false },
      ]),
    /^RangeError: the runs of a seed batch must resume from the same update \(they train in lockstep\); they stand at 10, 0$/,
  );
  const resumed = new SeedBatchDistiller(runs(true));
  assert.deepEqual(
    resumed.distillers.map((d) => d.updates),
    SEEDS.map(() => 10),
  );
  const rest = resumed.run();
  resumed.dispose();
  rest.forEach((r, s) => {
    assert.deepEqual(curve(r.evaluations), curve(full[s].evaluations), `seed ${SEEDS[s]}`);
  });
});

test('a seed batch refuses runs that differ in more than their seed, and repeated seeds, before building anything', () => {
  const run = (seed: number, config?: DistillConfig): SeedBatchRun => ({
    setup: setup(seed, config),
    checkpointPath: null,
    resume: false,
  });
  const faster = { ...CONFIG, optimizer: { ...CONFIG.optimizer, learningRate: 1e-2 } };
  assert.throws(
    () => new SeedBatchDistiller([run(1), run(2, faster)]),
    /run 1 of the seed batch \(seed 2\) differs from run 0 in more than its seed/,
  );
  assert.throws(() => new SeedBatchDistiller([run(1), run(1)]), /seed 1 appears twice in the seed batch/);
  assert.throws(() => new SeedBatchDistiller([]), /a seed batch needs at least one run/);
});
