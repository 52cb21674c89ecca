import assert from 'node:assert/strict';
import { test } from 'node:test';
import { distillationPriorities, distillationPriority, stateValue } from './priority';

const close = (actual: number, expected: number, tolerance = 1e-12) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `expected ${expected}, got ${actual}`);

test('V_T is the maximum teacher Q-value over the legal actions only (eq. 1)', () => {
  const q = [5, 1, 3, 9, 2];
  assert.equal(stateValue(q, [1, 2, 4]), 3);
  assert.equal(stateValue(q, [0, 1, 2, 3, 4]), 9);
  // A row starting at offset 2 is [-4, -2, 7, 1]: its legal actions 2 and 3 hold 7 and 1.
  assert.equal(stateValue([0, 0, -4, -2, 7, 1], [2, 3], 2), 7);
});

test('eq. 5 priority by hand: two legal actions, tau = 1', () => {
  // Teacher softmax over legal {0, 2} of [0, ln 3] = [1/4, 3/4]; student of [0, 0] = [1/2, 1/2].
  // L1 distance 1/4 + 1/4 = 1/2, divided by |A| = 2 → 1/4. Action 1 (illegal, value 100) is ignored.
  close(distillationPriority([0, 100, Math.log(3)], [0, -100, 0], [0, 2], 1), 0.25);
});

test('eq. 5 priority by hand: the temperature divides the teacher values only', () => {
  // Teacher [0, 2 ln 3] / tau=2 → [0, ln 3] → [1/4, 3/4]; student [ln 3, 0] → [3/4, 1/4]: distance 1, /2 → 1/2.
  close(distillationPriority([0, 2 * Math.log(3)], [Math.log(3), 0], [0, 1], 2), 0.5);
  // Identical distributions have priority 0, even for large values (the maximum is subtracted first).
  close(distillationPriority([1000, 1001, 1002], [1000, 1001, 1002], [0, 1, 2], 1), 0);
});

test('batch priorities row by row, and a wrong shape or temperature is refused', () => {
  const out = new Float32Array(2);
  distillationPriorities([0, Math.log(3), 0, 0], [0, 0, 0, 0], 2, [0, 1], 1, out);
  assert.deepEqual(Array.from(out), [0.25, 0]);
  assert.throws(
    () => distillationPriorities([0, 1, 2], [0, 1, 2, 3], 2, [0, 1], 1, out),
    /expected 2 rows of 2 Q-values, got teacher 3/,
  );
  assert.throws(() => distillationPriority([0, 1], [0, 1], [0, 1], 0), /tau must be > 0, got 0/);
});
