import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { qNetwork } from '../nn/qnetwork';
import { readCheckpoint } from '../train/checkpoint-file';
import { CorridorEnv } from '../train/corridor-env';
import { DivergenceError } from '../train/divergence';
import { Rng } from '../util/rng';
import type { DistillConfig, GameSetup } from './config';
import {
  CORRIDOR_CONFIG,
  CORRIDOR_TEACHER,
  corridorGames,
  makeCorridorEnv,
  NARROW_CORRIDOR_SPEC,
} from './corridor-games';
import { DISTILL_CHECKPOINT_KIND, type DistillEvaluation, Distiller, type DistillerSetup } from './distiller';

const dir = mkdtempSync(join(tmpdir(), 'distiller-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const CONFIG = CORRIDOR_CONFIG;
const games = corridorGames;
const TEACHER = CORRIDOR_TEACHER;
const NARROW_SPEC = NARROW_CORRIDOR_SPEC;
const makeEnv = makeCorridorEnv;

const setup = (config: DistillConfig = CONFIG, gameSetups: GameSetup[] = games()): DistillerSetup => ({
  config,
  games: gameSetups,
  makeEnv,
  teacherNetwork: TEACHER,
  inputScale: 1,
});

/** The learning curve without the wall-clock column, which no two runs share. */
const curve = (rows: readonly DistillEvaluation[]) => rows.map(({ seconds: _, ...rest }) => rest);

test('a killed run resumed from its last checkpoint repeats the uninterrupted learning curve exactly', () => {
  const uninterrupted = Distiller.create(setup(), null);
  const full = uninterrupted.run();
  uninterrupted.dispose();
  assert.equal(full.finished, true);
  assert.deepEqual(
    full.evaluations.map((r) => r.updates),
    [20, 40, 60],
  );
  // Updates start at step 32 and come every 4 steps: update n happens at step 28 + 4n.
  assert.deepEqual(
    full.evaluations.map((r) => r.steps),
    [108, 188, 268],
  );
  for (const row of full.evaluations) {
    row.scores.forEach((score, g) => {
      assert.equal(row.percentOfTeacher[g], score === null ? null : (100 * score) / 0.5);
    });
  }

  const path = join(dir, 'run.dlck');
  const checkpoints: number[] = [];
  const first = Distiller.create(setup(), path);
  const partial = first.run({
    onCheckpoint: (_, u) => checkpoints.push(u),
    shouldStop: (_, updates) => updates === 57,
  });
  first.dispose();
  assert.equal(partial.finished, false);
  assert.deepEqual(checkpoints, [25, 50]);
  const resumed = Distiller.resume(setup(), path);
  assert.equal(resumed.updates, 50);
  const rest = resumed.run();
  resumed.dispose();
  assert.deepEqual(curve(rest.evaluations), curve(full.evaluations));
});

test('the KL loss falls as the student learns its teachers (every architecture and sampler)', () => {
  const runs: [DistillConfig['architecture'], DistillConfig['sampler']][] = [
    ['proposed', { kind: 'uniform' }],
    ['dist', { kind: 'ranked', alpha: 0.6, beta: { start: 0.4, end: 1, steps: 60 } }],
    ['amn', { kind: 'proportional', alpha: 0.6, beta: { start: 0.4, end: 1, steps: 60 } }],
  ];
  for (const [architecture, sampler] of runs) {
    const distiller = Distiller.create(
      setup({ ...CONFIG, architecture, sampler, totalUpdates: 120, evaluation: { ...CONFIG.evaluation, every: 40 } }),
      null,
    );
    const losses = distiller.run().evaluations.map((r) => r.loss as number);
    distiller.dispose();
    assert.equal(losses.length, 3);
    assert.ok(losses[2] < losses[0], `${architecture}/${sampler.kind}: loss ${losses.join(' → ')}`);
  }
});

test('bad runs are refused before anything is built, naming the problem', () => {
  const refused = (config: Partial<DistillConfig>, pattern: RegExp, gameSetups = games()) =>
    assert.throws(() => Distiller.create(setup({ ...CONFIG, ...config }, gameSetups), null), pattern);
  refused(
    { architecture: 'gated' as never },
    /architecture 'gated' is not a student: expected one of proposed, dist, amn/,
  );
  refused(
    { sampler: { ...CONFIG.sampler, kind: 'greedy' as never } },
    /sampler 'greedy' does not exist: expected one of uniform, ranked, proportional, hierarchical/,
  );
  refused(
    { sampler: { ...CONFIG.sampler, partitions: 0 } },
    /H-PR needs a partition count p that is an integer >= 1, got 0/,
  );
  refused(
    { sampler: { kind: 'uniform', partitions: 5 } },
    /sampler.partitions is an H-PR setting, but the sampler is 'uniform'$/,
  );
  refused({ learningStarts: 4 }, /learningStarts must be an integer in \[batchSize = 8, memoryCapacity = 200\], got 4/);
  const [a, b] = games();
  refused({}, /test\/corridor-narrow has no teacher checkpoint \(looked for teachers\/corridor_narrow.dlck\)/, [
    a,
    { ...b, teacher: null },
  ]);
  const wrongOutputs = qNetwork('wrong', TEACHER, NARROW_SPEC.observationShape, 3, new Rng(1));
  refused(
    {},
    /test\/corridor-narrow: the teacher at teachers\/corridor_narrow.dlck has 3 outputs, the game has 2 legal actions/,
    [a, { ...b, teacher: wrongOutputs }],
  );
  const wrongInput = qNetwork('wrong', TEACHER, [6, 6, 2], 2, new Rng(1));
  refused({}, /reads 6×6×2 observations, the game gives 5×5×2/, [a, { ...b, teacher: wrongInput }]);
  const wider = qNetwork(
    'wider',
    { ...TEACHER, convs: [{ filters: 8, kernel: 3, stride: 1 }] },
    NARROW_SPEC.observationShape,
    2,
    new Rng(1),
  );
  refused({}, /one feature size: test\/corridor-narrow's teacher gives 72, test\/corridor's gives 36/, [
    a,
    { ...b, teacher: wider },
  ]);
  refused({}, /H-PR needs the teacher's value range \[V_min, V_max\] with V_min < V_max, got \[1, 1\]/, [
    a,
    { ...b, valueRange: [1, 1] },
  ]);
  refused({}, /students as % of it, got 0/, [a, { ...b, teacherScore: 0 }]);
});

test('a diverging run stops with the update and its last good checkpoint, which stays as it was', () => {
  const dir = mkdtempSync(join(tmpdir(), 'distill-diverge-'));
  const path = join(dir, 'checkpoint.dlck');
  // A bound so tight that the first loss above the previous update's counts as diverged (KL losses fall and rise
  // from batch to batch), with a checkpoint after every update.
  const config: DistillConfig = {
    ...CONFIG,
    divergence: { factor: 1.01, window: 1, minLoss: 0 },
    checkpointEvery: 1,
  };
  const distiller = Distiller.create(setup(config), path);
  try {
    assert.throws(
      () => distiller.run(),
      (error: unknown) => {
        assert.ok(error instanceof DivergenceError, String(error));
        assert.equal(error.lastCheckpoint?.path, path);
        assert.ok(error.update > 1, `update ${error.update}`);
        assert.equal(error.lastCheckpoint?.step, error.update - 1);
        assert.match(error.message, new RegExp(`^training diverged at update ${error.update}: `));
        // The checkpoint holds the update it names, not the diverged one.
        const resumed = Distiller.resume(setup(config), path);
        assert.equal(resumed.updates, error.lastCheckpoint?.step);
        resumed.dispose();
        return true;
      },
    );
  } finally {
    distiller.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a non-finite loss stops the run with DivergenceError, before the samplers see its priorities', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'distill-nan-'));
  const path = join(dir, 'checkpoint.dlck');
  const samplers: DistillConfig['sampler'][] = [
    CONFIG.sampler,
    { kind: 'uniform' },
    { kind: 'ranked', alpha: 0.6, beta: { start: 0.4, end: 1, steps: 60 } },
    { kind: 'proportional', alpha: 0.6, beta: { start: 0.4, end: 1, steps: 60 } },
  ];
  try {
    for (const sampler of samplers) {
      const distiller = Distiller.create(setup({ ...CONFIG, sampler, checkpointEvery: 2 }), path);
      // From update 5 on the student has diverged: its loss and every q_S are NaN, as after an overflowing step.
      let updates = 0;
      const update = distiller.updater.update.bind(distiller.updater);
      t.mock.method(distiller.updater, 'update', (batches: Parameters<typeof update>[0]) => {
        const result = update(batches);
        return ++updates < 5 ? result : { loss: Number.NaN, studentQ: result.studentQ.map(() => Number.NaN) };
      });
      try {
        assert.throws(() => distiller.run(), {
          name: 'DivergenceError',
          message:
            `training diverged at update 5: its loss is NaN; training stopped. The last good checkpoint is ${path} ` +
            '(step 4), kept as it was. Lower the learning rate (the same settings are likely to diverge again), or ' +
            'raise divergence.factor if such jumps are expected.',
        });
      } finally {
        distiller.dispose();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a run checkpoint keeps the names earlier versions wrote, so that their files still resume', () => {
  const dir = mkdtempSync(join(tmpdir(), 'distill-names-'));
  const path = join(dir, 'checkpoint.dlck');
  const distiller = Distiller.create(
    setup({ ...CONFIG, totalUpdates: 5, checkpointEvery: 5, evaluation: { ...CONFIG.evaluation, every: 5 } }),
    path,
  );
  try {
    distiller.run();
    const { meta, arrays } = readCheckpoint(path, DISTILL_CHECKPOINT_KIND);
    const entries = meta as Record<string, object>;
    const keys = 'config counters episodes evaluations gameIds lossHistory optimizerSteps replay rng';
    assert.equal(Object.keys(entries).sort().join(' '), keys);
    assert.deepEqual(Object.keys(entries.rng), ['act', 'evaluation']);
    assert.deepEqual(
      (entries.replay as object[]).map((scalars) => Object.keys(scalars)),
      [
        ['memory', 'sampler'],
        ['memory', 'sampler'],
      ],
    );
    // The memories and samplers name the arrays under their prefixes themselves (src/replay).
    assert.deepEqual(
      Object.keys(arrays)
        .filter((name) => !/^replay\/[01]\/(memory|sampler)\//.test(name))
        .sort(),
      [
        'episode/0/actions',
        'episode/1/actions',
        'optimizer/meanGradient',
        'optimizer/meanSquare',
        ...distiller.student.variableNames.map((name) => `student/${name}`).sort(),
      ],
    );
  } finally {
    distiller.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("rewards outside the memory's int8 range (Atari's scores) are stored clipped, as DQN stores them", () => {
  // The corridor pays 200 at its end, as Atari games pay raw scores in the evaluation protocol the students act in.
  class RichCorridor extends CorridorEnv {
    override step(action: number, obs: Uint8Array) {
      const result = super.step(action, obs);
      return { ...result, reward: 200 * result.reward };
    }
  }
  const distiller = Distiller.create(
    {
      ...setup({ ...CONFIG, totalUpdates: 20, evaluation: { ...CONFIG.evaluation, every: 20 } }),
      makeEnv: (_, seed) => new RichCorridor(seed),
    },
    null,
  );
  try {
    const result = distiller.run();
    assert.equal(result.updates, 20);
  } finally {
    distiller.dispose();
  }
});
