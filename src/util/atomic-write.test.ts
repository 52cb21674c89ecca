import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { temporaryPath, writeFilesAtomically } from './atomic-write';

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
