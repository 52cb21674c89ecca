import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../../util/rng';
import { MinatarEnv, MinatarVecEnv } from '.';

describe('MinatarVecEnv', () => {
  it('steps N copies like N single envs seeded from the seed generator, resetting finished ones', () => {
    const n = 3;
    const vec = new MinatarVecEnv('breakout', n, { seed: 8 });
    const seeds = new Rng(8);
    const singles = Array.from({ length: n }, () => new MinatarEnv('breakout', { seed: seeds.nextUint32() }));
    const obs = singles.map(() => new Uint8Array(400));
    vec.reset();
    for (const [i, env] of singles.entries()) env.reset(obs[i]);
    assert.deepEqual(vec.observations, Uint8Array.from(obs.flatMap((o) => [...o])));
    const policy = new Rng(1);
    let terminals = 0;
    for (let t = 0; t < 300; t++) {
      const actions = Array.from({ length: n }, () => policy.int(6));
      vec.step(actions);
      singles.forEach((env, i) => {
        const r = env.step(actions[i], obs[i]);
        assert.equal(vec.rewards[i], r.reward);
        assert.equal(vec.terminals[i], r.terminal ? 1 : 0);
        assert.equal(vec.truncateds[i], 0);
        if (r.terminal) {
          terminals++;
          env.reset(obs[i]);
        }
      });
      assert.deepEqual(vec.observations, Uint8Array.from(obs.flatMap((o) => [...o])));
    }
    assert.ok(terminals > 10, `only ${terminals} episodes ended: the auto-reset was not exercised`);
  });

  it('rejects a wrong number of actions, bad actions and bad sizes', () => {
    const vec = new MinatarVecEnv('asterix', 2);
    vec.reset();
    assert.throws(() => vec.step([0]), { message: 'minatar/asterix: step needs 2 actions, got 1' });
    assert.throws(() => vec.step([0, 7]), { message: 'minatar/asterix: action 1 must be an integer in [0, 5], got 7' });
    assert.throws(() => new MinatarVecEnv('asterix', 0), { message: 'numEnvs must be a positive integer, got 0' });
    assert.equal(vec.observations.length, 2 * 400);
  });
});
