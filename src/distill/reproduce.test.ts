import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { makeMinatarEnv } from '../env/minatar';
import { publishedDqn, writeTeacherEvaluation } from '../experiments/teacher-evaluation';
import { type QNetworkSpec, qNetwork } from '../nn/qnetwork';
import { readTable } from '../tables';
import { saveTeacher } from '../train/teacher-file';
import { Rng } from '../util/rng';
import { distillFigures, distillFiguresFromTables } from './figures';
import { reproducePlan } from './presets';
import { planRuns, reproduce, stageDirectory } from './reproduce';
import { ARCHITECTURES_TABLE, DISTILL_CURVES_TABLE, GEOMETRIC_MEAN_ROW, THRESHOLDS_TABLE } from './reproduce-tables';
import { distillRunDirectory } from './run';
import { STATE_DISTRIBUTION_TABLE } from './value-ranges';

const dir = mkdtempSync(join(tmpdir(), 'reproduce-'));
const previousDataDir = process.env.DISTILL_LAB_DATA_DIR;
process.env.DISTILL_LAB_DATA_DIR = join(dir, 'data');
after(() => {
  if (previousDataDir === undefined) delete process.env.DISTILL_LAB_DATA_DIR;
  else process.env.DISTILL_LAB_DATA_DIR = previousDataDir;
  rmSync(dir, { recursive: true, force: true });
});

const GAMES = ['breakout', 'freeway'];
const NETWORK: QNetworkSpec = { convs: [{ filters: 4, kernel: 3, stride: 1 }], hidden: [8] };
const teachersRoot = join(dir, 'teachers');
const protocol = { seed: 0, episodes: 2, epsilon: 0.05, maxNoops: 30, maxEpisodeSteps: 100 };
// Untrained teachers with made-up scores: the pipeline's mechanics, not its numbers, are under test.
GAMES.forEach((game, i) => {
  const spec = makeMinatarEnv(game).spec;
  const network = qNetwork('online', NETWORK, spec.observationShape, spec.legalActions.length, new Rng(i));
  saveTeacher(join(teachersRoot, game, 'teacher.dlck'), network, {
    envId: spec.id,
    suite: 'minatar',
    game,
    observationShape: spec.observationShape,
    legalActions: spec.legalActions,
    network: NETWORK,
    inputScale: 1,
    trainedSteps: 0,
    finalEvaluation: { protocol, episodes: 2, meanReturn: 2, ci95: [1, 3], truncatedEpisodes: 0 },
    run: null,
    command: 'test',
  });
  writeTeacherEvaluation(join(teachersRoot, game), {
    suite: 'minatar',
    game,
    algorithm: 'dqn',
    frames: 0,
    protocol,
    episodes: 2,
    meanReturn: 2,
    ci95: [1, 3],
    truncatedEpisodes: 0,
    randomPolicyReturn: 0,
    randomPolicyCi95: [0, 0],
    withoutNoopStarts: { episodes: 2, meanReturn: 2, ci95: [1, 3], truncatedEpisodes: 0 },
    published: publishedDqn('minatar', game),
  });
});

const options = {
  suite: 'minatar',
  preset: 'smoke',
  games: GAMES,
  teachersRoot,
  figures: false,
  log: () => {},
} as const;

test('reproduce --preset smoke: stops like a kill, resumes in child processes, skips finished runs and writes every table', async () => {
  const runs = planRuns('minatar', 'smoke', reproducePlan('smoke'));
  // 3 architectures + ranked + H-PR p = 5 (shared with Figure 5) + H-PR p = 10, one seed each.
  assert.deepEqual(
    runs.map((r) => `${r.variant.architecture}/${r.variant.sampler}/${r.variant.partitions ?? '-'}`),
    [
      'proposed/uniform/-',
      'dist/uniform/-',
      'amn/uniform/-',
      'proposed/ranked/-',
      'proposed/hierarchical/5',
      'proposed/hierarchical/10',
    ],
  );
  let polls = 0;
  const stopped = await reproduce({ ...options, shouldStop: () => ++polls > 400 });
  assert.equal(stopped.finished, false);
  // The rest in two child processes at a time (`--jobs 2`): the interrupted run resumes from its checkpoint there.
  const done = await reproduce({ ...options, jobs: 2 });
  assert.equal(done.finished, true);
  assert.equal(done.skipped + done.trained, runs.length);
  assert.ok(done.skipped >= 1 && done.trained >= 1, JSON.stringify(done));
  assert.ok(existsSync(join(stageDirectory('minatar', 'smoke'), 'value-ranges.arrow')));

  const again = await reproduce(options);
  assert.deepEqual([again.trained, again.skipped], [0, runs.length]);

  const curves = readTable(DISTILL_CURVES_TABLE).objects() as { updates: number }[];
  // 6 runs × 2 evaluations (updates 10 and 20) × 2 games.
  assert.equal(curves.length, 6 * 2 * 2);
  const table1 = readTable(ARCHITECTURES_TABLE).objects() as { game: string; architecture: string }[];
  assert.deepEqual(
    table1.map((r) => `${r.architecture}:${r.game}`),
    ['proposed', 'dist', 'amn'].flatMap((a) => [...GAMES, GEOMETRIC_MEAN_ROW].map((g) => `${a}:${g}`)),
  );
  const thresholds = readTable(THRESHOLDS_TABLE).objects() as { sampler: string }[];
  assert.equal(thresholds.length, GAMES.length * 3);
  assert.equal(readTable(STATE_DISTRIBUTION_TABLE).numRows(), GAMES.length * 3 * 10);

  // Every figure builds from the written tables (exporting them needs Chromium and is left to `reproduce`).
  const plan = reproducePlan('smoke');
  const entries = distillFigures(GAMES, plan.partitions, plan.defaultPartitions);
  // `npm run figures` finds the same figures from the tables alone.
  assert.deepEqual(
    distillFiguresFromTables().map((e) => e.name),
    entries.map((e) => e.name),
  );
  for (const entry of entries) {
    const tables = Object.fromEntries(
      Object.entries(entry.tables).map(([name, columns]) => [name, readTable(name, columns)]),
    );
    assert.ok(entry.build(tables).data.length > 0, entry.name);
  }
});

test('a changed setting or other teachers never reuse a finished run: refused before anything trains', async () => {
  // The previous test left every smoke run finished in the data folder.
  const before = readTable(DISTILL_CURVES_TABLE).objects();
  const firstRun = distillRunDirectory(planRuns('minatar', 'smoke', reproducePlan('smoke'))[0]);
  await assert.rejects(reproduce({ ...options, overrides: [{ tau: 0.05 }] }), {
    message: `${firstRun} holds a run with other settings (it differs in config.tau); a changed run is a different run: move that folder away, or set DISTILL_LAB_DATA_DIR to another data folder to keep both`,
  });
  // Other teachers: the value ranges they measured are refused first.
  const evaluation = join(teachersRoot, 'freeway', 'evaluation.json');
  const original = readFileSync(evaluation, 'utf8');
  writeFileSync(evaluation, original.replace('"meanReturn": 2,', '"meanReturn": 3,'));
  try {
    await assert.rejects(reproduce(options), {
      message: new RegExp(
        `^${stageDirectory('minatar', 'smoke')}: its value ranges were measured with other teachers or games`,
      ),
    });
  } finally {
    writeFileSync(evaluation, original);
  }
  assert.deepEqual(readTable(DISTILL_CURVES_TABLE).objects(), before);
});
