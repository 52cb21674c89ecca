import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { PROJECT_ROOT } from '../../util/paths';
import { isProcessAlive, LOCK_FILE, readLockHolder } from '../../util/run-lock';
import { smokePlanOnFixtures } from './teacher-fixtures';

const dir = mkdtempSync(join(tmpdir(), 'reproduce-processes-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const env = { ...process.env, DISTILL_LAB_DATA_DIR: join(dir, 'data') };
const stage = join(dir, 'data', 'runs', 'distill', 'minatar', 'smoke');
const ARGS = [
  'bin/distill-lab.js',
  'reproduce',
  ...smokePlanOnFixtures(join(dir, 'teachers')),
  '--no-figures',
  '--only',
  'proposed-uniform,dist-uniform',
  '--set',
  'totalUpdates=1000000',
  '--jobs',
  '2',
];

function start(): { child: ChildProcess; out: { stdout: string; stderr: string }; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ARGS, { cwd: PROJECT_ROOT, env });
  const out = { stdout: '', stderr: '' };
  child.stdout?.on('data', (text) => {
    out.stdout += text;
  });
  child.stderr?.on('data', (text) => {
    out.stderr += text;
  });
  return { child, out, exit: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
}

async function until(what: string, ready: () => boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The run folders (variant-seed0-KEY) in the stage folder. */
const runFolders = () =>
  existsSync(stage)
    ? readdirSync(stage)
        .filter((name) => /-seed0-[0-9a-f]{10}$/.test(name))
        .map((name) => join(stage, name))
    : [];
/** The PID that holds `folder`'s lock, or null while none (or a half-written one) is there. */
const holderPid = (folder: string): number | null => {
  const holder = readLockHolder(folder);
  return holder === null || holder === 'unreadable' ? null : holder.pid;
};
/** The PIDs of the children once both hold their run's lock. */
async function childrenTraining(): Promise<number[]> {
  await until('both children to lock their runs', () => runFolders().filter((f) => holderPid(f) !== null).length === 2);
  return runFolders().map((f) => holderPid(f) as number);
}

test('reproduce --jobs: SIGTERM stops with 143, SIGKILL leaves no child, a failed child is named with its error', async () => {
  // SIGTERM as the children start: they are stopped, the parent says how to resume and exits with 143.
  const stopped = start();
  await until('the children to start', () => stopped.out.stdout.includes('2 at a time in child processes'));
  stopped.child.kill('SIGTERM');
  assert.equal(await stopped.exit, 143, stopped.out.stderr);
  assert.equal(stopped.out.stdout.split('\n').at(-2), 'stopped; run the same command again to resume');
  const results = readdirSync(stage).find((name) => name.startsWith('results-')) as string;
  const resultsTables = join(stage, results, 'tables');
  for (const folder of [...runFolders(), resultsTables]) assert.equal(existsSync(join(folder, LOCK_FILE)), false);

  // SIGKILL of the parent: its children notice and stop by themselves, releasing their locks.
  const killed = start();
  const children = await childrenTraining();
  killed.child.kill('SIGKILL');
  await killed.exit;
  await until('the children to stop', () => children.every((pid) => !isProcessAlive(pid)));
  for (const folder of runFolders()) assert.equal(existsSync(join(folder, LOCK_FILE)), false);
  assert.equal(holderPid(resultsTables), killed.child.pid); // left by the killed parent

  // One child fails (its run is locked by this test): the other is stopped, the message names the run and its error.
  const blocked = runFolders().find((f) => f.includes('dist-uniform')) as string;
  const since = '2026-01-02T03:04:05.000Z';
  writeFileSync(join(blocked, LOCK_FILE), JSON.stringify({ pid: process.pid, host: hostname(), since }));
  const failing = start();
  assert.equal(await failing.exit, 1, failing.out.stdout);
  rmSync(join(blocked, LOCK_FILE));
  assert.ok(
    failing.out.stdout.includes(
      `taking over the lock of ${resultsTables}: its holder (PID ${killed.child.pid} on ${hostname()}, since `,
    ),
    failing.out.stdout,
  );
  const refusal =
    `distill-lab: ${blocked} is in use by another distill-lab process (PID ${process.pid} on ${hostname()}, ` +
    `since ${since}); wait for it to finish or stop it, then run this command again`;
  assert.equal(
    failing.out.stderr,
    `distill-lab: distillation run ${blocked.split('/').at(-1)} failed (exit code 1); its last error output:\n  ${refusal}\n`,
  );
  const other = runFolders().find((f) => f.includes('proposed-uniform')) as string;
  const otherPid = Number(
    /pid (\d+)/.exec(readFileSync(join(other, 'commands.log'), 'utf8').trim().split('\n').at(-1) as string)?.[1],
  );
  assert.equal(isProcessAlive(otherPid), false);
  for (const folder of [other, resultsTables]) assert.equal(existsSync(join(folder, LOCK_FILE)), false);
});
