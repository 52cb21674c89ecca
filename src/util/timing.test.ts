import assert from 'node:assert/strict';
import { test } from 'node:test';
import { timeCalls } from './timing';

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
