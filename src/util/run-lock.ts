/**
 * One writer per folder: a run's folder, or a plan's result tables (written by `reproduce` or a notebook), is
 * locked by the process that writes it (FOLDER/.distill-lab.lock: its PID, host and start time), so a second
 * command is refused before it writes anything. Hand-written because npm's lock libraries (proper-lockfile,
 * lockfile) judge a lock stale by an mtime a timer refreshes, which a synchronous training loop never lets run;
 * this one asks whether its holder's PID is alive. A lock whose holder died on this host (a kill, a crash) is
 * taken over with a line saying so; one held on another host is refused, as it cannot be checked from here.
 */
import {
  type Dirent,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileError, temporaryOwner, withFileError } from './atomic-write';
import { displayPath } from './paths';

export const LOCK_FILE = '.distill-lab.lock';

/** Who holds a lock. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  /** ISO time the lock was taken. */
  readonly since: string;
}

/** A second writer's refusal: the folder is locked by a live process. */
export class FolderLockedError extends Error {
  constructor(
    readonly folder: string,
    readonly holder: LockHolder,
  ) {
    const where =
      holder.host === hostname()
        ? 'wait for it to finish or stop it, then run this command again'
        : `it runs on another host, so it cannot be checked from here: if it is no longer running, delete ${displayPath(join(folder, LOCK_FILE))}`;
    super(
      `${displayPath(folder)} is in use by another distill-lab process (PID ${holder.pid} on ${holder.host}, since ${holder.since}); ${where}`,
    );
    this.name = 'FolderLockedError';
  }
}

/** Whether process `pid` of this host is running (a zombie, dead but not yet reaped, is not). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
  }
  try {
    // /proc/PID/stat: "PID (name) STATE …"; the name may hold spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc: kill(0) is the answer
  }
}

/** The holder recorded in `folder`'s lock: null when it is unlocked, 'unreadable' when its file is not a holder. */
export function readLockHolder(folder: string, file: string = LOCK_FILE): LockHolder | 'unreadable' | null {
  const path = join(folder, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw fileError('read', path, error);
  }
  try {
    const holder = JSON.parse(text) as LockHolder;
    return Number.isInteger(holder.pid) && typeof holder.host === 'string' ? holder : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

/** Locks this process holds, by folder: released when it exits, however it exits short of SIGKILL. */
const held = new Map<string, RunLock>();
let exitHookInstalled = false;

export class RunLock {
  private released = false;

  constructor(
    readonly folder: string,
    readonly holder: LockHolder,
  ) {}

  /** Removes the lock file if it is still this lock's (idempotent). */
  release(): void {
    if (this.released) return;
    this.released = true;
    held.delete(this.folder);
    const current = readLockHolder(this.folder);
    if (current !== null && current !== 'unreadable' && sameHolder(current, this.holder))
      rmSync(join(this.folder, LOCK_FILE), { force: true });
  }
}

function sameHolder(a: LockHolder, b: LockHolder): boolean {
  return a.pid === b.pid && a.host === b.host && a.since === b.since;
}

/** Whether `holder` can no longer write: a process of this host that is not running (or a PID now reused by us). */
function isStale(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return false;
  if (holder.pid === process.pid) return true; // our PID, but not a lock we took: a previous life's
  return !isProcessAlive(holder.pid);
}

/**
 * Removes the temporary files (`.tmp-PID-…`) that a process no longer running left in `folder` and its
 * subfolders (a kill between writing and renaming); returns their paths.
 */
export function removeStaleTemporaries(folder: string): string[] {
  const removed: string[] = [];
  const visit = (dir: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const owner = temporaryOwner(entry.name);
      if (owner !== null && entry.isFile() && (owner === process.pid || !isProcessAlive(owner))) {
        rmSync(path, { force: true });
        removed.push(path);
      } else if (entry.isDirectory()) visit(path);
    }
  };
  visit(folder);
  return removed;
}

/** Writes `holder` as `path`, failing with EEXIST when a lock is there: content and name appear at once. */
function createLockFile(path: string, holder: LockHolder): void {
  const content = `${JSON.stringify(holder)}\n`;
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, content);
  try {
    linkSync(tmp, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw error;
    writeFileSync(path, content, { flag: 'wx' }); // a file system without hard links
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** Links `from` as `to` unless `to` exists. */
function linkIfAbsent(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/** Moves a stale lock out of the way, unless another process replaced it meanwhile. */
function removeStaleLock(folder: string, stale: LockHolder | 'unreadable'): boolean {
  const path = join(folder, LOCK_FILE);
  const aside = `${path}.stale-${process.pid}`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
  const moved = readLockHolder(aside, '');
  const same =
    moved === null ||
    (stale === 'unreadable' ? moved === 'unreadable' : moved !== 'unreadable' && sameHolder(moved, stale));
  // Another process took the stale lock over first: give it its lock back (unless a third one locked meanwhile).
  if (!same) linkIfAbsent(aside, path);
  rmSync(aside, { force: true });
  return same;
}

export interface LockOptions {
  /** Where the line about a lock taken over, or temporaries removed, goes (default: stderr). */
  readonly log?: (line: string) => void;
}

/**
 * Locks `folder` (created if missing) for this process, or throws `FolderLockedError` naming the folder and the
 * holder. A stale lock is taken over with a line saying so; the temporaries of dead writers are removed then.
 */
export function acquireRunLock(folder: string, options: LockOptions = {}): RunLock {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const path = join(folder, LOCK_FILE);
  if (held.has(folder)) throw new Error(`${displayPath(folder)} is already locked by this process`);
  withFileError('create folder', folder, () => mkdirSync(folder, { recursive: true }));
  const holder: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      createLockFile(path, holder);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 20) throw fileError('lock', folder, error);
    }
    const current = readLockHolder(folder);
    if (current === null) continue; // released meanwhile
    if (current === 'unreadable' && attempt < 10) {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20); // being written: look again
      continue;
    }
    if (current !== 'unreadable' && !isStale(current)) throw new FolderLockedError(folder, current);
    if (!removeStaleLock(folder, current)) continue;
    log(
      current === 'unreadable'
        ? `taking over the lock of ${displayPath(folder)}: its lock file was unreadable`
        : `taking over the lock of ${displayPath(folder)}: its holder (PID ${current.pid} on ${current.host}, since ${current.since}) is no longer running`,
    );
  }
  const lock = new RunLock(folder, holder);
  held.set(folder, lock);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const each of [...held.values()]) each.release();
    });
  }
  const removed = removeStaleTemporaries(folder);
  if (removed.length > 0)
    log(
      `removed ${removed.length} temporary file${removed.length === 1 ? '' : 's'} that a stopped process left in ${displayPath(folder)}`,
    );
  return lock;
}

/**
 * Removes `folder`'s lock if process `pid` holds it: for a parent whose child was killed before it could
 * release its own. Returns whether a lock was removed.
 */
export function releaseLockOf(folder: string, pid: number): boolean {
  const current = readLockHolder(folder);
  if (current === null || current === 'unreadable' || current.pid !== pid || current.host !== hostname()) return false;
  if (isProcessAlive(pid)) return false;
  try {
    unlinkSync(join(folder, LOCK_FILE));
  } catch {
    return false;
  }
  return true;
}

/** Runs `body` with `folder` locked, releasing the lock however `body` ends. */
export function withRunLock<T>(folder: string, body: () => T, options: LockOptions = {}): T {
  const lock = acquireRunLock(folder, options);
  try {
    return body();
  } finally {
    lock.release();
  }
}
