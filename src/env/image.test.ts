import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PNG } from 'pngjs';
import { encodePng, upscale } from './image';

test('encodePng round-trips pixels through a PNG decoder', () => {
  const data = new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30]);
  const png = PNG.sync.read(encodePng({ width: 2, height: 2, data }));
  assert.equal(png.width, 2);
  assert.equal(png.height, 2);
  // Decoded as RGBA: pixel (1,1) is the last RGB triple with alpha 255.
  assert.deepEqual([...png.data.subarray(12, 16)], [10, 20, 30, 255]);
  assert.deepEqual([...png.data.subarray(4, 8)], [0, 255, 0, 255]);
});

test('upscale repeats each pixel factor×factor times', () => {
  const big = upscale({ width: 2, height: 1, data: new Uint8Array([1, 2, 3, 4, 5, 6]) }, 2);
  assert.equal(big.width, 4);
  assert.equal(big.height, 2);
  assert.deepEqual([...big.data], [1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6, 1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6]);
});

test('wrong buffer sizes are named', () => {
  assert.throws(() => encodePng({ width: 2, height: 2, data: new Uint8Array(5) }), /needs 12 bytes, got 5/);
  assert.throws(() => upscale({ width: 1, height: 1, data: new Uint8Array(3) }, 0), /got 0/);
});
