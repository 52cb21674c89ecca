import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Env, EnvSpec, StepResult } from '../env/types';
import { Rng } from '../util/rng';
import { evaluateBatched } from './batched-evaluation';

const SPEC: EnvSpec = {
  id: 'test/counter',
  suite: 'minatar',
  game: 'counter',
  observationShape: [1, 1, 1],
  numActions: 3,
  legalActions: [0, 2],
  actionNames: ['noop', 'a', 'b'],
};

/** Pays 1 for full-set action 2; episodes end after `length` steps; every environment logs its actions. */
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

test('copies play in lockstep with one batched forward per step; cut episodes are not counted', () => {
  const log: number[][] = [];
  const calls: number[] = [];
  // Action 1 looks best but is illegal here; among legal actions 2 wins.
  const q = (observations: readonly Uint8Array[], n: number) => {
    calls.push(observations.length * n);
    return Array.from({ length: n }, () => [0, 9, 1]).flat();
  };
  const [result] = evaluateBatched(
    [{ spec: SPEC, makeEnv: counterEnv(2, log) }],
    q,
    { steps: 5, epsilon: 0, maxNoops: 0, copies: 2 },
    new Rng(1),
  );
  // Each copy: episodes at steps 1–2 and 3–4 complete (return 2 each), step 5 opens a third that the budget cuts.
  assert.deepEqual(result, { steps: 10, returns: [2, 2, 2, 2], meanReturn: 2 });
  assert.deepEqual(calls, [2, 2, 2, 2, 2]);
  assert.deepEqual(log, [[2, 2], [2, 2], [2, 2], [2, 2], [2], [2]]);
});

test('several games share each forward pass: rows stacked game by game, each game scored on its own', () => {
  const other: EnvSpec = { ...SPEC, id: 'test/other', game: 'other', legalActions: [0, 1, 2] };
  const logs: number[][][] = [[], []];
  let calls = 0;
  // Game 0's rows prefer 2 (1 is illegal there); game 1's rows prefer 1, which earns nothing.
  const q = (observations: readonly Uint8Array[], n: number) => {
    calls++;
    assert.deepEqual(
      observations.map((o) => o.length),
      [n, n],
    );
    return [...Array.from({ length: n }, () => [0, 9, 1]).flat(), ...Array.from({ length: n }, () => [0, 9, 1]).flat()];
  };
  const results = evaluateBatched(
    [
      { spec: SPEC, makeEnv: counterEnv(2, logs[0]) },
      { spec: other, makeEnv: counterEnv(3, logs[1]) },
    ],
    q,
    { steps: 6, epsilon: 0, maxNoops: 0, copies: 2 },
    new Rng(3),
  );
  assert.equal(calls, 6);
  assert.deepEqual(
    results.map((r) => r.returns),
    [
      [2, 2, 2, 2, 2, 2],
      [0, 0, 0, 0],
    ],
  );
  assert.deepEqual(logs[1], [
    [1, 1, 1],
    [1, 1, 1],
    [1, 1, 1],
    [1, 1, 1],
  ]);
});

test('no forward pass when every copy explores or waits out its no-ops; none completed gives null', () => {
  let calls = 0;
  const q = (_: readonly Uint8Array[], n: number) => {
    calls++;
    return new Array(n * 3).fill(0);
  };
  const [result] = evaluateBatched(
    [{ spec: SPEC, makeEnv: counterEnv(10, []) }],
    q,
    { steps: 3, epsilon: 1, maxNoops: 0, copies: 3 },
    new Rng(2),
  );
  assert.equal(calls, 0);
  assert.deepEqual(result, { steps: 9, returns: [], meanReturn: null });
  const noNoop = { ...SPEC, legalActions: [1, 2] };
  assert.throws(
    () =>
      evaluateBatched(
        [{ spec: noNoop, makeEnv: counterEnv(2, []) }],
        q,
        { steps: 1, epsilon: 0, maxNoops: 0, copies: 1 },
        new Rng(1),
      ),
    /no-op \(action 0\) is not a legal action/,
  );
  assert.throws(
    () =>
      evaluateBatched(
        [{ spec: SPEC, makeEnv: counterEnv(2, []) }],
        q,
        { steps: 1, epsilon: 0, maxNoops: 0, copies: 0 },
        new Rng(1),
      ),
    /copies must be an integer >= 1, got 0/,
  );
});
