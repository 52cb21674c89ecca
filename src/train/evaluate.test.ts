import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Env, EnvSpec, StepResult } from '../env/types';
import { Rng } from '../util/rng';
import { evaluatePolicy } from './evaluate';

const SPEC: EnvSpec = {
  id: 'test/counter',
  suite: 'minatar',
  game: 'counter',
  observationShape: [1, 1, 1],
  numActions: 3,
  legalActions: [0, 2],
  actionNames: ['noop', 'a', 'b'],
};

/** Pays 1 for full-set action 2 and 0 otherwise; the episode ends after `length` steps. Records the actions. */
function counterEnv(length: number, log: number[][]): (seed: number) => Env {
  return () => {
    const actions: number[] = [];
    log.push(actions);
    const result: StepResult = { reward: 0, terminal: false, truncated: false };
    return {
      spec: SPEC,
      reset: (obs) => obs.fill(0),
      step: (action) => {
        actions.push(action);
        result.reward = action === 2 ? 1 : 0;
        result.terminal = actions.length === length;
        return result;
      },
      render: () => ({ width: 1, height: 1, data: new Uint8Array(3) }),
      close: () => {},
    };
  };
}

test('greedy episodes without no-ops: the budget cuts the last episode, which is not counted', () => {
  const log: number[][] = [];
  const result = evaluatePolicy(
    SPEC,
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
    SPEC,
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
    SPEC,
    counterEnv(100, []),
    () => 0,
    { every: 1, steps: 10, epsilon: 0.05, maxNoops: 30 },
    new Rng(3),
  );
  assert.deepEqual(result, { steps: 10, returns: [], meanReturn: null });
});
