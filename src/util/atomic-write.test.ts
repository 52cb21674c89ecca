import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileError, temporaryOwner, temporaryPath, writeFilesAtomically } from './atomic-write';

const dir = mkdtempSync(join(tmpdir(), 'distill-atomic-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('temporaryPath is a hidden, per-process sibling', () => {
  assert.equal(temporaryPath('/a/b/fig.png'), `/a/b/.tmp-${process.pid}-fig.png`);
});

test('writeFilesAtomically writes every file and leaves no temporary behind', () => {
  writeFilesAtomically([
    { path: join(dir, 'new', 'a.txt'), content: 'alpha' },
    { path: join(dir, 'new', 'b.bin'), content: new Uint8Array([1, 2, 3]) },
  ]);
  assert.deepEqual(readdirSync(join(dir, 'new')).sort(), ['a.txt', 'b.bin']);
  assert.equal(readFileSync(join(dir, 'new', 'a.txt'), 'utf8'), 'alpha');
  assert.deepEqual([...readFileSync(join(dir, 'new', 'b.bin'))], [1, 2, 3]);
});

test('when one write fails, no target changes and the temporaries are removed', () => {
  mkdirSync(join(dir, 'old'));
  writeFileSync(join(dir, 'old', 'a.txt'), 'previous');
  writeFileSync(join(dir, 'blocker'), ''); // a file where the second target's folder should be
  assert.throws(() =>
    writeFilesAtomically([
      { path: join(dir, 'old', 'a.txt'), content: 'next' },
      { path: join(dir, 'blocker', 'b.txt'), content: 'never' },
    ]),
  );
  assert.equal(readFileSync(join(dir, 'old', 'a.txt'), 'utf8'), 'previous');
  assert.deepEqual(readdirSync(join(dir, 'old')), ['a.txt']);
});

test('an I/O error names the operation and the file, with the fix for a full disk, a permission, a read-only disk', () => {
  const failed = (code: string) =>
    fileError('write', '/data/runs/x/checkpoint.dlck', Object.assign(new Error(code), { code }));
  assert.equal(
    failed('ENOSPC').message,
    'cannot write /data/runs/x/checkpoint.dlck: no space left on device (ENOSPC); free some space and run the same command again',
  );
  assert.equal(
    failed('EACCES').message,
    'cannot write /data/runs/x/checkpoint.dlck: permission denied (EACCES); make it writable, or set DISTILL_LAB_DATA_DIR to a writable folder',
  );
  assert.equal(
    failed('EROFS').message,
    'cannot write /data/runs/x/checkpoint.dlck: read-only file system (EROFS); set DISTILL_LAB_DATA_DIR to a folder on a writable disk',
  );
  assert.equal((failed('ENOSPC') as NodeJS.ErrnoException).code, 'ENOSPC');
  // A real failure: the target's folder is a file.
  writeFileSync(join(dir, 'plain-file'), '');
  const target = join(dir, 'plain-file', 'table.csv');
  const folder = join(dir, 'plain-file');
  assert.throws(() => writeFilesAtomically([{ path: target, content: 'x' }]), {
    message: `cannot create folder ${folder}: EEXIST: file already exists, mkdir '${folder}'`,
  });
});

test('temporaryOwner reads the PID of both temporary names, and nothing else', () => {
  assert.equal(temporaryOwner('.tmp-1234-learning-curve.csv'), 1234);
  assert.equal(temporaryOwner('replay.bin.tmp-99'), 99);
  assert.equal(temporaryOwner('learning-curve.csv'), null);
  assert.equal(temporaryOwner('.tmp-x-a.csv'), null);
});
