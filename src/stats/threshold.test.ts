import assert from 'node:assert/strict';
import { test } from 'node:test';
import { updatesRatio, updatesToThreshold } from './threshold';

const curve = { updates: [0, 10, 20, 30], scores: [1, 5, 3, 8] };

test('updatesToThreshold returns the first evaluation at or above the threshold', () => {
  assert.equal(updatesToThreshold(curve, 5), 10);
  assert.equal(updatesToThreshold(curve, 6), 30);
  assert.equal(updatesToThreshold(curve, 0), 0);
  assert.equal(updatesToThreshold(curve, 9), null);
});

test('updatesToThreshold rejects malformed curves', () => {
  assert.throws(() => updatesToThreshold({ updates: [0, 10], scores: [1] }, 1), /2 update counts but 1 scores/);
  assert.throws(() => updatesToThreshold({ updates: [0, 10, 10], scores: [1, 2, 3] }, 1), /point 2 has 10 after 10/);
  assert.throws(() => updatesToThreshold({ updates: [0], scores: [Number.NaN] }, 1), /score 0 is NaN/);
  assert.throws(() => updatesToThreshold(curve, Number.NaN), /threshold must be a finite number/);
});

test('updatesRatio is null when either count was not reached', () => {
  assert.equal(updatesRatio(10, 20), 0.5);
  assert.equal(updatesRatio(null, 20), null);
  assert.equal(updatesRatio(10, null), null);
  assert.throws(() => updatesRatio(10, 0), /denominator update count must be > 0, got 0/);
});
