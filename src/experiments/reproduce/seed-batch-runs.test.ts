import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { DistillEvaluation } from '../../distill/distiller';
import { MINATAR_GAMES } from '../../env/minatar';
import { reproduce, resolveRuns } from './reproduce';
import { distillRunDirectory, type PlannedRun, readFinishedEvaluations } from './run';
import { writeFixtureTeachers } from './teacher-fixtures';
import { loadSuiteTeachers } from './teachers';

const dir = mkdtempSync(join(tmpdir(), 'seed-batch-runs-'));
const previousDataDir = process.env.DISTILL_LAB_DATA_DIR;
after(() => {
  if (previousDataDir === undefined) delete process.env.DISTILL_LAB_DATA_DIR;
  else process.env.DISTILL_LAB_DATA_DIR = previousDataDir;
  rmSync(dir, { recursive: true, force: true });
});
// The five MinAtar games: the seed-batched graphs are exported for the students of all five.
const teachersRoot = join(dir, 'teachers');
writeFixtureTeachers(teachersRoot, MINATAR_GAMES);
const PLAN = {
  suite: 'minatar',
  preset: 'smoke',
  teachersRoot,
  only: ['proposed-uniform'],
  seeds: 3,
  figures: false,
  log: () => {},
} as const;

/** Each run's evaluations and how its config.json says it trained, under data folder `data`. */
async function trained(data: string, options: { seedBatch: number; jobs?: number }) {
  process.env.DISTILL_LAB_DATA_DIR = data;
  const ended: PlannedRun[] = [];
  const result = await reproduce({ ...PLAN, ...options, onRunEnd: (_i, _n, run) => ended.push(run) });
  assert.equal(result.trained, 3);
  return ended
    .sort((a, b) => a.seed - b.seed)
    .map((run) => {
      const folder = distillRunDirectory(run);
      const config = JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8'));
      return { name: run.name, evaluations: readFinishedEvaluations(folder), seedBatch: config.runtime.seedBatch };
    });
}

/** The evaluations without the wall-clock column; losses to float rounding (the batched products add in another order). */
function assertSameRuns(batched: readonly DistillEvaluation[], solo: readonly DistillEvaluation[]): void {
  assert.equal(batched.length, solo.length);
  batched.forEach(({ seconds: _s, loss, ...row }, i) => {
    const { seconds: _t, loss: soloLoss, ...soloRow } = solo[i];
    assert.deepEqual(row, soloRow);
    assert.ok(Math.abs((loss as number) - (soloLoss as number)) <= 1e-4 * (soloLoss as number), `loss ${i}`);
  });
}

test('reproduce --seed-batch 3 in a child process trains the same runs, in the same folders, as one at a time', async () => {
  const solo = await trained(join(dir, 'solo'), { seedBatch: 1 });
  const batched = await trained(join(dir, 'batched'), { seedBatch: 3, jobs: 1 });
  assert.deepEqual(
    batched.map((r) => r.name),
    solo.map((r) => r.name),
  );
  assert.deepEqual(
    [...solo, ...batched].map((r) => r.seedBatch),
    [1, 1, 1, 3, 3, 3],
  );
  batched.forEach((run, s) => {
    assertSameRuns(run.evaluations, solo[s].evaluations);
  });
  // The seeds differ, so a batch that trained one seed three times would not pass.
  assert.notDeepEqual(solo[0].evaluations[1].scores, solo[1].evaluations[1].scores);
});

test('--seed-batch is refused before anything runs where no seed-batched graph fits the plan', async () => {
  process.env.DISTILL_LAB_DATA_DIR = join(dir, 'refused');
  await assert.rejects(reproduce({ ...PLAN, games: ['breakout', 'freeway'], seedBatch: 2 }), {
    name: 'RangeError',
    message:
      /^--seed-batch 2: run proposed-uniform-seed0-[0-9a-f]{10} cannot: no seed-batched graph was exported for a proposed student of 2 games with 3 dense layers/,
  });
});

test("without --seed-batch a plan takes its preset's seed batch, or 1 where no seed-batched graph fits", () => {
  const seedBatchOf = (options: {
    preset: 'smoke' | 'quick' | 'full';
    games?: string[];
    seedBatch?: number;
    jobs?: number;
    seeds?: number;
  }) => {
    const games = options.games ?? MINATAR_GAMES.map(String);
    const teachers = loadSuiteTeachers('minatar', games, teachersRoot);
    return resolveRuns({ ...PLAN, ...options }, teachers).seedBatch;
  };
  assert.equal(seedBatchOf({ preset: 'quick', seeds: 5 }), 5);
  assert.equal(seedBatchOf({ preset: 'full', seeds: 10 }), 5);
  assert.equal(seedBatchOf({ preset: 'smoke' }), 1);
  assert.equal(seedBatchOf({ preset: 'quick', seedBatch: 3 }), 3);
  // Two games have no seed-batched graph: the preset's default gives way; an explicit --seed-batch is refused above.
  assert.equal(seedBatchOf({ preset: 'quick', games: ['breakout', 'freeway'] }), 1);
  // A batch holds at most the plan's seeds of a variant (PLAN has 3).
  assert.equal(seedBatchOf({ preset: 'quick', seedBatch: 5 }), 3);
  // 1,000 processes of three seeds' memories do not fit: the default gives way, an explicit size is refused.
  assert.equal(seedBatchOf({ preset: 'quick', jobs: 1_000 }), 1);
  assert.throws(() => seedBatchOf({ preset: 'quick', jobs: 1_000, seedBatch: 3 }), /--seed-batch = 3 .*at most/);
});
