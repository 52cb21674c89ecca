import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readSnapshot, writeSnapshot } from './snapshot';

const dir = mkdtempSync(join(tmpdir(), 'snapshot-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const SNAPSHOT = {
  header: { config: { capacity: 3 }, counters: { added: 2 } },
  sections: { a: Float32Array.of(1.5, -2, 3), b: Int32Array.of(7), c: Uint8Array.of(1, 2, 3, 4, 5) },
};

test('a flipped byte in any part of a replay snapshot is refused as corrupt; version 1 says how to regenerate it', () => {
  const path = join(dir, 'a.replay');
  writeSnapshot(path, SNAPSHOT);
  const bytes = readFileSync(path);
  assert.deepEqual(readSnapshot(path), SNAPSHOT);
  const headerLength = bytes.readUInt32LE(12);
  const { sections } = JSON.parse(bytes.toString('utf8', 48, 48 + headerLength)) as {
    sections: { name: string; length: number; offset: number }[];
  };
  const size = { a: 4, b: 4, c: 1 } as Record<string, number>;
  const corrupt =
    `${path}: corrupt replay snapshot (its contents do not match the SHA-256 recorded in it): delete it and ` +
    'save the buffer again';
  const parts: [string, number, number, string][] = [
    ['magic', 0, 8, `${path} is not a replay snapshot (no DLREPLAY magic)`],
    [
      'version',
      8,
      12,
      `${path}: corrupt replay snapshot, or one of a version this code does not read (version 3, expected 2)`,
    ],
    ['header length', 12, 16, corrupt],
    ['checksum', 16, 48, corrupt],
    ['header', 48, 48 + headerLength, corrupt],
    ...sections.map((s): [string, number, number, string] => [
      `section ${s.name}`,
      s.offset,
      s.offset + s.length * size[s.name],
      corrupt,
    ]),
  ];
  for (const [name, start, end, message] of parts) {
    // The version's low byte flips 2 → 3; its other bytes make versions no file has.
    for (const at of name === 'version' ? [start] : new Set([start, Math.floor((start + end) / 2), end - 1])) {
      const damaged = Buffer.from(bytes);
      damaged[at] ^= 0x01;
      writeFileSync(path, damaged);
      assert.throws(() => readSnapshot(path), { message }, `${name}, byte ${at}`);
    }
  }
  writeFileSync(path, bytes.subarray(0, bytes.length - 1));
  assert.throws(() => readSnapshot(path), { message: corrupt });
  const versionOne = Buffer.from(bytes);
  versionOne.writeUInt32LE(1, 8);
  writeFileSync(path, versionOne);
  assert.throws(() => readSnapshot(path), {
    message:
      `${path}: replay snapshot of version 1, written without a checksum by an earlier version; this version ` +
      'reads only checksummed snapshots (version 2): save the buffer again to regenerate it',
  });
});
