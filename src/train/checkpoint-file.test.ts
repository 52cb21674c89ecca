import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint-file';

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
    message: /^f\.dlck: truncated checkpoint \(header of \d+ bytes, file has 8 after the magic\)$/,
  });
  const badHeader = Uint8Array.from(bytes);
  badHeader[12] = 0x21; // '!' where the header's opening brace was
  assert.throws(() => decodeCheckpoint(badHeader, 'run', 'f.dlck'), {
    message: /^f\.dlck: corrupt checkpoint header /,
  });
});
