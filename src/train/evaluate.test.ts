import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../util/rng';
import { COUNTER_SPEC, counterEnv } from './counter-env';
import { evaluatePolicy } from './evaluate';

test('greedy episodes without no-ops: the budget cuts the last episode, which is not counted', () => {
  const log: number[][] = [];
  const result = evaluatePolicy(
    COUNTER_SPEC,
    counterEnv(4, log),
    () => 1,
    { every: 1, steps: 10, epsilon: 0, maxNoops: 0 },
    new Rng(1),
  );
  assert.equal(result.steps, 10);
  assert.deepEqual(result.returns, [4, 4]);
  assert.equal(result.meanReturn, 4);
  assert.deepEqual(log, [
    [2, 2, 2, 2],
    [2, 2, 2, 2],
    [2, 2],
  ]);
});

test('no-ops open each episode, as many as the generator draws in [0, maxNoops]', () => {
  const log: number[][] = [];
  const result = evaluatePolicy(
    COUNTER_SPEC,
    counterEnv(5, log),
    () => 1,
    { every: 1, steps: 15, epsilon: 0, maxNoops: 3 },
    new Rng(2),
  );
  const draws = new Rng(2);
  const noops: number[] = [];
  for (let episode = 0; episode < 3; episode++) {
    draws.nextUint32(); // the episode's environment seed
    const n = draws.int(4);
    noops.push(n);
    for (let step = n; step < 5; step++) draws.random(); // the ε draw of each policy step
  }
  assert.deepEqual(
    log.map((actions) => actions.filter((a) => a === 0).length),
    noops,
  );
  assert.deepEqual(
    result.returns,
    noops.map((n) => 5 - n),
  );
});

test('no finished episode gives a null mean', () => {
  const result = evaluatePolicy(
    COUNTER_SPEC,
    counterEnv(100, []),
    () => 0,
    { every: 1, steps: 10, epsilon: 0.05, maxNoops: 30 },
    new Rng(3),
  );
  assert.deepEqual(result, { steps: 10, returns: [], meanReturn: null });
});
