import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../util/rng';
import { CORRIDOR_SPEC, CorridorEnv } from './corridor-env';
import { type BatchPolicy, evaluateEpisodes } from './evaluate-episodes';

const makeEnv = (seed: number) => new CorridorEnv(seed);
const frame = 5 * 5 * 2;
/** Walks toward the goal column (channel 1 marks it): wins every episode unless a slip interferes. */
const toGoal: BatchPolicy = (observations, n, out) => {
  for (let k = 0; k < n; k++) {
    const goalLeft = observations[k * frame + 1] === 1; // cell (0, 0), channel 1
    out[k] = goalLeft ? 1 : 2;
  }
};
const config = { episodes: 6, epsilon: 0, maxNoops: 0, maxEpisodeSteps: 1_000 };

test('each episode is its own: the first episodes of a larger evaluation are the smaller evaluation', () => {
  const six = evaluateEpisodes(CORRIDOR_SPEC, makeEnv, toGoal, config, new Rng(3));
  const three = evaluateEpisodes(CORRIDOR_SPEC, makeEnv, toGoal, { ...config, episodes: 3 }, new Rng(3));
  assert.equal(six.returns.length, 6);
  assert.deepEqual(three.returns, six.returns.slice(0, 3));
  assert.deepEqual(six.returns, [1, 1, 1, 1, 1, 1]);
  assert.equal(six.truncated, 0);
  // Our limit (1 step) cuts every episode that the first step does not end.
  const standing: BatchPolicy = (_, n, out) => out.fill(0, 0, n);
  const still = evaluateEpisodes(CORRIDOR_SPEC, makeEnv, standing, { ...config, maxEpisodeSteps: 1 }, new Rng(3));
  assert.equal(still.steps, 6);
  assert.equal(still.truncated + still.returns.filter((r) => r === 1).length, 6);
  // The corridor's own 20-step limit ends a standing agent's episodes as truncated: counted as well.
  const timedOut = evaluateEpisodes(CORRIDOR_SPEC, makeEnv, standing, { ...config, epsilon: 0 }, new Rng(3));
  assert.equal(timedOut.truncated, timedOut.returns.filter((r) => r === 0).length);
  assert.ok(timedOut.truncated > 0);
});

test('a null policy plays uniformly at random after the no-ops; bad budgets are refused', () => {
  const random = evaluateEpisodes(CORRIDOR_SPEC, makeEnv, null, { ...config, episodes: 40 }, new Rng(1));
  const wins = random.returns.filter((r) => r === 1).length;
  assert.ok(wins > 0 && wins < 40, `${wins} wins of 40`);
  assert.throws(() => evaluateEpisodes(CORRIDOR_SPEC, makeEnv, null, { ...config, episodes: 0 }, new Rng(1)), {
    message: 'evaluation episodes = 0: expected an integer ≥ 1',
  });
});
