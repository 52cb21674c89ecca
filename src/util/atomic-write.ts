/**
 * Writes files so that a reader never sees half of one: a temporary name beside the target, then rename. The
 * writes are durable: each file is flushed to disk (fsync) before its rename and its folder after it, so a crash
 * or power loss leaves the old file or the new one. An I/O error names the file and the operation.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { displayPath } from './paths';

/** Temporary sibling of `path`; the `.tmp-` prefix is git-ignored and unique per process. */
export function temporaryPath(path: string): string {
  return join(dirname(path), `.tmp-${process.pid}-${basename(path)}`);
}

/**
 * The PID of the process that made temporary file `name` (`.tmp-PID-NAME`, or `NAME.tmp-PID` as replay
 * snapshots name theirs), or null for any other name.
 */
export function temporaryOwner(name: string): number | null {
  const match = /^\.tmp-(\d+)-/.exec(name) ?? /\.tmp-(\d+)$/.exec(name);
  return match ? Number(match[1]) : null;
}

const ERROR_HINTS: Record<string, string> = {
  ENOSPC: 'no space left on device (ENOSPC); free some space and run the same command again',
  EDQUOT: 'disk quota exceeded (EDQUOT); free some space and run the same command again',
  EACCES: 'permission denied (EACCES); make it writable, or set DISTILL_LAB_DATA_DIR to a writable folder',
  EPERM: 'operation not permitted (EPERM); make it writable, or set DISTILL_LAB_DATA_DIR to a writable folder',
  EROFS: 'read-only file system (EROFS); set DISTILL_LAB_DATA_DIR to a folder on a writable disk',
};

/** An I/O error of a file, with its code kept. */
export class FileError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    options: { cause: unknown },
  ) {
    super(message, options);
    this.name = 'FileError';
  }
}

/**
 * `error` as one message naming the operation and the file: `cannot OPERATION PATH: what happened`, with the
 * fix for a full disk, a permission or a read-only file system. An error already made here passes unchanged.
 */
export function fileError(operation: string, path: string, error: unknown): Error {
  if (error instanceof FileError) return error;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const reason = (code && ERROR_HINTS[code]) ?? (error instanceof Error ? error.message : String(error));
  return new FileError(`cannot ${operation} ${displayPath(path)}: ${reason}`, code, { cause: error });
}

/** Runs `io`, turning its error into `fileError(operation, path, …)`. */
export function withFileError<T>(operation: string, path: string, io: () => T): T {
  try {
    return io();
  } catch (error) {
    throw fileError(operation, path, error);
  }
}

/** Flushes folder `dir`'s entries (a rename in it) to disk; file systems that cannot are skipped. */
export function fsyncFolder(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'ENOTSUP' && code !== 'EISDIR') throw fileError('flush folder', dir, error);
  } finally {
    closeSync(fd);
  }
}

/** Writes `content` to `path` and flushes it to disk. */
function writeDurably(path: string, content: string | Uint8Array, target: string): void {
  const fd = withFileError('write', target, () => openSync(path, 'w'));
  try {
    const bytes = typeof content === 'string' ? Buffer.from(content) : content;
    withFileError('write', target, () => {
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
      fsyncSync(fd);
    });
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes every file to its temporary name first and renames only when all writes succeeded, so a failure
 * (full disk, bad content) leaves none of the targets changed. The renames follow the order of `files`.
 */
export function writeFilesAtomically(files: ReadonlyArray<{ path: string; content: string | Uint8Array }>): void {
  const temporaries = files.map((file) => temporaryPath(file.path));
  try {
    files.forEach((file, i) => {
      withFileError('create folder', dirname(file.path), () => mkdirSync(dirname(file.path), { recursive: true }));
      writeDurably(temporaries[i], file.content, file.path);
    });
  } catch (error) {
    for (const tmp of temporaries) {
      try {
        rmSync(tmp, { force: true });
      } catch {
        // its folder is what failed: nothing to remove
      }
    }
    throw error;
  }
  files.forEach((file, i) => {
    withFileError(`rename ${basename(temporaries[i])} to`, file.path, () => renameSync(temporaries[i], file.path));
  });
  for (const dir of new Set(files.map((file) => dirname(file.path)))) fsyncFolder(dir);
}
