import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { PROJECT_ROOT } from '../../util/paths';
import { writeFixtureTeachers } from './teacher-fixtures';

const dir = mkdtempSync(join(tmpdir(), 'reproduce-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const teachers = join(dir, 'teachers');
writeFixtureTeachers(teachers, ['breakout', 'freeway']);
const env = { ...process.env, DISTILL_LAB_DATA_DIR: join(dir, 'data') };
const reproduce = (...flags: string[]) =>
  `node bin/distill-lab.js reproduce --preset smoke --games breakout,freeway --teachers ${teachers} --no-figures ${flags.join(' ')}`;
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
      '| proposed-uniform-seed0 | to train | seed=0 memoryCapacity=1000 sampler.kind="uniform" | unmeasured |',
      '| proposed-uniform-seed1 | to train | seed=1 memoryCapacity=1000 sampler.kind="uniform" | unmeasured |',
      `| proposed-hpr-p5-seed0 | to train | seed=0 memoryCapacity=2000 sampler.kind="hierarchical" sampler.alpha=0.7 sampler.beta.start=0.5 sampler.beta.end=1 sampler.beta.steps=50000 sampler.partitions=5 sampler.inner="ranked" sampler.windowSize=null | unmeasured |`,
      `| proposed-hpr-p5-seed1 | to train | seed=1 memoryCapacity=2000 sampler.kind="hierarchical" sampler.alpha=0.7 sampler.beta.start=0.5 sampler.beta.end=1 sampler.beta.steps=50000 sampler.partitions=5 sampler.inner="ranked" sampler.windowSize=null | unmeasured |`,
    ],
  );
  assert.match(result.stdout, /projected: 0m00s with \d+ runs at a time, plus 4 runs of variants never timed here/);
});

test('reproduce draws a line per run and an overall line on a terminal (under script(1)), then the results', () => {
  const command = `DISTILL_LAB_DATA_DIR=${env.DISTILL_LAB_DATA_DIR} ${reproduce('--only', 'proposed-uniform', '--jobs', '1')}`;
  const result = spawnSync('script', ['-qc', command, '/dev/null'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, RUN_LINE);
  assert.match(result.stdout, /overall {2}0\/1 runs done \| left/);
  assert.match(
    result.stdout,
    /Table 1: best evaluation in % of teacher, mean over seeds \[95 % interval\] \(uniform sampling\)/,
  );
  assert.match(result.stdout, /\| breakout \| 2\.00 \| -?[\d.]+ \(1 seed\) \|/);
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
  assert.match(plan.stdout, /\| dist-uniform-seed0-[0-9a-f]{10} \| done \| .* \| – \|/);
  assert.match(plan.stdout, /projected: 0m00s with/);
  const again = run('--only', 'dist-uniform', '--jobs', '1');
  assert.match(again.stdout, /done: 0 runs trained, 1 already done/);
});
