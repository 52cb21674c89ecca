import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Env, EnvSpec } from '../env/types';
import { readScalarEvents, TensorBoardLog } from '../log/tensorboard';
import { type QNetworkSpec, qNetwork } from '../nn/qnetwork';
import { CORRIDOR_SPEC, CorridorEnv } from '../train/corridor-env';
import { DEFAULT_DIVERGENCE } from '../train/divergence';
import { Rng } from '../util/rng';
import type { DistillConfig, GameSetup } from './config';
import { type DistillEvaluation, Distiller, type DistillProgress } from './distiller';
import { withTensorBoard } from './tensorboard-hooks';

const dir = mkdtempSync(join(tmpdir(), 'distill-tensorboard-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const NARROW_SPEC: EnvSpec = {
  ...CORRIDOR_SPEC,
  id: 'test/corridor-narrow',
  game: 'corridor_narrow',
  legalActions: [0, 2],
};
class NarrowCorridor extends CorridorEnv {
  override readonly spec = NARROW_SPEC;
}
const SPECS = [CORRIDOR_SPEC, NARROW_SPEC];
const GAMES = SPECS.map((s) => s.game);
const TEACHER: QNetworkSpec = { convs: [{ filters: 4, kernel: 3, stride: 1 }], hidden: [16] };
const games = (): GameSetup[] =>
  SPECS.map((spec, g) => ({
    spec,
    teacher: qNetwork(`teacher${g}`, TEACHER, spec.observationShape, spec.legalActions.length, new Rng(20 + g)),
    teacherPath: `teachers/${spec.game}.dlck`,
    teacherScore: 0.5,
    valueRange: [-0.5, 0.5],
  }));

const CONFIG: DistillConfig = {
  seed: 5,
  architecture: 'proposed',
  hidden: [16, 8],
  freezeTorso: false,
  totalUpdates: 100,
  updateEvery: 4,
  learningStarts: 32,
  batchSize: 8,
  memoryCapacity: 200,
  sampler: {
    kind: 'hierarchical',
    partitions: 3,
    inner: 'ranked',
    alpha: 0.6,
    beta: { start: 0.4, end: 1, steps: 100 },
  },
  tau: 0.1,
  optimizer: { learningRate: 1e-3, decay: 0.95, epsilon: 0.01, centered: true },
  epsilon: { start: 1, end: 0.1, decaySteps: 200 },
  // An evaluation at every progress report (PROGRESS_EVERY = 50): both then average the same updates' losses.
  evaluation: { every: 50, episodes: 2, epsilon: 0.05, maxNoops: 3, maxEpisodeSteps: 40 },
  maxEpisodeSteps: null,
  checkpointEvery: 25,
  divergence: DEFAULT_DIVERGENCE,
};

/** Runs `config` with its scalars logged to `name`/tensorboard; the reports, evaluations and events. */
function loggedRun(name: string, config: DistillConfig) {
  const gameSetups = games();
  const distiller = Distiller.create(
    {
      config,
      games: gameSetups,
      makeEnv: (game: number, seed: number): Env => (game === 0 ? new CorridorEnv(seed) : new NarrowCorridor(seed)),
      teacherNetwork: TEACHER,
      inputScale: 1,
    },
    null,
  );
  const log = new TensorBoardLog(join(dir, name));
  const reports: DistillProgress[] = [];
  let evaluations: readonly DistillEvaluation[] = [];
  try {
    distiller.run(
      withTensorBoard(log, gameSetups, {
        onProgress: (p) => reports.push(p),
        onEvaluation: (_, rows) => {
          evaluations = rows;
        },
      }),
    );
  } finally {
    log.close();
    distiller.dispose();
  }
  const events = readScalarEvents(log.logdir);
  const series = (tag: string) => events.filter((e) => e.tag === tag).map((e) => [e.step, e.value]);
  return { reports, evaluations, tags: [...new Set(events.map((e) => e.tag))].sort(), series };
}

/** [step, float32 value] pairs of the non-null values. */
const expected = (values: [number, number | null][]) =>
  values.filter(([, v]) => v !== null).map(([step, v]) => [step, Math.fround(v as number)]);

test('a distillation run logs loss, ε, learning rate, scores and % of teacher per game, and H-PR batch statistics', () => {
  const { reports, evaluations, tags, series } = loggedRun('hierarchical', CONFIG);
  const perGame = ['eval/percent_of_teacher', 'eval/score', 'replay/is_weight_mean', 'replay/is_weight_min'];
  const priority = ['replay/priority_max', 'replay/priority_mean'];
  assert.deepEqual(
    tags,
    [
      ...[...perGame, ...priority].flatMap((prefix) => GAMES.map((game) => `${prefix}/${game}`)),
      'train/epsilon',
      'train/learning_rate',
      'train/loss',
    ].sort(),
  );
  assert.deepEqual(
    reports.map((p) => p.updates),
    [50, 100],
  );
  assert.deepEqual(
    reports.map((p) => p.loss),
    evaluations.map((r) => r.loss),
  );
  assert.deepEqual(series('train/loss'), expected(reports.map((p) => [p.updates, p.loss])));
  assert.deepEqual(series('train/epsilon'), expected(reports.map((p) => [p.updates, p.epsilon])));
  assert.deepEqual(series('train/learning_rate'), expected(reports.map((p) => [p.updates, 1e-3])));
  GAMES.forEach((game, g) => {
    assert.deepEqual(series(`eval/score/${game}`), expected(evaluations.map((r) => [r.updates, r.scores[g]])));
    assert.deepEqual(
      series(`eval/percent_of_teacher/${game}`),
      expected(evaluations.map((r) => [r.updates, r.percentOfTeacher[g]])),
    );
    const stats = reports.map((p) => ({ updates: p.updates, s: p.replay?.[g] }));
    assert.deepEqual(
      series(`replay/priority_mean/${game}`),
      expected(stats.map((x) => [x.updates, x.s?.priorityMean ?? null])),
    );
    assert.deepEqual(
      series(`replay/priority_max/${game}`),
      expected(stats.map((x) => [x.updates, x.s?.priorityMax ?? null])),
    );
    assert.deepEqual(
      series(`replay/is_weight_mean/${game}`),
      expected(stats.map((x) => [x.updates, x.s?.weightMean ?? null])),
    );
    assert.deepEqual(
      series(`replay/is_weight_min/${game}`),
      expected(stats.map((x) => [x.updates, x.s?.weightMin ?? null])),
    );
    for (const { s } of stats) {
      assert.ok(s !== undefined);
      // Weights are normalised by the batch maximum; priorities are positive.
      assert.ok(s.weightMin > 0 && s.weightMin <= s.weightMean && s.weightMean <= 1, JSON.stringify(s));
      assert.ok(s.priorityMean > 0 && s.priorityMean <= s.priorityMax, JSON.stringify(s));
    }
  });
});

test('the uniform sampler logs no replay statistics', () => {
  const { reports, tags } = loggedRun('uniform', { ...CONFIG, sampler: { kind: 'uniform' } });
  assert.deepEqual(
    reports.map((p) => p.replay),
    [null, null],
  );
  assert.equal(tags.filter((t) => t.startsWith('replay/')).length, 0);
  assert.ok(tags.includes('train/loss') && tags.includes(`eval/score/${GAMES[1]}`));
});
