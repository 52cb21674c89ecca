import assert from 'node:assert/strict';
import { test } from 'node:test';
import { epsilonAt } from './epsilon';

test('epsilon falls linearly from start to end, then stays', () => {
  const schedule = { start: 1, end: 0.1, decaySteps: 100 };
  assert.equal(epsilonAt(schedule, 0), 1);
  assert.equal(epsilonAt(schedule, 50), 0.55);
  assert.equal(epsilonAt(schedule, 100), 0.1);
  assert.equal(epsilonAt(schedule, 1e9), 0.1);
});

test('a zero-step decay is at its end value at once', () => {
  assert.equal(epsilonAt({ start: 1, end: 0.05, decaySteps: 0 }, 0), 0.05);
});
