import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EnvSpec } from '../env/types';
import { COUNTER_SPEC, counterEnv } from '../train/counter-env';
import { Rng } from '../util/rng';
import { EvaluationRollout, evaluateBatched, evaluateLockstep } from './batched-evaluation';

test('each game plays whole episodes side by side, with one batched forward pass per step', () => {
  const log: number[][] = [];
  const calls: number[] = [];
  // Action 1 looks best but is illegal here; among legal actions 2 wins.
  const q = (observations: readonly Uint8Array[], rows: readonly number[]) => {
    calls.push(observations[0].length);
    return Array.from({ length: rows[0] }, () => [0, 9, 1]).flat();
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

test('several games share each forward pass until the longest episode ends, ended games sending no rows', () => {
  const other: EnvSpec = { ...COUNTER_SPEC, id: 'test/other', game: 'other', legalActions: [0, 1, 2] };
  const logs: number[][][] = [[], []];
  const calls: number[][] = [];
  // Game 0's rows prefer 2 (1 is illegal there); game 1's rows prefer 1, which earns nothing.
  const q = (observations: readonly Uint8Array[], rows: readonly number[]) => {
    calls.push([...rows]);
    assert.deepEqual(
      observations.map((o) => o.length),
      rows,
    );
    return Array.from({ length: rows[0] + rows[1] }, () => [0, 9, 1]).flat();
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
  assert.deepEqual(calls, [
    [2, 2],
    [2, 2],
    [0, 2],
  ]);
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
  const q = (_: readonly Uint8Array[], rows: readonly number[]) => {
    calls++;
    return new Array(rows[0] * 3).fill(0);
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

test('rollouts in lockstep play the episodes each plays alone, rated in one call per step, padded per game', () => {
  const other: EnvSpec = { ...COUNTER_SPEC, id: 'test/other', game: 'other', legalActions: [0, 1, 2] };
  const config = { episodes: 4, epsilon: 0.5, maxNoops: 3, maxEpisodeSteps: 100 };
  // Rollout r's greedy rows prefer action 2 in game 0 and action 2 − 2r in game 1 (so they play differently).
  const valuesOf = (r: number, rows: readonly number[]) => [
    ...Array.from({ length: rows[0] }, () => [0, 0, 1]).flat(),
    ...Array.from({ length: rows[1] }, () => (r === 0 ? [0, 0, 1] : [1, 0, 0])).flat(),
  ];
  const games = (logs: number[][][]) => [
    { spec: COUNTER_SPEC, makeEnv: counterEnv(2, logs[0]) },
    { spec: other, makeEnv: counterEnv(5, logs[1]) },
  ];
  const aloneLogs = [0, 1].map((): number[][][] => [[], []]);
  const alone = [0, 1].map((r) =>
    evaluateBatched(games(aloneLogs[r]), (_, rows) => valuesOf(r, rows), config, new Rng(10 + r)),
  );
  const lockstepLogs = [0, 1].map((): number[][][] => [[], []]);
  const calls: { rows: number[]; present: boolean[] }[] = [];
  const together = evaluateLockstep(
    [0, 1].map((r) => new EvaluationRollout(games(lockstepLogs[r]), config, new Rng(10 + r))),
    (observations, rows) => {
      observations.forEach((o) => {
        if (o !== null)
          assert.deepEqual(
            o.map((x) => x.length),
            rows,
          );
      });
      calls.push({ rows: [...rows], present: observations.map((o) => o !== null) });
      return observations.map((o, r) => (o === null ? null : valuesOf(r, rows)));
    },
  );
  assert.deepEqual(together, alone);
  assert.deepEqual(lockstepLogs, aloneLogs);
  // Every episode of game 1 lasts 5 steps, no-ops included: at most 5 calls, fewer when a step has no greedy row.
  assert.ok(calls.length <= 5 && calls.length >= 2, `${calls.length} calls`);
  assert.ok(calls.every(({ rows }) => rows.every((n) => n <= 4)));
  assert.ok(calls.some(({ rows }) => rows[0] === 0));
});
