import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { PROJECT_ROOT } from '../../util/paths';
import { LOCK_FILE } from '../../util/run-lock';

const dir = mkdtempSync(join(tmpdir(), 'teach-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const runDir = join(dir, 'D');
const env: NodeJS.ProcessEnv = { ...process.env, DISTILL_LAB_DATA_DIR: join(dir, 'data') };
delete env.TF_NUM_INTRAOP_THREADS;
delete env.TF_NUM_INTEROP_THREADS;

const teachArgs = (seed: number, ...extra: string[]) => [
  'teach',
  '--suite',
  'minatar',
  '--game',
  'breakout',
  '--preset',
  'smoke',
  '--seed',
  String(seed),
  '--set',
  'totalSteps=1000000',
  '--run-dir',
  runDir,
  ...extra,
];

/** A `distill-lab` process with its output collected. */
function start(args: string[]): { child: ChildProcess; out: { stdout: string; stderr: string } } {
  const child = spawn(process.execPath, ['bin/distill-lab.js', ...args], { cwd: PROJECT_ROOT, env });
  const out = { stdout: '', stderr: '' };
  child.stdout?.on('data', (text) => {
    out.stdout += text;
  });
  child.stderr?.on('data', (text) => {
    out.stderr += text;
  });
  return { child, out };
}

async function until(what: string, ready: () => boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
const logLines = () => readFileSync(join(runDir, 'commands.log'), 'utf8').trim().split('\n');

test('a second teach in a locked run folder is refused; SIGTERM and SIGINT stop a run with 143 and 130', async () => {
  const first = start(teachArgs(0));
  const firstExit = exited(first.child);
  await until('the first run to checkpoint', () => existsSync(join(runDir, 'checkpoint.dlck')));
  const holder = JSON.parse(readFileSync(join(runDir, LOCK_FILE), 'utf8'));
  assert.deepEqual(Object.keys(holder), ['pid', 'host', 'since']);
  assert.equal(holder.pid, first.child.pid);

  const second = spawnSync(process.execPath, ['bin/distill-lab.js', ...teachArgs(1)], {
    cwd: PROJECT_ROOT,
    env,
    encoding: 'utf8',
  });
  assert.equal(second.status, 1);
  assert.equal(
    second.stderr.split('\n').at(-2),
    `distill-lab: ${runDir} is in use by another distill-lab process (PID ${first.child.pid} on ${hostname()}, ` +
      `since ${holder.since}); wait for it to finish or stop it, then run this command again`,
  );

  first.child.kill('SIGTERM');
  assert.equal(await firstExit, 143, first.out.stderr);
  assert.equal(first.out.stdout.split('\n').at(-2), 'stopped; run the same command with --resume to continue');
  assert.equal(existsSync(join(runDir, LOCK_FILE)), false);
  const command = `distill-lab ${teachArgs(0).join(' ')}`;
  assert.equal(readFileSync(join(runDir, 'command.txt'), 'utf8'), `${command}\n`);
  assert.equal(logLines().length, 1);
  const config = JSON.parse(readFileSync(join(runDir, 'config.json'), 'utf8'));
  assert.deepEqual(config.runtime.threads, { TF_NUM_INTRAOP_THREADS: '1', TF_NUM_INTEROP_THREADS: '1' });
  assert.ok(['tensorflow', 'cpu'].includes(config.runtime.backend), config.runtime.backend);

  // The resume keeps command.txt and adds its line to commands.log; Ctrl-C stops it with 130.
  const resumed = start(teachArgs(0, '--resume'));
  const resumedExit = exited(resumed.child);
  await until('the resumed run to start', () => logLines().length === 2);
  resumed.child.kill('SIGINT');
  assert.equal(await resumedExit, 130, resumed.out.stderr);
  assert.equal(resumed.out.stdout.split('\n').at(-2), 'stopped; run the same command again to resume');
  assert.equal(readFileSync(join(runDir, 'command.txt'), 'utf8'), `${command}\n`);
  const lines = logLines();
  assert.match(lines[0], new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z  pid ${first.child.pid}  ${command}$`));
  assert.match(lines[1], new RegExp(`  pid ${resumed.child.pid}  ${command} --resume$`));
  assert.equal(existsSync(join(runDir, LOCK_FILE)), false);
});
