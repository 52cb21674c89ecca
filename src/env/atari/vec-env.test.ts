import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { PROJECT_ROOT } from '../../util/paths';
import { Rng } from '../../util/rng';
import { AtariEnv, type AtariOptions } from './env';
import { AtariVecEnv } from './vec-env';

const OBS = 84 * 84 * 4;
const threadCount = (): number => readdirSync('/proc/self/task').length;

describe('AtariVecEnv', () => {
  test('3 copies on 2 threads equal 3 single environments seeded seed + i·0x9e3779b9, auto-reset included', async () => {
    // Training protocol: no-op starts, episodic life and clipping all exercised by the native threads.
    const options: AtariOptions = { seed: 5, mode: 'training' };
    const vec = new AtariVecEnv('breakout', 3, { ...options, numThreads: 2 });
    const singles = [0, 1, 2].map((i) => new AtariEnv('breakout', { ...options, seed: (5 + i * 0x9e3779b9) >>> 0 }));
    const obs = singles.map(() => new Uint8Array(OBS));
    await vec.reset();
    singles.forEach((env, i) => {
      env.reset(obs[i]);
    });
    const rng = new Rng(3);
    let ends = 0;
    for (let t = 0; t < 300; t++) {
      const actions = [0, 1, 2].map(() => rng.int(18));
      await vec.step(actions);
      singles.forEach((env, i) => {
        const result = env.step(actions[i], obs[i]);
        assert.equal(vec.rewards[i], result.reward, `reward of copy ${i} at step ${t}`);
        assert.equal(vec.rawRewards[i], result.rawReward);
        assert.equal(vec.terminals[i], result.terminal ? 1 : 0, `terminal of copy ${i} at step ${t}`);
        assert.equal(vec.truncateds[i], result.truncated ? 1 : 0);
        assert.equal(vec.gameOvers[i], result.gameOver ? 1 : 0);
        if (result.terminal || result.truncated) {
          env.reset(obs[i]);
          ends++;
        }
        const view = vec.observations.subarray(i * OBS, (i + 1) * OBS);
        if (Buffer.compare(view, obs[i]) !== 0) assert.fail(`observation of copy ${i} differs at step ${t}`);
      });
    }
    assert.ok(ends > 0, 'some copy lost a life');
    vec.close();
  });

  test('writes into a caller-owned batch; a batch of the wrong size names the expected length', async () => {
    const batch = new Uint8Array(2 * OBS);
    const vec = new AtariVecEnv('pong', 2, { observations: batch, noopMax: 0 });
    assert.equal(vec.observations, batch);
    await vec.reset();
    assert.ok(
      batch.some((v) => v > 0),
      'the reset wrote frames',
    );
    vec.close();
    assert.throws(() => new AtariVecEnv('pong', 2, { observations: new Uint8Array(OBS) }), {
      message:
        'atari/pong: observation buffer must be a Uint8Array of length 56448 (shape [2, 84, 84, 4]), got a Uint8Array of length 28224',
    });
  });

  test('bad actions and overlapping steps are refused before anything runs', async () => {
    const vec = new AtariVecEnv('breakout', 2, { noopMax: 0 });
    await vec.reset();
    assert.throws(() => vec.step([0]), { message: 'atari/breakout: step needs 2 actions, got 1' });
    assert.throws(() => vec.step([0, 18]), { message: 'atari/breakout: action 1 must be an integer in 0..17, got 18' });
    const pending = vec.step([1, 1]);
    assert.throws(() => vec.step([0, 0]), { message: 'a step or reset is still running: await it before the next' });
    await pending;
    assert.throws(() => new AtariVecEnv('breakout', 0), { message: 'numEnvs must be a positive integer, got 0' });
    vec.close();
  });

  test('close waits for a step in flight and joins its threads; closing twice is harmless', async () => {
    const before = threadCount();
    const vec = new AtariVecEnv('breakout', 4, { numThreads: 4, noopMax: 0 });
    assert.equal(threadCount(), before + 4, 'four worker threads');
    await vec.reset();
    const pending = vec.step([1, 1, 1, 1]);
    vec.close();
    await pending;
    vec.close();
    assert.equal(threadCount(), before, 'no thread outlives its environment');
    assert.throws(() => vec.step([0, 0, 0, 0]), { message: 'atari/breakout: the environment is closed' });
  });

  test('Ctrl-C while stepping ends the process: nothing is left behind', async () => {
    const script = `
      const { AtariVecEnv } = require(${JSON.stringify(join(__dirname, 'vec-env.ts'))});
      const vec = new AtariVecEnv('breakout', 4, { numThreads: 2 });
      (async () => { await vec.reset(); console.log('ready'); for (;;) await vec.step([1, 3, 4, 0]); })();`;
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { cwd: PROJECT_ROOT });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
      child.on('exit', (code) => reject(new Error(`child exited early (${code})`)));
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    child.kill('SIGINT');
    const timeout = setTimeout(() => child.kill('SIGKILL'), 10_000);
    assert.equal(await exited, 'SIGINT');
    clearTimeout(timeout);
  });
});
