import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CORRIDOR_SPEC, CorridorEnv } from '../train/corridor-env';
import { Rng } from '../util/rng';
import { binShares, valueRange, visitedStateValues } from './state-values';

test('binShares splits the range evenly and clamps values outside it to the end bins', () => {
  // Range [0, 10] in 5 bins of width 2: 1→0, 3→1, 3.9→1, 10→4 (the top edge), −4→0, 25→4.
  assert.deepEqual(binShares([1, 3, 3.9, 10, -4, 25], [0, 10], 5), [2 / 6, 2 / 6, 0, 0, 2 / 6]);
  assert.throws(() => binShares([1], [2, 2], 10), /range needs min < max, got \[2, 2\]/);
});

test('valueRange is [min, max] and refuses a flat distribution', () => {
  assert.deepEqual(valueRange(Float32Array.of(2, -1, 5)), [-1, 5]);
  assert.throws(() => valueRange([3, 3]), /every state value equals 3/);
  assert.throws(() => valueRange([1, Number.NaN]), /state value 1 is NaN/);
});

test('visitedStateValues records max_a q_T of each visited state, across episodes', () => {
  // A "teacher" whose values read the agent's column (channel 0 of the 5×5×2 grid): V = column index.
  const column = (obs: Uint8Array) => {
    for (let cell = 0; cell < 25; cell++) if (obs[cell * 2] === 1) return cell % 5;
    throw new Error('no agent');
  };
  const seen: number[] = [];
  const teacherQ = (obs: Uint8Array) => {
    seen.push(column(obs));
    return [column(obs) - 1, column(obs), column(obs) - 2];
  };
  const alwaysRight = () => 2;
  const values = visitedStateValues(
    CORRIDOR_SPEC,
    (s) => new CorridorEnv(s),
    teacherQ,
    alwaysRight,
    { steps: 40, epsilon: 0 },
    new Rng(1),
  );
  // One value per step, each the max of that step's q_T (the agent's column), in the order visited.
  assert.equal(values.length, 40);
  assert.deepEqual(Array.from(values), seen);
  // Walking right (with slips) stays on the grid and passes column 3.
  assert.ok(values.every((v) => v >= 0 && v <= 4));
  assert.ok(values.some((v) => v === 3));
  assert.throws(
    () =>
      visitedStateValues(
        CORRIDOR_SPEC,
        (s) => new CorridorEnv(s),
        teacherQ,
        alwaysRight,
        { steps: 0, epsilon: 0 },
        new Rng(1),
      ),
    /steps must be an integer >= 1, got 0/,
  );
});
