/** Writes files so that a reader never sees half of one: a temporary name beside the target, then rename. */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Temporary sibling of `path`; the `.tmp-` prefix is git-ignored and unique per process. */
export function temporaryPath(path: string): string {
  return join(dirname(path), `.tmp-${process.pid}-${basename(path)}`);
}

/**
 * Writes every file to its temporary name first and renames only when all writes succeeded, so a failure
 * (full disk, bad content) leaves none of the targets changed.
 */
export function writeFilesAtomically(files: ReadonlyArray<{ path: string; content: string | Uint8Array }>): void {
  const temporaries = files.map((file) => temporaryPath(file.path));
  try {
    files.forEach((file, i) => {
      mkdirSync(dirname(file.path), { recursive: true });
      writeFileSync(temporaries[i], file.content);
    });
  } catch (error) {
    for (const tmp of temporaries) rmSync(tmp, { force: true });
    throw error;
  }
  files.forEach((file, i) => {
    renameSync(temporaries[i], file.path);
  });
}
