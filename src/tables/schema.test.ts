import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitsColumnType } from './schema';

test('fitsColumnType accepts exactly the values of each type, and null everywhere', () => {
  assert.deepEqual(
    [1.5, Number.NaN, 'x', true].map((v) => fitsColumnType(v, 'float64')),
    [true, true, false, false],
  );
  assert.deepEqual(
    [7, -2147483648, 2147483647, 2147483648, 1.5, '7'].map((v) => fitsColumnType(v, 'int32')),
    [true, true, true, false, false, false],
  );
  assert.deepEqual(
    ['a', 1, false].map((v) => fitsColumnType(v, 'utf8')),
    [true, false, false],
  );
  assert.deepEqual(
    [true, 0, 'true'].map((v) => fitsColumnType(v, 'bool')),
    [true, false, false],
  );
  assert.deepEqual(
    [null, undefined].map((v) => fitsColumnType(v, 'int32')),
    [true, true],
  );
});
