import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { readTable } from '../../tables';
import { displayPath, figuresDir, tablesDir } from '../../util/paths';
import { LOCK_FILE } from '../../util/run-lock';
import { CLAIMS_TABLE } from './claims';
import { distillFigures, distillFiguresFromTables, presetFiguresFromTables } from './figures';
import { writeFinishedCurves, writeFinishedResults } from './notebook';
import { reproducePlan } from './presets';
import {
  planRuns,
  preparePipeline,
  reproduce,
  resolveRuns,
  resultDirectories,
  stageDirectory,
  valueRangeDirectory,
} from './reproduce';
import {
  ARCHITECTURES_TABLE,
  DISTILL_CURVES_TABLE,
  GEOMETRIC_MEAN_ROW,
  RETURNS_TABLE,
  THRESHOLDS_TABLE,
} from './reproduce-tables';
import { MEASURES } from './results';
import { RESULTS_RUNS_FILE } from './results-folder';
import { distillRunDirectory } from './run';
import { writeFixtureTeachers } from './teacher-fixtures';
import { loadSuiteTeachers } from './teachers';
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
const teachersRoot = join(dir, 'teachers');
writeFixtureTeachers(teachersRoot, GAMES);

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
  const out = dirname(done.tables[0]);
  assert.ok(existsSync(join(preparePipeline(options).stage, 'value-ranges.arrow')));

  const again = await reproduce(options);
  assert.deepEqual([again.trained, again.skipped], [0, runs.length]);

  const curves = readTable(DISTILL_CURVES_TABLE, [], out).objects() as { updates: number }[];
  // 6 runs × 2 evaluations (updates 10 and 20) × 2 games.
  assert.equal(curves.length, 6 * 2 * 2);
  // The curves carry each teacher's interval (the fixtures' evaluation.json: 2 [1, 3]).
  assert.deepEqual(
    [
      ...new Set(
        curves.map(
          (r) => `${(r as Record<string, unknown>).teacher_ci_low}-${(r as Record<string, unknown>).teacher_ci_high}`,
        ),
      ),
    ],
    ['1-3'],
  );
  const table1 = readTable(ARCHITECTURES_TABLE, [], out).objects() as {
    game: string;
    architecture: string;
    measure: string;
  }[];
  assert.deepEqual(
    table1.map((r) => `${r.architecture}:${r.game}:${r.measure}`),
    ['proposed', 'dist', 'amn'].flatMap((a) =>
      [...GAMES, GEOMETRIC_MEAN_ROW].flatMap((g) => MEASURES.map((m) => `${a}:${g}:${m}`)),
    ),
  );
  // Three samplers per game, then each sampler's row over the slow games.
  const thresholds = readTable(THRESHOLDS_TABLE, [], out).objects() as { sampler: string }[];
  assert.equal(thresholds.length, GAMES.length * 3 + 3);
  // The claims, from those tables: one seed gives no interval, so no claim is decided; the plan is complete.
  const claims = readTable(CLAIMS_TABLE, [], out).objects() as { verdict: string; plan: string }[];
  assert.equal(claims.length, 10);
  assert.equal(claims[0].plan, 'minatar smoke: 6 variants × 1 seed (0); the plan is complete.');
  assert.ok(existsSync(join(out, 'claims.md')));
  assert.ok(
    claims.every((c) => c.verdict === 'inconclusive at this power'),
    JSON.stringify(claims.map((c) => c.verdict)),
  );
  assert.equal(done.summary[0], '**The paper’s claims against these runs** (Yin & Pan 2017)');
  assert.ok(existsSync(join(out, `${RETURNS_TABLE}.arrow`)));
  assert.equal(readTable(STATE_DISTRIBUTION_TABLE, [], out).numRows(), GAMES.length * 3 * 10);

  // Every figure builds from the written tables (exporting them needs Chromium and is left to `reproduce`).
  const plan = reproducePlan('smoke');
  const entries = distillFigures(GAMES, plan.partitions, plan.defaultPartitions);
  // One figure per figure of the paper, a panel per game and one for the suite.
  assert.deepEqual(
    entries.map((e) => e.name),
    ['figure2-state-distribution', 'figure3-architectures', 'figure4-samplers', 'figure5-partitions'],
  );
  // `npm run figures` finds the same figures from the tables alone.
  assert.deepEqual(
    distillFiguresFromTables(out).map((e) => e.name),
    entries.map((e) => e.name),
  );
  // …and finds that folder among its siblings (as data/tables/SUITE-PRESET/), bound for the figures folder of the
  // same name; a sibling without curves (the figures folder) draws nothing.
  assert.deepEqual(
    presetFiguresFromTables(dirname(out), '/figures').map((group) => [
      group.tables,
      group.figures,
      group.entries.map((e) => e.name),
    ]),
    [[out, join('/figures', basename(out)), entries.map((e) => e.name)]],
  );
  for (const entry of entries) {
    const tables = Object.fromEntries(
      Object.entries(entry.tables).map(([name, columns]) => [name, readTable(name, columns, out)]),
    );
    const figure = entry.build(tables);
    assert.ok(figure.data.length > 0, entry.name);
    // Every game's panel and the suite's.
    assert.equal((figure.layout.annotations as unknown[]).length, GAMES.length + 1, entry.name);
  }
});

test("a changed setting is a different run: new folders, finished runs kept, an ablation's tables in its own folder", async () => {
  // The previous test left every smoke run finished, and the plan's tables in their folder.
  const pipeline = preparePipeline(options);
  const planTables = resultDirectories(pipeline).tables;
  // A preset's own plan keeps its results in a folder of its own, beside the other presets'.
  assert.deepEqual(resultDirectories({ suite: 'minatar', preset: 'quick', runs: [], isPresetPlan: true }), {
    tables: join(tablesDir(), 'minatar-quick'),
    figures: join(figuresDir(), 'minatar-quick'),
  });
  const before = readTable(DISTILL_CURVES_TABLE, [], planTables).objects();
  // A notebook's table writes take the lock `reproduce` takes: refused while another live process (here the test
  // runner's parent) holds the folder.
  const holder = { pid: process.ppid, host: hostname(), since: new Date().toISOString() };
  writeFileSync(join(planTables, LOCK_FILE), JSON.stringify(holder));
  const locked = `${displayPath(planTables)} is in use by another distill-lab process (PID ${holder.pid} on ${holder.host}, since ${holder.since}); wait for it to finish or stop it, then run this command again`;
  assert.throws(() => writeFinishedResults(pipeline), { name: 'FolderLockedError', message: locked });
  assert.throws(() => writeFinishedCurves(pipeline), { name: 'FolderLockedError', message: locked });
  rmSync(join(planTables, LOCK_FILE));
  const written = writeFinishedResults(pipeline);
  assert.deepEqual([...new Set(written.map((path) => dirname(path)))], [planTables]);
  assert.ok(written.includes(join(planTables, `${DISTILL_CURVES_TABLE}.arrow`)), written.join(', '));
  assert.equal(existsSync(join(planTables, LOCK_FILE)), false);
  assert.deepEqual(readTable(DISTILL_CURVES_TABLE, [], planTables).objects(), before);
  const ablation = await reproduce({
    ...options,
    only: ['proposed-uniform', 'proposed-ranked'],
    overrides: [{ tau: 0.05 }],
  });
  assert.deepEqual([ablation.trained, ablation.skipped], [2, 0]);
  const ablationTables = dirname(ablation.tables[0]);
  assert.notEqual(ablationTables, planTables);
  assert.deepEqual(
    (readTable(DISTILL_CURVES_TABLE, [], ablationTables).objects() as { sampler: string }[]).map((r) => r.sampler),
    [...Array(4).fill('uniform'), ...Array(4).fill('ranked')],
  );
  assert.deepEqual(readTable(DISTILL_CURVES_TABLE, [], planTables).objects(), before);
  // A setting only H-PR reads retrains H-PR's runs and reuses the rest.
  const inner = await reproduce({ ...options, overrides: [{ sampler: { inner: 'proportional' } }] });
  assert.deepEqual([inner.trained, inner.skipped], [2, 4]);

  // Keys the plan sets per run are refused, saying what to do instead, before anything is written.
  const stage = stageDirectory('minatar', 'smoke');
  const folders = readdirSync(stage).sort();
  await assert.rejects(reproduce({ ...options, overrides: [{ architecture: 'amn' }] }), {
    message:
      "'architecture' cannot be overridden: the plan sets the architecture per variant; pick variants with --only",
  });
  await assert.rejects(reproduce({ ...options, overrides: [{ sampler: { kind: 'ranked' } }] }), {
    message: "'sampler.kind' cannot be overridden: the plan sets the sampler per variant; pick variants with --only",
  });
  await assert.rejects(reproduce({ ...options, overrides: [{ seed: 5 }] }), {
    message: "'seed' cannot be overridden: the plan sets the seed per run; choose how many with --seeds",
  });
  await assert.rejects(reproduce({ ...options, only: ['proposed-hpr'] }), {
    message:
      "unknown variant 'proposed-hpr' in --only: the plan's variants are proposed-uniform, dist-uniform, amn-uniform, proposed-ranked, proposed-hpr-p5, proposed-hpr-p10",
  });
  await assert.rejects(reproduce({ ...options, seeds: 0 }), {
    message: '--seeds must be an integer in [1, 1000], got 0',
  });
  assert.deepEqual(readdirSync(stage).sort(), folders);

  // Other teachers (one score changed) name every run anew and measure their own value ranges.
  const teachers = () => loadSuiteTeachers('minatar', GAMES, teachersRoot);
  const names = resolveRuns(options, teachers()).runs.map((r) => r.name);
  const evaluation = join(teachersRoot, 'freeway', 'evaluation.json');
  const original = readFileSync(evaluation, 'utf8');
  writeFileSync(evaluation, original.replace('"meanReturn": 2,', '"meanReturn": 3,'));
  try {
    const renamed = resolveRuns(options, teachers()).runs.map((r) => r.name);
    assert.equal(renamed.filter((name) => names.includes(name)).length, 0);
    assert.notEqual(valueRangeDirectory('minatar', 'smoke', teachers()), pipeline.stage);
  } finally {
    writeFileSync(evaluation, original);
  }

  // A folder whose recorded fingerprint disagrees (here its value ranges) is refused, not reused.
  const config = join(distillRunDirectory(pipeline.runs[0]), 'config.json');
  const stored = readFileSync(config, 'utf8');
  writeFileSync(config, stored.replace(/"valueRanges": \[\s*\[\s*(-?[\d.e-]+)/, '"valueRanges": [[ 123'));
  try {
    await assert.rejects(reproduce(options), {
      message: `${distillRunDirectory(pipeline.runs[0])} holds a run with other settings (it differs in valueRanges.0.0); a changed run is a different run: move that folder away, or set DISTILL_LAB_DATA_DIR to another data folder to keep both`,
    });
  } finally {
    writeFileSync(config, stored);
  }
});

test('--name keeps a plan’s results in data/tables/NAME, refusing other runs there and the presets’ own folders', async () => {
  // The runs of the ablation above are finished: naming its results trains nothing and writes only tables.
  const study = { ...options, only: ['proposed-uniform', 'proposed-ranked'], overrides: [{ tau: 0.05 }] };
  const named = await reproduce({ ...study, resultsName: 'tau-study' });
  assert.deepEqual([named.trained, named.skipped], [0, 2]);
  const tables = join(tablesDir(), 'tau-study');
  assert.equal(dirname(named.tables[0]), tables);
  const listed = readFileSync(join(tables, RESULTS_RUNS_FILE), 'utf8').split('\n');
  assert.deepEqual(
    listed.map((name) => name.replace(/-[0-9a-f]{10}$/, '')),
    ['proposed-uniform-seed0', 'proposed-ranked-seed0', ''],
  );
  // The same plan again rewrites its tables; another plan under the name is refused before anything is written.
  assert.equal((await reproduce({ ...study, resultsName: 'tau-study' })).skipped, 2);
  const written = readdirSync(tables).sort();
  await assert.rejects(reproduce({ ...study, overrides: [{ tau: 0.1 }], resultsName: 'tau-study' }), {
    message: new RegExp(
      `^${displayPath(tables)} holds the results of runs outside this plan \\(${listed[0]}, ${listed[1]}\\); choose another --name, or remove the folder to replace them$`,
    ),
  });
  await assert.rejects(
    reproduce({ ...study, only: ['proposed-uniform', 'proposed-ranked', 'dist-uniform'], resultsName: 'tau-study' }),
    {
      message: `${displayPath(tables)} holds the results of 2 of these 3 runs only; choose another --name, or remove the folder to replace them`,
    },
  );
  assert.deepEqual(readdirSync(tables).sort(), written);
  await assert.rejects(reproduce({ ...study, resultsName: 'minatar-smoke' }), {
    message: "--name minatar-smoke: that folder holds the minatar smoke preset's own results; name this plan otherwise",
  });
  await assert.rejects(reproduce({ ...study, resultsName: 'Tau study' }), {
    message:
      "--name 'Tau study' is not a folder name: expected lowercase letters, digits and dashes, starting with a letter or digit",
  });
  // The list is written with the tables: a plan stopped before them leaves none to refuse its next start with.
  const stopped = await reproduce({
    ...study,
    overrides: [{ tau: 0.2 }],
    resultsName: 'stopped',
    shouldStop: () => true,
  });
  assert.equal(stopped.finished, false);
  assert.equal(existsSync(join(tablesDir(), 'stopped', RESULTS_RUNS_FILE)), false);
  // A preset's own plan may name its own folder, which is where it goes anyway.
  const own = { suite: 'minatar', preset: 'smoke', runs: [], isPresetPlan: true } as const;
  assert.deepEqual(resultDirectories({ ...own, resultsName: 'minatar-smoke' }), resultDirectories(own));
});
