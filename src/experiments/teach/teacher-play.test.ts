import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tileHorizontally } from './teacher-play';

test('tiles images side by side with white gaps', () => {
  const a = { width: 1, height: 2, data: Uint8Array.of(1, 1, 1, 2, 2, 2) };
  const b = { width: 2, height: 2, data: Uint8Array.of(3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6) };
  assert.deepEqual(tileHorizontally([a, b]), {
    width: 4,
    height: 2,
    data: Uint8Array.of(1, 1, 1, 255, 255, 255, 3, 3, 3, 4, 4, 4, 2, 2, 2, 255, 255, 255, 5, 5, 5, 6, 6, 6),
  });
  assert.throws(() => tileHorizontally([a, { ...b, height: 3 }]), {
    message: 'images must share one height: got 2 and 3',
  });
});
