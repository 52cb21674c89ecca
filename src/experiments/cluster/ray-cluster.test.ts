/**
 * `reproduce --cluster` on a real Ray cluster: a head started here (127.0.0.1, 2 CPUs, from .venv), the smoke
 * plan's proposed student with uniform sampling and H-PR (p = 5) on two games with fixture teachers. One job is
 * killed (SIGKILL) after its first checkpoint: the command goes on with the other run and then fails naming the
 * killed one with its log tail; `status` shows one run finished and one failed with its log; the same command
 * again skips the finished run and submits the killed one, which resumes from its checkpoint; the tables equal
 * those of a local `--jobs 2` run of the same plan, byte for byte. The head is stopped in every case.
 *
 * Ray comes from `bash scripts/setup.sh --cluster` (.ci/run installs it). Without it the test fails, saying so,
 * unless DISTILL_LAB_NO_RAY=1 asks to skip it.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { PROJECT_ROOT } from '../../util/paths';
import { LOCK_FILE } from '../../util/run-lock';
import { smokePlanOnFixtures } from '../reproduce/teacher-fixtures';
import { type LocalRayHead, rayExecutable, startLocalRayHead } from './local-ray';
import { RayJobsClient } from './ray-jobs';

const NO_RAY = rayExecutable() === null && process.env.DISTILL_LAB_NO_RAY === '1';

const dir = mkdtempSync(join(tmpdir(), 'ray-cluster-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `distill-lab ARGS` with DISTILL_LAB_DATA_DIR=`data`; `whileRunning` is polled until it returns true. */
function distillLab(args: readonly string[], data: string, whileRunning?: () => boolean): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/distill-lab.js', ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DISTILL_LAB_DATA_DIR: data },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (text) => {
      stdout += text;
    });
    child.stderr.on('data', (text) => {
      stderr += text;
    });
    const poll = whileRunning
      ? setInterval(() => {
          if (whileRunning()) clearInterval(poll);
        }, 25)
      : undefined;
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      resolve({ code, stdout, stderr });
    });
  });
}

test(
  'reproduce --cluster on a local Ray head: a killed job fails alone, shows in status, resumes when submitted again, and the tables equal a local run',
  { skip: NO_RAY ? 'Ray is not installed in .venv and DISTILL_LAB_NO_RAY=1: the real-cluster test is skipped' : false },
  async () => {
    assert.ok(
      rayExecutable() !== null,
      'Ray is not installed in .venv: run `bash scripts/setup.sh --cluster --only cluster` ' +
        '(or set DISTILL_LAB_NO_RAY=1 to skip this test)',
    );
    // Long enough (120 updates, a checkpoint every 40) that the kill lands between the first checkpoint and the end.
    const plan = [
      ...smokePlanOnFixtures(join(dir, 'teachers')),
      '--no-figures',
      ...['--only', 'proposed-uniform,proposed-hpr-p5', '--set', 'totalUpdates=120', '--set', 'checkpointEvery=40'],
    ];
    const storage = join(dir, 'cluster-data');
    const runsDir = join(storage, 'runs', 'distill', 'minatar', 'smoke');
    let head: LocalRayHead | null = null;
    try {
      head = await startLocalRayHead({ cpus: 2 });
      const client = new RayJobsClient(head.address);
      const cluster = ['reproduce', ...plan, '--cluster', head.address, '--storage', storage];

      // 0. GPUs the cluster lacks: refused before anything is submitted or written.
      const gpus = await distillLab([...cluster, '--gpus-per-run', '1'], storage);
      assert.equal(gpus.code, 1, gpus.stdout + gpus.stderr);
      assert.match(
        gpus.stderr,
        /the Ray cluster at http:\/\/127\.0\.0\.1:\d+ has no node with 1 CPU and 1 GPU for one run \(its nodes: \S+ 2 CPUs, 0 GPUs\); nothing was submitted/,
      );
      assert.deepEqual(await client.jobs(), []);
      assert.equal(existsSync(storage), false, 'nothing was written');

      // 1. Both runs as jobs; the H-PR run's process is killed once its first checkpoint is written.
      let killed: number | null = null;
      const killAfterCheckpoint = () => {
        if (!existsSync(runsDir)) return false;
        const hpr = readdirSync(runsDir).find((name) => name.startsWith('proposed-hpr-p5-seed0-'));
        if (hpr === undefined || !existsSync(join(runsDir, hpr, 'checkpoint.dlck'))) return false;
        const lock = JSON.parse(readFileSync(join(runsDir, hpr, LOCK_FILE), 'utf8')) as { pid: number };
        process.kill(lock.pid, 'SIGKILL');
        killed = lock.pid;
        return true;
      };
      const first = await distillLab(cluster, storage, killAfterCheckpoint);
      assert.ok(killed !== null, `the H-PR run was never caught between checkpoint and end:\n${first.stdout}`);
      assert.equal(first.code, 1, first.stdout + first.stderr);
      assert.match(
        first.stdout,
        /Ray 2\.60\.0 cluster at http:\/\/127\.0\.0\.1:\d+: 1 node, 2 CPUs, 0 GPUs; 2 runs fit at once \(1 CPU each\)/,
      );
      assert.match(
        first.stderr,
        /1 of the plan's 2 runs did not finish on the cluster \(the others did\):\n {2}proposed-hpr-p5-seed0-[0-9a-f]{10}: Ray job distill-lab-proposed-hpr-p5-seed0-\S+ ended FAILED \(.*exit code -9: killed by SIGKILL; it resumes from its checkpoint at update 40\); last lines of its log:\n/,
      );
      assert.match(first.stderr, /\n {4}started: PID \d+ on \S+\n/);
      const uniform = readdirSync(runsDir).find((name) => name.startsWith('proposed-uniform-seed0-')) as string;
      assert.ok(existsSync(join(runsDir, uniform, 'done.json')), 'the other run finished despite the failure');

      // 2. status: one finished, one failed with the last lines of its log.
      const status = await distillLab(['status', ...plan.filter((a) => a !== '--no-figures')], storage);
      assert.equal(status.code, 0, status.stderr);
      assert.match(status.stdout, /^2 runs: 1 finished, 0 running, 0 queued, 0 stopped, 1 failed$/m);
      assert.match(status.stdout, /\| proposed-uniform-seed0-[0-9a-f]{10} \| finished \| 120\/120 \| [\d.]+ \| – \|/);
      assert.match(
        status.stdout,
        /\| proposed-hpr-p5-seed0-[0-9a-f]{10} \| failed \| \d+\/120 \| [\d.–]+ \| Ray job distill-lab-proposed-hpr-p5-seed0-\S+ ended FAILED \(.*killed by SIGKILL\); resumes from its checkpoint at update 40 \|/,
      );
      assert.match(status.stdout, /proposed-hpr-p5-seed0-[0-9a-f]{10} failed; last lines of its log:\n {2}/);

      // 3. The same command again: the finished run is skipped, the killed one resumes from its checkpoint.
      const second = await distillLab(cluster, storage);
      assert.equal(second.code, 0, second.stdout + second.stderr);
      assert.match(second.stdout, /done: 1 runs trained, 1 already done/);
      const hpr = readdirSync(runsDir).find((name) => name.startsWith('proposed-hpr-p5-seed0-')) as string;
      const record = JSON.parse(readFileSync(join(runsDir, 'cluster-jobs', `${hpr}.json`), 'utf8'));
      assert.equal(record.status, 'finished');
      const logs = await client.logs(record.submissionId);
      assert.match(logs, new RegExp(`${hpr}: resumed from its checkpoint at update 40 of 120`));
      const starts = readFileSync(join(runsDir, hpr, 'commands.log'), 'utf8')
        .trim()
        .split('\n');
      assert.equal(starts.length, 2, 'the killed run was started twice: its first job, then the resubmission');

      // 4. The same plan with local child processes: the same tables, byte for byte.
      const local = join(dir, 'local-data');
      const here = await distillLab(['reproduce', ...plan, '--jobs', '2'], local);
      assert.equal(here.code, 0, here.stdout + here.stderr);
      const tablesOf = (data: string) => {
        const stage = join(data, 'runs', 'distill', 'minatar', 'smoke');
        const results = readdirSync(stage).find((name) => name.startsWith('results-')) as string;
        return join(stage, results, 'tables');
      };
      const files = readdirSync(tablesOf(local)).filter((f) => f.endsWith('.csv'));
      assert.ok(files.includes('table1-architectures.csv') && files.includes('distill-curves.csv'), files.join(' '));
      assert.deepEqual(readdirSync(tablesOf(storage)).sort(), readdirSync(tablesOf(local)).sort());
      for (const file of files)
        assert.equal(
          readFileSync(join(tablesOf(storage), file), 'utf8'),
          readFileSync(join(tablesOf(local), file), 'utf8'),
          `${file} differs between the cluster and the local run`,
        );

      // 5. teach --cluster: the same teach command as a job, its output followed here, its run in the storage folder.
      const teach = ['teach', '--suite', 'minatar', '--game', 'breakout', '--preset', 'smoke', '--seed', '0'];
      const taught = await distillLab([...teach, '--cluster', head.address, '--storage', storage], storage);
      assert.equal(taught.code, 0, taught.stdout + taught.stderr);
      assert.match(
        taught.stdout,
        /submitted as Ray job distill-lab-teach-minatar-breakout-pqn-smoke-seed0-\S+ to http/,
      );
      assert.match(taught.stdout, /^teacher: .*pqn-smoke-seed0\/teacher\.dlck$/m);
      assert.ok(
        existsSync(join(storage, 'runs', 'teachers', 'minatar', 'breakout', 'pqn-smoke-seed0', 'teacher.dlck')),
      );
    } finally {
      await head?.stop();
    }
    // The cluster is gone.
    await assert.rejects(
      new RayJobsClient((head as LocalRayHead | null)?.address ?? '127.0.0.1:1').version(),
      /unreachable/,
    );
  },
);
