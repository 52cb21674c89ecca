/**
 * The parts of `--cluster` that need no Ray: addresses, the job's command line and its log lines, the capacity
 * check, and the command line's refusals (an unreachable address, cluster flags without a cluster) before
 * anything is written; `status` of a plan nothing has run yet. The real cluster: ray-cluster.test.ts.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { table } from 'arquero';
import type { DistillProgress } from '../../distill/distiller';
import { writeTable } from '../../tables';
import { PROJECT_ROOT } from '../../util/paths';
import { measuredRates, planPreview } from '../reproduce/plan-preview';
import { DISTILL_CURVE_SCHEMA, DISTILL_CURVE_TABLE, type PlannedRun } from '../reproduce/run';
import { smokePlanOnFixtures } from '../reproduce/teacher-fixtures';
import { clusterSettings, jobEntrypoint } from './cluster-runs';
import { withoutClusterFlags } from './flags';
import { jobLogReporter, parseJobLog, readableLogLine } from './job-log';
import { checkCapacity, dashboardUrl, jobEndMessage, logTail, shellQuote } from './ray-jobs';

const dir = mkdtempSync(join(tmpdir(), 'cluster-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a cluster address is the dashboard URL, port 8265 unless given; anything else is refused, saying what is expected', () => {
  assert.equal(dashboardUrl('127.0.0.1'), 'http://127.0.0.1:8265');
  assert.equal(dashboardUrl('head.example:9000'), 'http://head.example:9000');
  assert.equal(dashboardUrl(' http://10.0.0.5:8265/ '), 'http://10.0.0.5:8265');
  assert.equal(dashboardUrl('https://ray.example'), 'https://ray.example');
  assert.throws(() => dashboardUrl(''), /--cluster '' is empty: expected the Ray dashboard's address/);
  assert.throws(() => dashboardUrl('ray://head:10001'), /uses ray:\/\/, which the Jobs API does not speak/);
  assert.throws(() => dashboardUrl('http://head:8265/api'), /--cluster 'http:\/\/head:8265\/api' has a path/);
});

test("a job's command line runs distill-lab in the checkout with every argument intact, whatever it holds", () => {
  const settings = clusterSettings({ cluster: '127.0.0.1:8265', storage: dir }, 'minatar', null);
  assert.ok(settings);
  assert.equal(settings.cpusPerRun, 1);
  assert.equal(settings.gpusPerRun, 0);
  assert.equal(settings.root, PROJECT_ROOT);
  const args = ['distill-run', '--run-json', `{"name":"it's","a":[1,"$HOME \\" \`x\`"]}`, '--games', 'a b'];
  const line = jobEntrypoint({ ...settings, node: 'printf' }, args);
  assert.match(line, /^cd \S+ && exec printf /);
  // The shell gives printf each argument back exactly.
  const echoed = spawnSync('sh', ['-c', line.replace('exec printf', "exec printf '%s\\n'")], { encoding: 'utf8' });
  assert.equal(echoed.stdout, `${['bin/distill-lab.js', ...args].join('\n')}\n`);
  assert.equal(shellQuote('plain-word_1.2/x'), 'plain-word_1.2/x');
});

test('cluster settings are checked: CPUs and GPUs per run, and the cluster-only flags need --cluster', () => {
  const base = { cluster: 'h' };
  assert.equal(clusterSettings({ ...base }, 'atari', null)?.cpusPerRun, 2);
  assert.equal(clusterSettings({ ...base, gpusPerRun: '0.25', cpusPerRun: '3' }, 'minatar', 4)?.gpusPerRun, 0.25);
  assert.equal(clusterSettings({ storage: dir }, 'minatar', null), null);
  assert.throws(
    () => clusterSettings({ ...base, cpusPerRun: '0' }, 'minatar', null),
    /--cpus-per-run 0 is not an integer in \[1, 1024\]/,
  );
  assert.throws(
    () => clusterSettings({ ...base, gpusPerRun: '-1' }, 'minatar', null),
    /--gpus-per-run -1 is not a number in \[0, 64\]/,
  );
  assert.throws(
    () => clusterSettings({ gpusPerRun: '1' }, 'minatar', null),
    /--gpus-per-run 1 asks the Ray cluster for something: it needs --cluster ADDRESS/,
  );
  assert.deepEqual(
    withoutClusterFlags([
      '--suite',
      'minatar',
      '--cluster',
      'h:1',
      '--storage=/s',
      '--gpus-per-run',
      '1',
      '--seed',
      '0',
    ]),
    ['--suite', 'minatar', '--seed', '0'],
  );
});

test("a run's reports on stdout are read back from its job's log, and shown in words in a log tail", () => {
  const lines: string[] = [];
  const out = jobLogReporter('run-a', (line) => lines.push(line));
  const progress = (updates: number, updatesAtStart: number): DistillProgress => ({
    steps: 4 * updates,
    updates,
    updatesAtStart,
    totalUpdates: 200,
    epsilon: 0.5,
    learningRate: 0.001,
    loss: 0.25,
    replay: null,
    timing: { act: 1, env: 0, update: 2, evaluation: 0, checkpoint: 0 },
  });
  out.start();
  out.progress(progress(50, 40));
  out.progress(progress(51, 40)); // the same hundredth of the run as 50: no line
  out.evaluation(60, 12.5);
  out.checkpoint(80);
  out.progress(progress(100, 40));
  assert.equal(lines.length, 6, lines.join('\n'));
  assert.equal(lines[1], 'run-a: resumed from its checkpoint at update 40 of 200');
  const state = parseJobLog(`Ray's own line\n${lines.join('\n')}\n@distill-lab progress {"cut`);
  assert.equal(state.start?.run, 'run-a');
  assert.equal(state.start?.pid, process.pid);
  assert.equal(state.progress?.updates, 100);
  assert.deepEqual(state.evaluation, { updates: 60, meanPercent: 12.5 });
  assert.equal(state.resumedAt, 40);
  assert.equal(state.checkpoint, 80);
  assert.deepEqual(logTail(lines.join('\n'), 3, readableLogLine), [
    'evaluation at update 60: 12.5 % of teacher',
    'run-a: checkpoint at update 80',
    'progress: 100/200 updates',
  ]);
  assert.equal(readableLogLine('x'.repeat(500)).length, 200);
  assert.equal(
    jobEndMessage({
      message: 'Job entrypoint command failed with exit code -9, last available logs (truncated to 20,000 chars):\nabc',
      driver_exit_code: -9,
    }),
    'Job entrypoint command failed with exit code -9: killed by SIGKILL',
  );
});

test('the capacity check counts the runs the nodes hold and refuses, naming what each node has, when none fits', () => {
  const GiB = 2 ** 30;
  const nodes = [
    { id: 'a', ip: '10.0.0.1', alive: true, cpus: 8, gpus: 2, memory: 40 * GiB, ram: 64 * GiB },
    { id: 'b', ip: '10.0.0.2', alive: true, cpus: 4, gpus: 0, memory: 10 * GiB, ram: 16 * GiB },
    { id: 'c', ip: '10.0.0.3', alive: false, cpus: 64, gpus: 8, memory: 400 * GiB, ram: 512 * GiB },
  ];
  assert.equal(checkCapacity('http://h:8265', nodes, { cpus: 2, gpus: 0 }), 6);
  assert.equal(checkCapacity('http://h:8265', nodes, { cpus: 1, gpus: 0.5 }), 4);
  assert.throws(
    () => checkCapacity('http://h:8265', nodes, { cpus: 1, gpus: 4 }),
    /^ClusterError: the Ray cluster at http:\/\/h:8265 has no node with 1 CPU and 4 GPUs for one run \(its nodes: 10\.0\.0\.1 8 CPUs, 2 GPUs; 10\.0\.0\.2 4 CPUs, 0 GPUs\); nothing was submitted: add GPU nodes to the cluster \(ray start --num-gpus\), or lower --gpus-per-run$/,
  );
  assert.throws(() => checkCapacity('http://h:8265', nodes, { cpus: 16, gpus: 0 }), /or lower --cpus-per-run$/);
  // Memory: 12 GiB runs fit three on the first node and none on the second; 41 GiB fit nowhere.
  assert.equal(checkCapacity('http://h:8265', nodes, { cpus: 1, gpus: 0, memory: 12 * GiB }), 3);
  assert.throws(
    () => checkCapacity('http://h:8265', nodes, { cpus: 1, gpus: 0, memory: 41 * GiB }),
    /has no node with 1 CPU and 41\.0 GiB of memory for one run \(its nodes: 10\.0\.0\.1 8 CPUs, 2 GPUs, 40\.0 GiB of memory; 10\.0\.0\.2 4 CPUs, 0 GPUs, 10\.0 GiB of memory\); nothing was submitted: add nodes with more memory, or lower the runs' memoryCapacity \(--set memoryCapacity=N\)$/,
  );
  assert.throws(() => checkCapacity('http://h:8265', [], { cpus: 1, gpus: 0 }), /\(it has no alive node\)/);
});

/** A port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

test('reproduce --cluster at an unreachable address names it and the failed check, before anything is written; status of an untouched plan', async () => {
  const data = join(dir, 'data');
  const plan = [...smokePlanOnFixtures(join(dir, 'teachers')), '--only', 'proposed-uniform'];
  const port = await closedPort();
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['bin/distill-lab.js', ...args], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      env: { ...process.env, DISTILL_LAB_DATA_DIR: data },
    });
  const unreachable = run('reproduce', ...plan, '--cluster', `127.0.0.1:${port}`);
  assert.equal(unreachable.status, 1);
  assert.equal(
    unreachable.stderr.trim().split('\n').at(-1),
    `distill-lab: the Ray cluster at http://127.0.0.1:${port} is unreachable: GET http://127.0.0.1:${port}/api/version ` +
      `failed (connect ECONNREFUSED 127.0.0.1:${port}); nothing listens there: is the cluster up (ray start --head), ` +
      'and is that its dashboard port (8265 by default)?',
  );
  assert.equal(existsSync(data), false, 'nothing was written');
  const stray = run('reproduce', ...plan, '--gpus-per-run', '1');
  assert.equal(stray.status, 1);
  assert.match(stray.stderr, /--gpus-per-run 1 asks the Ray cluster for something: it needs --cluster ADDRESS/);
  const status = run('status', ...plan, '--seeds', '2');
  assert.equal(status.status, 0, status.stderr);
  assert.match(status.stdout, /^2 runs: 0 finished, 0 running, 2 queued, 0 stopped, 0 failed$/m);
  assert.match(status.stdout, /^\| proposed-uniform-seed1-[0-9a-f]{10} \| queued \| 0\/40 \| – \| not started \|$/m);
});

test("--plan's compute: CPU-hours and GPU-hours from the measured seconds per update and the CPUs and GPUs of the runs that measured them", () => {
  process.env.DISTILL_LAB_DATA_DIR = join(dir, 'plan-data');
  // A measured run: 100 updates in 50 s on 2 TensorFlow threads, CPU backend.
  const measured = join(dir, 'plan-data', 'runs', 'distill', 'minatar', 'quick', 'proposed-uniform-seed9-0123456789');
  // One evaluation row: the columns the speed is read from, the others (whatever the schema holds) filled in.
  const given: Record<string, unknown> = { architecture: 'proposed', sampler: 'uniform', updates: 100, seconds: 50 };
  const curve = Object.fromEntries(
    Object.entries(DISTILL_CURVE_SCHEMA).map(([name, type]) => [name, [given[name] ?? (type === 'utf8' ? 'x' : 1)]]),
  );
  writeTable(DISTILL_CURVE_TABLE, table(curve), DISTILL_CURVE_SCHEMA, measured);
  writeFileSync(
    join(measured, 'config.json'),
    JSON.stringify({
      variant: { architecture: 'proposed', sampler: 'uniform' },
      fingerprint: { valueRanges: [null, null] },
      runtime: { backendKind: 'native-cpu', threads: { TF_NUM_INTRAOP_THREADS: '2' }, cores: 8 },
    }),
  );
  const rates = measuredRates('minatar');
  assert.deepEqual(rates.get('proposed/uniform/2'), { secondsPerUpdate: 0.5, cpus: 2, gpus: 0 });
  const run = (architecture: 'proposed' | 'dist', seed: number) =>
    ({
      suite: 'minatar',
      preset: 'full',
      variant: { architecture, sampler: 'uniform' },
      seed,
      name: `${architecture}-uniform-seed${seed}-abcdef0123`,
      config: { seed, totalUpdates: 36_000 },
    }) as unknown as PlannedRun;
  const gpu = new Map([...rates, ['dist/uniform/2', { secondsPerUpdate: 0.1, cpus: 1, gpus: 1 }]]);
  const lines = planPreview([run('proposed', 0), run('proposed', 1), run('dist', 0)], ['breakout', 'freeway'], 2, gpu);
  // 36,000 updates × 0.5 s = 5 h, × 2 CPUs = 10 CPU-hours each; DIST: 1 h on 1 CPU and 1 GPU.
  assert.deepEqual(
    lines.filter((l) => l.startsWith('| proposed-') || l.startsWith('| dist-')).map((l) => l.split(' | ').slice(3)),
    [
      ['5h00m', '10.0', '0 |'],
      ['5h00m', '10.0', '0 |'],
      ['1h00m', '1.00', '1.00 |'],
    ],
  );
  assert.match(
    lines.at(-1) as string,
    /^projected: 5h30m with 2 runs at a time; compute 21\.0 CPU-hours, 1\.00 GPU-hours /,
  );
  delete process.env.DISTILL_LAB_DATA_DIR;
});
