import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lambdaReturns } from './lambda-returns';

const f32 = (values: number[]) => Float32Array.from(values);

test('λ-returns of two interleaved environments equal the hand-computed recursion', () => {
  // Row t·2 + i: environment 0 has no terminal; environment 1 ends at its last step.
  const out = lambdaReturns({
    rewards: f32([1, 0, 2, 0, 3, 1]),
    dones: Uint8Array.from([0, 0, 0, 0, 0, 1]),
    nextMaxQ: f32([10, 4, 20, 4, 40, 4]),
    numEnvs: 2,
    gamma: 0.5,
    lambda: 0.5,
  });
  // env 0: G2 = 3 + ½·40 = 23; G1 = 2 + ½(½·20 + ½·23) = 12.75; G0 = 1 + ½(½·10 + ½·12.75) = 6.6875
  // env 1: G2 = 1 (terminal); G1 = ½(½·4 + ½·1) = 1.25; G0 = ½(½·4 + ½·1.25) = 1.3125
  assert.deepEqual([...out], [6.6875, 1.3125, 12.75, 1.25, 23, 1]);
});

test('a terminal cuts the sum; λ = 0 is the one-step target, λ = 1 the bootstrapped return', () => {
  const base = { rewards: f32([1, 2, 3]), nextMaxQ: f32([10, 20, 40]), numEnvs: 1, gamma: 0.5 };
  assert.deepEqual([...lambdaReturns({ ...base, dones: Uint8Array.from([0, 1, 0]), lambda: 0.5 })], [4, 2, 23]);
  assert.deepEqual([...lambdaReturns({ ...base, dones: new Uint8Array(3), lambda: 0 })], [6, 12, 23]);
  // λ = 1: 1 + ½(2 + ½(3 + ½·40)) = 7.75
  assert.deepEqual([...lambdaReturns({ ...base, dones: new Uint8Array(3), lambda: 1 })], [7.75, 13.5, 23]);
});

test('lengths that do not fit are refused, naming them', () => {
  assert.throws(
    () =>
      lambdaReturns({
        rewards: f32([1, 2, 3]),
        dones: new Uint8Array(3),
        nextMaxQ: f32([0, 0, 0]),
        numEnvs: 2,
        gamma: 0.9,
        lambda: 0.5,
      }),
    { message: 'λ-returns: 3 rows are not a whole number of steps of 2 environments' },
  );
  assert.throws(
    () =>
      lambdaReturns({
        rewards: f32([1, 2]),
        dones: new Uint8Array(1),
        nextMaxQ: f32([0, 0]),
        numEnvs: 1,
        gamma: 0.9,
        lambda: 0.5,
      }),
    { message: 'λ-returns need equal lengths: rewards 2, dones 1, nextMaxQ 2, out 2' },
  );
});
