import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EnvSpec } from '../env/types';
import { COUNTER_SPEC, counterEnv } from '../train/counter-env';
import { Rng } from '../util/rng';
import { evaluateBatched } from './batched-evaluation';

test('each game plays whole episodes side by side, with one batched forward pass per step', () => {
  const log: number[][] = [];
  const calls: number[] = [];
  // Action 1 looks best but is illegal here; among legal actions 2 wins.
  const q = (observations: readonly Uint8Array[], n: number) => {
    calls.push(observations.length * n);
    return Array.from({ length: n }, () => [0, 9, 1]).flat();
  };
  const [result] = evaluateBatched(
    [{ spec: COUNTER_SPEC, makeEnv: counterEnv(2, log) }],
    q,
    { episodes: 3, epsilon: 0, maxNoops: 0, maxEpisodeSteps: 100 },
    new Rng(1),
  );
  assert.deepEqual(result, { steps: 6, returns: [2, 2, 2], meanReturn: 2, truncated: 0 });
  assert.deepEqual(calls, [3, 3]);
  assert.deepEqual(log, [
    [2, 2],
    [2, 2],
    [2, 2],
  ]);
});

test('several games share each forward pass until the longest episode ends; each game scored on its own', () => {
  const other: EnvSpec = { ...COUNTER_SPEC, id: 'test/other', game: 'other', legalActions: [0, 1, 2] };
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
      { spec: COUNTER_SPEC, makeEnv: counterEnv(2, logs[0]) },
      { spec: other, makeEnv: counterEnv(3, logs[1]) },
    ],
    q,
    { episodes: 2, epsilon: 0, maxNoops: 0, maxEpisodeSteps: 100 },
    new Rng(3),
  );
  assert.equal(calls, 3);
  assert.deepEqual(
    results.map((r) => [r.returns, r.steps]),
    [
      [[2, 2], 4],
      [[0, 0], 6],
    ],
  );
  assert.deepEqual(logs[1], [
    [1, 1, 1],
    [1, 1, 1],
  ]);
});

test('episodes past maxEpisodeSteps are cut and counted; no forward pass when every episode explores', () => {
  let calls = 0;
  const q = (_: readonly Uint8Array[], n: number) => {
    calls++;
    return new Array(n * 3).fill(0);
  };
  const log: number[][] = [];
  const [result] = evaluateBatched(
    [{ spec: COUNTER_SPEC, makeEnv: counterEnv(10, log) }],
    q,
    { episodes: 3, epsilon: 1, maxNoops: 0, maxEpisodeSteps: 4 },
    new Rng(2),
  );
  assert.equal(calls, 0);
  assert.equal(result.truncated, 3);
  assert.equal(result.steps, 12);
  // Random legal actions (0 or 2): each episode's return is its count of action 2.
  assert.deepEqual(
    result.returns,
    log.map((actions) => actions.filter((a) => a === 2).length),
  );
  const noNoop = { ...COUNTER_SPEC, legalActions: [1, 2] };
  assert.throws(
    () =>
      evaluateBatched(
        [{ spec: noNoop, makeEnv: counterEnv(2, []) }],
        q,
        { episodes: 1, epsilon: 0, maxNoops: 0, maxEpisodeSteps: 10 },
        new Rng(1),
      ),
    /no-op \(action 0\) is not a legal action/,
  );
  assert.throws(
    () =>
      evaluateBatched(
        [{ spec: COUNTER_SPEC, makeEnv: counterEnv(2, []) }],
        q,
        { episodes: 0, epsilon: 0, maxNoops: 0, maxEpisodeSteps: 10 },
        new Rng(1),
      ),
    { message: 'evaluation.episodes must be an integer >= 1, got 0' },
  );
});
