import assert from 'node:assert/strict';
import { test } from 'node:test';
import { median, timeCalls } from './timing';

test('timeCalls runs warm-ups untimed, then returns one duration per repeat', () => {
  let calls = 0;
  const times = timeCalls(() => calls++, 4, 2);
  assert.equal(calls, 6);
  assert.equal(times.length, 4);
  assert.ok(times.every((ms) => ms >= 0 && ms < 1000));
});

test('timeCalls rejects repeat and warm-up counts that are not counts', () => {
  assert.throws(() => timeCalls(() => {}, 0), /repeats must be an integer ≥ 1, got 0/);
  assert.throws(() => timeCalls(() => {}, 1, -1), /warmups must be an integer ≥ 0, got -1/);
});

test('median of odd and even counts, unsorted input left untouched', () => {
  const values = [5, 1, 3];
  assert.equal(median(values), 3);
  assert.deepEqual(values, [5, 1, 3]);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.throws(() => median([]), /median of no values/);
});
