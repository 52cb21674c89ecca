import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeCheckpoint, encodeCheckpoint, RESTART_REMEDY } from './checkpoint-file';

const CONTENTS = {
  meta: { step: 12, name: 'x' },
  arrays: { a: Float32Array.of(1.5, -2), b: Int32Array.of(7), c: Uint8Array.of(1, 2, 3) },
};

test('a checkpoint round-trips its description and arrays exactly', () => {
  const decoded = decodeCheckpoint(encodeCheckpoint('run', CONTENTS), 'run', 'mem');
  assert.deepEqual(decoded, CONTENTS);
});

test('damaged or foreign files are named with what does not match', () => {
  const bytes = encodeCheckpoint('run', CONTENTS);
  assert.throws(() => decodeCheckpoint(bytes, 'teacher', 'f.dlck'), {
    message: "f.dlck: a 'run' checkpoint, expected a 'teacher' checkpoint",
  });
  assert.throws(() => decodeCheckpoint(Uint8Array.of(1, 2, 3), 'run', 'f.dlck'), {
    message: 'f.dlck: not a distill-lab checkpoint (the file does not start with the checkpoint magic)',
  });
  assert.throws(() => decodeCheckpoint(bytes.subarray(0, 20), 'run', 'f.dlck'), {
    message: `f.dlck: truncated checkpoint (20 bytes, fewer than its 44-byte prefix): ${RESTART_REMEDY}`,
  });
});

/** The byte ranges of a format-2 file: magic, checksum, header length, header, and each array's section. */
function parts(bytes: Uint8Array): [string, number, number][] {
  const buffer = Buffer.from(bytes);
  const headerLength = buffer.readUInt32LE(40);
  const header = JSON.parse(buffer.toString('utf8', 44, 44 + headerLength)) as {
    arrays: { name: string; bytes: number }[];
  };
  const ranges: [string, number, number][] = [
    ['magic', 0, 8],
    ['checksum', 8, 40],
    ['header length', 40, 44],
    ['header', 44, 44 + headerLength],
  ];
  let offset = 44 + headerLength;
  for (const entry of header.arrays) {
    ranges.push([`array ${entry.name}`, offset, offset + entry.bytes]);
    offset += entry.bytes;
  }
  assert.equal(offset, bytes.length);
  return ranges;
}

test('a flipped byte in any part of a checkpoint is refused as corrupt, with what to do', () => {
  const bytes = encodeCheckpoint('run', CONTENTS);
  const corrupt = `f.dlck: corrupt checkpoint (its contents do not match the SHA-256 recorded in it): ${RESTART_REMEDY}`;
  const magic = (at: number) =>
    at < 6
      ? 'f.dlck: not a distill-lab checkpoint (the file does not start with the checkpoint magic)'
      : `f.dlck: corrupt checkpoint, or one of a format this version does not read (magic ${JSON.stringify(
          `DLCKPT2\n`.slice(0, at) + String.fromCharCode('DLCKPT2\n'.charCodeAt(at) ^ 1),
        )}, expected "DLCKPT2\\n"): ${RESTART_REMEDY}`;
  const expected: Record<string, string | ((at: number) => string)> = {
    magic,
    checksum: corrupt,
    'header length': corrupt,
    header: corrupt,
    'array a': corrupt,
    'array b': corrupt,
    'array c': corrupt,
  };
  const ranges = parts(bytes);
  assert.deepEqual(
    ranges.map(([name]) => name),
    Object.keys(expected),
  );
  for (const [name, start, end] of ranges) {
    for (const at of new Set([start, Math.floor((start + end) / 2), end - 1])) {
      const damaged = Uint8Array.from(bytes);
      damaged[at] ^= 0x01;
      const message = expected[name];
      assert.throws(
        () => decodeCheckpoint(damaged, 'run', 'f.dlck'),
        { message: typeof message === 'string' ? message : message(at) },
        `${name}, byte ${at}`,
      );
    }
  }
  // The version digit of the magic, and a file of the earlier format (no checksum over its header).
  const version = Uint8Array.from(bytes);
  version[6] = 0x33;
  assert.throws(() => decodeCheckpoint(version, 'run', 'f.dlck', 'do X'), {
    message:
      'f.dlck: corrupt checkpoint, or one of a format this version does not read (magic "DLCKPT3\\n", expected "DLCKPT2\\n"): do X',
  });
  const formatOne = Buffer.concat([Buffer.from('DLCKPT1\n', 'latin1'), bytes.subarray(40)]);
  assert.throws(() => decodeCheckpoint(formatOne, 'run', 'f.dlck', 'do X'), {
    message:
      'f.dlck: checkpoint of format 1, written without a checksum by an earlier version; this version reads only ' +
      'checksummed files (format 2): do X',
  });
  assert.throws(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 1), 'run', 'f.dlck'), { message: corrupt });
  assert.deepEqual(decodeCheckpoint(bytes, 'run', 'f.dlck'), CONTENTS);
});
