import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Env } from '../env/types';
import { readScalarEvents, TensorBoardLog } from '../log/tensorboard';
import { CorridorEnv } from '../train/corridor-env';
import type { DistillConfig } from './config';
import { CORRIDOR_CONFIG, CORRIDOR_SPECS, CORRIDOR_TEACHER, corridorGames, NarrowCorridor } from './corridor-games';
import { type DistillEvaluation, Distiller, type DistillProgress } from './distiller';
import { withTensorBoard } from './tensorboard-hooks';

const dir = mkdtempSync(join(tmpdir(), 'distill-tensorboard-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const GAMES = CORRIDOR_SPECS.map((s) => s.game);
const games = corridorGames;
const TEACHER = CORRIDOR_TEACHER;
const CONFIG: DistillConfig = {
  ...CORRIDOR_CONFIG,
  totalUpdates: 100,
  sampler: { ...CORRIDOR_CONFIG.sampler, inner: 'ranked', beta: { start: 0.4, end: 1, steps: 100 } },
  // An evaluation at every progress report (PROGRESS_EVERY = 50): both then average the same updates' losses.
  evaluation: { ...CORRIDOR_CONFIG.evaluation, every: 50 },
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
