import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { PROJECT_ROOT } from '../../util/paths';
import { pipelineOptions } from './cli';
import { smokePlanOnFixtures } from './teacher-fixtures';

const dir = mkdtempSync(join(tmpdir(), 'reproduce-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const plan = smokePlanOnFixtures(join(dir, 'teachers'));
const env = { ...process.env, DISTILL_LAB_DATA_DIR: join(dir, 'data') };
const reproduce = (...flags: string[]) =>
  `node bin/distill-lab.js reproduce ${plan.join(' ')} --no-figures ${flags.join(' ')}`;
const RUN_LINE =
  /proposed-uniform-seed0-[0-9a-f]{10} {2}40\/40 updates \| -?[\d.]+ % of teacher \| [\d.]+ updates\/s \| left 0m00s/;

test('reproduce --plan lists every run with its own settings and status, and trains nothing', () => {
  const result = spawnSync(
    'sh',
    ['-c', reproduce('--plan', '--only', 'proposed-uniform,proposed-hpr-p5', '--seeds', '2')],
    {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      env,
    },
  );
  assert.equal(result.status, 0, result.stderr);
  const lines = result.stdout.split('\n');
  const head = lines.indexOf('4 runs on breakout, freeway; settings every run shares:');
  assert.ok(head >= 0, result.stdout);
  assert.match(lines[head + 1], /^ {2}architecture="proposed" hidden=\[256,128\] freezeTorso=false totalUpdates=40 /);
  const rows = lines.filter((l) => l.startsWith('| proposed-'));
  assert.deepEqual(
    rows.map((l) => l.replace(/-[0-9a-f]{10} /, ' ')),
    [
      '| proposed-uniform-seed0 | to train | seed=0 sampler.kind="uniform" | unmeasured | unmeasured | unmeasured |',
      '| proposed-uniform-seed1 | to train | seed=1 sampler.kind="uniform" | unmeasured | unmeasured | unmeasured |',
      `| proposed-hpr-p5-seed0 | to train | seed=0 sampler.kind="hierarchical" sampler.alpha=0.7 sampler.beta.start=0.5 sampler.beta.end=1 sampler.beta.steps=50000 sampler.partitions=5 sampler.inner="ranked" sampler.windowSize=null sampler.partitionMemory="shared" | unmeasured | unmeasured | unmeasured |`,
      `| proposed-hpr-p5-seed1 | to train | seed=1 sampler.kind="hierarchical" sampler.alpha=0.7 sampler.beta.start=0.5 sampler.beta.end=1 sampler.beta.steps=50000 sampler.partitions=5 sampler.inner="ranked" sampler.windowSize=null sampler.partitionMemory="shared" | unmeasured | unmeasured | unmeasured |`,
    ],
  );
  assert.match(
    result.stdout,
    /projected: 0m00s with \d+ runs at a time; compute 0 CPU-hours, 0 GPU-hours \(measured seconds per update × the CPUs and GPUs the measured runs held\), plus 4 runs of variants never timed here/,
  );
});

test('reproduce draws a line per run and an overall line on a terminal (under script(1)), then the results', () => {
  const command = `DISTILL_LAB_DATA_DIR=${env.DISTILL_LAB_DATA_DIR} ${reproduce('--only', 'proposed-uniform', '--jobs', '1')}`;
  const result = spawnSync('script', ['-qc', command, '/dev/null'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, RUN_LINE);
  assert.match(result.stdout, /overall {2}0\/1 runs done \| left/);
  // The claims first: this selection lacks most of the plan, so most verdicts are refused.
  assert.match(result.stdout, /\*\*The paper’s claims against these runs\*\*/);
  assert.match(result.stdout, /_Plan incomplete \(minatar smoke\): missing dist-uniform, amn-uniform, /);
  assert.match(
    result.stdout,
    /Table 1: % of teacher, mean over seeds \[95 % interval of the seeds and the teacher's score\] \(uniform sampling; seeds: proposed 1\)/,
  );
  assert.match(result.stdout, /\| breakout \| 2\.00 \[1\.00, 3\.00\] \| best \| -?[\d.]+ \(no interval\) \|/);
  assert.match(
    result.stdout,
    /done: 1 runs trained, 0 already done\r?\ntables: data\/runs\/distill\/minatar\/smoke\/results-[0-9a-f]{10}\/tables|tables: .*results-[0-9a-f]{10}\/tables/,
  );
});

test('reproduce in a pipe prints a line at every tenth of a run, then plans, skips the finished run', () => {
  const run = (...flags: string[]) =>
    spawnSync('sh', ['-c', reproduce(...flags)], { cwd: PROJECT_ROOT, encoding: 'utf8', env });
  const piped = run('--only', 'dist-uniform', '--jobs', '1');
  assert.equal(piped.status, 0, piped.stderr);
  assert.match(
    piped.stdout,
    /dist-uniform-seed0-[0-9a-f]{10} {2}40\/40 updates \| .* \[overall {2}0\/1 runs done \| left /,
  );
  const plan = run('--plan', '--only', 'dist-uniform,proposed-uniform');
  assert.match(plan.stdout, /\| dist-uniform-seed0-[0-9a-f]{10} \| done \| .* \| – \| – \| – \|/);
  assert.match(plan.stdout, /projected: 0m00s with/);
  const again = run('--only', 'dist-uniform', '--jobs', '1');
  assert.match(again.stdout, /done: 0 runs trained, 1 already done/);
});

test('bad settings are refused before anything is written: --set values, the memory estimate, distill-run --run-json', () => {
  const clean = { ...env, DISTILL_LAB_DATA_DIR: join(dir, 'refused') };
  const run = (command: string) =>
    spawnSync('sh', ['-c', command], { cwd: PROJECT_ROOT, encoding: 'utf8', env: clean });
  for (const [flags, message] of [
    ['--set \'freezeTorso="no"\'', 'freezeTorso must be true or false, got "no"'],
    ['--set sampler.alpha=5', 'sampler.alpha must be a number in [0, 1], got 5'],
    ['--set memoryCapacity=1e9', 'configuration value memoryCapacity = 1000000000 is out of range: expected at most '],
    ['--seed-batch abc', '--seed-batch abc is not an integer in [1, 16]'],
    ['--seed-batch 17', 'configuration value --seed-batch = 17 is out of range: expected an integer in [1, 16]'],
    // The fixture plan's two games have no seed-batched graph (it is exported for MinAtar's five).
    ['--seed-batch 2', '--seed-batch 2: run proposed-uniform-seed0-'],
  ] as const) {
    const result = run(reproduce('--only', 'proposed-uniform', '--jobs', '1', flags));
    assert.equal(result.status, 1, result.stdout);
    assert.ok(result.stderr.includes(`distill-lab: ${message}`), result.stderr);
  }
  const child = run('node bin/distill-lab.js distill-run --run-json 5 --games breakout');
  assert.equal(child.status, 1);
  assert.match(
    child.stderr,
    /distill-lab: --run-json 5 is not a run: expected the JSON object reproduce --jobs passes/,
  );
  assert.equal(existsSync(clean.DISTILL_LAB_DATA_DIR), false, 'nothing is written');
});

test('--name is checked with the other flags, before anything loads', () => {
  const flags = { suite: 'minatar', preset: 'full', set: [] };
  assert.equal(pipelineOptions({ ...flags, name: 'minatar-full' }).resultsName, 'minatar-full');
  assert.throws(() => pipelineOptions({ ...flags, only: 'proposed-uniform', name: 'minatar-full' }), {
    message: "--name minatar-full: that folder holds the minatar full preset's own results; name this plan otherwise",
  });
  assert.throws(
    () => pipelineOptions({ ...flags, seeds: '3', name: 'Budget study' }),
    /--name 'Budget study' is not a folder name/,
  );
  assert.equal(pipelineOptions({ ...flags, seeds: '3', name: 'budget-study' }).resultsName, 'budget-study');
});

test("report reads one plan's runs: it refuses two runs of a variant and seed, and reads those --runs lists", () => {
  // The tests above finished seed 0 of dist-uniform and proposed-uniform in this folder.
  const runs = join(env.DISTILL_LAB_DATA_DIR, 'runs', 'distill', 'minatar', 'smoke');
  const report = (...flags: string[]) =>
    spawnSync('sh', ['-c', `node bin/distill-lab.js report ${runs} ${flags.join(' ')}`], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      env,
    });
  const names = readdirSync(runs)
    .filter((name) => /-seed0-[0-9a-f]{10}$/.test(name))
    .sort();
  assert.deepEqual(
    names.map((name) => name.slice(0, -11)),
    ['dist-uniform-seed0', 'proposed-uniform-seed0'],
  );
  const whole = report();
  assert.equal(whole.status, 0, whole.stderr);
  assert.match(whole.stdout, new RegExp(`^2 runs in ${runs}$`, 'm'));
  const list = join(dir, 'runs.txt');
  writeFileSync(list, `${names[1]}\n`);
  // The same run under another key stands for another plan's seed 0 of proposed-uniform.
  const other = `${names[1].slice(0, -10)}0000000000`;
  cpSync(join(runs, names[1]), join(runs, other), { recursive: true });
  const mixed = report();
  assert.equal(mixed.status, 1);
  assert.ok(
    mixed.stderr.includes(
      `distill-lab: ${runs} holds runs of more than one plan for the same variant and seed (${other} and ${names[1]}): `,
    ),
    mixed.stderr,
  );
  const picked = report('--runs', list);
  assert.equal(picked.status, 0, picked.stderr);
  assert.match(picked.stdout, new RegExp(`^1 runs in ${runs}$`, 'm'));
  const notFile = report('--runs', runs);
  assert.equal(notFile.status, 1);
  assert.equal(
    notFile.stderr.split('\n').at(-2),
    `distill-lab: --runs ${runs} is not a file: expected a file of run folder names, one per line`,
  );
  rmSync(join(runs, other), { recursive: true });
});
