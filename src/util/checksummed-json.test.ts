import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checksummedJson, parseChecksummedJson } from './checksummed-json';

const VALUE = { updates: 12, evaluations: [{ updates: 6, scores: [1.5, -2] }] };
const CORRUPT = 'done.json: corrupt file (its contents do not match the SHA-256 recorded in it): delete it';

test('a checksummed JSON file is plain JSON whose first key is its SHA-256, and reads back its value', () => {
  const text = checksummedJson(VALUE);
  assert.match(text, /^\{\n {2}"sha256": "[0-9a-f]{64}",\n {2}"updates": 12,\n/);
  assert.ok(text.endsWith('}\n'));
  assert.deepEqual(parseChecksummedJson(text, 'done.json', 'delete it'), VALUE);
  assert.throws(() => checksummedJson({ sha256: 'x' }), {
    message: 'a checksummed JSON value cannot have its own sha256 key',
  });
});

test('a flipped byte anywhere (field, digest, keys, values, layout) is refused as corrupt', () => {
  const text = checksummedJson(VALUE);
  const bytes = Buffer.from(text, 'utf8');
  for (let at = 0; at < bytes.length; at++) {
    const damaged = Buffer.from(bytes);
    damaged[at] ^= 0x01;
    assert.throws(
      () => parseChecksummedJson(damaged.toString('utf8'), 'done.json', 'delete it'),
      { message: CORRUPT },
      `byte ${at}`,
    );
  }
  assert.throws(() => parseChecksummedJson(text.slice(0, -2), 'done.json', 'delete it'), { message: CORRUPT });
});

test('a file written without a checksum is refused, saying what to do', () => {
  assert.throws(() => parseChecksummedJson(`${JSON.stringify(VALUE, null, 2)}\n`, 'done.json', 'delete it'), {
    message: 'done.json: written without a checksum by an earlier version, which this version refuses: delete it',
  });
});
