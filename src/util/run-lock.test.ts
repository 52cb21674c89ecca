import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { PROJECT_ROOT } from './paths';
import { acquireRunLock, LOCK_FILE, readLockHolder, releaseLockOf, withRunLock } from './run-lock';

const dir = mkdtempSync(join(tmpdir(), 'run-lock-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The PID of a process that has exited (and been reaped). */
function deadPid(): number {
  const pid = spawnSync('true').pid;
  assert.ok(pid !== undefined);
  return pid;
}

const writeHolder = (folder: string, holder: object) => {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, LOCK_FILE), JSON.stringify(holder));
};

test('a lock records its holder, refuses a second lock of the folder and is released', () => {
  const folder = join(dir, 'plain', 'run');
  const lines: string[] = [];
  const lock = acquireRunLock(folder, { log: (line) => lines.push(line) });
  const holder = readLockHolder(folder);
  assert.deepEqual(holder, { pid: process.pid, host: hostname(), since: lock.holder.since });
  assert.ok(Math.abs(Date.parse(lock.holder.since) - Date.now()) < 10_000);
  assert.throws(() => acquireRunLock(folder), { message: `${folder} is already locked by this process` });
  lock.release();
  assert.equal(existsSync(join(folder, LOCK_FILE)), false);
  lock.release(); // idempotent
  assert.equal(
    withRunLock(folder, () => readLockHolder(folder) !== null),
    true,
  );
  assert.equal(readLockHolder(folder), null);
  assert.deepEqual(lines, []);
});

test('a folder locked by a running process is refused, naming the folder and the holder', async () => {
  const folder = join(dir, 'busy');
  const sleeper = spawn('sleep', ['30']);
  try {
    const holder = { pid: sleeper.pid, host: hostname(), since: '2026-01-02T03:04:05.000Z' };
    writeHolder(folder, holder);
    assert.throws(() => acquireRunLock(folder), {
      name: 'FolderLockedError',
      message: `${folder} is in use by another distill-lab process (PID ${sleeper.pid} on ${hostname()}, since 2026-01-02T03:04:05.000Z); wait for it to finish or stop it, then run this command again`,
    });
    // Its lock stays, and a parent cannot release it for a child that still runs.
    assert.equal(releaseLockOf(folder, sleeper.pid as number), false);
    assert.deepEqual(readLockHolder(folder), holder);
  } finally {
    sleeper.kill('SIGKILL');
  }
  await new Promise((resolve) => sleeper.once('exit', resolve));
  // Once it is gone, its parent may release the lock for it.
  assert.equal(releaseLockOf(folder, sleeper.pid as number), true);
  assert.equal(readLockHolder(folder), null);
});

test('a lock held on another host is refused: it cannot be checked from here', () => {
  const folder = join(dir, 'remote');
  writeHolder(folder, { pid: deadPid(), host: 'elsewhere.example', since: '2026-01-02T03:04:05.000Z' });
  const pid = (readLockHolder(folder) as { pid: number }).pid;
  assert.throws(() => acquireRunLock(folder), {
    message: `${folder} is in use by another distill-lab process (PID ${pid} on elsewhere.example, since 2026-01-02T03:04:05.000Z); it runs on another host, so it cannot be checked from here: if it is no longer running, delete ${join(folder, LOCK_FILE)}`,
  });
});

test("a dead holder's lock is taken over with a line, and its temporaries are removed", () => {
  const folder = join(dir, 'stale');
  const pid = deadPid();
  writeHolder(folder, { pid, host: hostname(), since: '2026-01-02T03:04:05.000Z' });
  mkdirSync(join(folder, 'snapshots', 'p05'), { recursive: true });
  const sleeper = spawn('sleep', ['30']);
  try {
    const live = `.tmp-${sleeper.pid}-being-written.csv`;
    for (const name of [`.tmp-${pid}-learning-curve.csv`, `replay.bin.tmp-${pid}`, live, 'keep.csv'])
      writeFileSync(join(folder, name), 'x');
    writeFileSync(join(folder, 'snapshots', 'p05', `.tmp-${pid}-teacher.dlck`), 'x');
    const lines: string[] = [];
    const lock = acquireRunLock(folder, { log: (line) => lines.push(line) });
    assert.deepEqual(lines, [
      `taking over the lock of ${folder}: its holder (PID ${pid} on ${hostname()}, since 2026-01-02T03:04:05.000Z) is no longer running`,
      `removed 3 temporary files that a stopped process left in ${folder}`,
    ]);
    assert.equal((readLockHolder(folder) as { pid: number }).pid, process.pid);
    assert.deepEqual(readdirSync(folder).sort(), [LOCK_FILE, live, 'keep.csv', 'snapshots'].sort());
    assert.deepEqual(readdirSync(join(folder, 'snapshots', 'p05')), []);
    lock.release();
  } finally {
    sleeper.kill('SIGKILL');
  }
});

test('an unreadable lock file is taken over with a line', () => {
  const folder = join(dir, 'garbled');
  mkdirSync(folder);
  writeFileSync(join(folder, LOCK_FILE), '{"pid": 12');
  const lines: string[] = [];
  acquireRunLock(folder, { log: (line) => lines.push(line) }).release();
  assert.deepEqual(lines, [`taking over the lock of ${folder}: its lock file was unreadable`]);
});

test('a process that dies of an exception releases its locks', () => {
  const folder = join(dir, 'thrown');
  const script =
    "require('tsx/cjs/api').register(); const { acquireRunLock } = require('./src/util/run-lock');" +
    `acquireRunLock(${JSON.stringify(folder)}); throw new Error('boom');`;
  const result = spawnSync(process.execPath, ['-e', script], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  assert.equal(result.status, 1);
  assert.match(result.stderr, /Error: boom/);
  assert.equal(existsSync(join(folder, LOCK_FILE)), false);
});
