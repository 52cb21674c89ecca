import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { makeMinatarEnv } from '../env/minatar';
import { graphUpdatesEnabled } from '../nn/exported-graph';
import { MINATAR_PQN } from '../nn/qnetwork';
import { networkWeights } from './checkpoint-parts';
import type { PqnConfig } from './pqn-config';
import { PqnTrainer } from './pqn-trainer';

const dir = mkdtempSync(join(tmpdir(), 'pqn-trainer-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const CONFIG: PqnConfig = {
  seed: 11,
  totalSteps: 3 * 16 * 8,
  network: MINATAR_PQN,
  inputScale: 1,
  numEnvs: 16,
  rolloutSteps: 8,
  epochs: 2,
  minibatches: 4,
  gamma: 0.99,
  lambda: 0.65,
  learningRate: 5e-3,
  learningRateDecay: true,
  maxGradNorm: 1,
  epsilon: { start: 1, end: 0.05, decayFraction: 0.5 },
  evaluation: { every: 10_000, episodes: 2, finalEpisodes: 2, epsilon: 0.05, maxNoops: 30, maxEpisodeSteps: 100 },
  snapshots: [],
  checkpointEvery: 10_000,
};

const makeEnv = (seed: number) => makeMinatarEnv('breakout', { seed });
const spec = makeEnv(0).spec;

test(
  'the learning phase as one graph call computes what the eager kernels compute (to 1e-4)',
  { skip: !graphUpdatesEnabled() },
  () => {
    const trained = (['eager', 'graph'] as const).map((route) => {
      const trainer = PqnTrainer.create(CONFIG, spec, makeEnv, join(dir, `${route}.dlck`), route);
      assert.equal(trainer.route, route);
      const result = trainer.run();
      const weights = networkWeights(trainer.network);
      const q = trainer.qValues(new Uint8Array(10 * 10 * 4).fill(1), 1);
      trainer.dispose();
      return { result, weights, q };
    });
    const [eager, graph] = trained;
    // Three rollouts of 8 minibatch steps: the loss of every evaluation row and every weight agree.
    assert.equal(eager.result.step, 384);
    for (const name of Object.keys(eager.weights)) {
      eager.weights[name].forEach((value, i) => {
        const other = graph.weights[name][i];
        assert.ok(
          Math.abs(value - other) <= 1e-4 * Math.max(1, Math.abs(value)),
          `${name}[${i}]: ${value} vs ${other}`,
        );
      });
    }
    eager.q.forEach((value, i) => {
      assert.ok(Math.abs(value - graph.q[i]) < 1e-4, `q[${i}]: ${value} vs ${graph.q[i]}`);
    });
    const changed = Object.keys(eager.weights).some((name) =>
      eager.weights[name].some((v, i) => v !== graph.weights[name][i]),
    );
    assert.ok(changed || eager.weights !== graph.weights);
  },
);

test('a diverging loss stops a PQN run at its update, naming the last good checkpoint; a resume checks as before', (t) => {
  const path = join(dir, 'diverged.dlck');
  // Rollouts of 128 steps, each 8 updates and a checkpoint; the 3rd update of the 3rd rollout (update 19) is NaN.
  const config = { ...CONFIG, checkpointEvery: 128 };
  const prototype = PqnTrainer.prototype as unknown as Record<string, (...args: unknown[]) => number[]>;
  let rollouts = 0;
  let poison = (losses: number[]) => {
    if (rollouts === 3) losses[2] = Number.NaN;
  };
  const seen: number[] = [];
  for (const name of ['eagerLearn', 'graphLearn']) {
    const learn = prototype[name];
    t.mock.method(prototype, name, function (this: unknown, ...args: unknown[]) {
      const losses = learn.apply(this, args);
      rollouts++;
      poison(losses);
      seen.push(...losses);
      return losses;
    });
  }
  const trainer = PqnTrainer.create(config, spec, makeEnv, path);
  const checkpoints: number[] = [];
  assert.throws(() => trainer.run({ onCheckpoint: (_, step) => checkpoints.push(step) }), {
    name: 'DivergenceError',
    message:
      `training diverged at update 19: its loss is NaN; training stopped. The last good checkpoint is ${path} ` +
      '(step 256), kept as it was. Lower the learning rate (the same settings are likely to diverge again), or ' +
      'raise divergence.factor if such jumps are expected.',
  });
  trainer.dispose();
  assert.deepEqual(checkpoints, [128, 256]);
  // Resumed, the rule compares the first update's loss with the 16 losses saved in the checkpoint.
  const mean = seen.slice(0, 16).reduce((a, b) => a + b) / 16;
  poison = (losses) => {
    losses[0] = Math.max(1.5, 1000.5 * mean);
  };
  const resumed = PqnTrainer.resume(config, spec, makeEnv, path);
  assert.throws(() => resumed.run(), {
    name: 'DivergenceError',
    message:
      `training diverged at update 17: its loss ${Math.max(1.5, 1000.5 * mean)} is above 1000 × the mean of the previous 16 ` +
      `losses (${Number(mean.toPrecision(4))}); training stopped. The last good checkpoint is ${path} (step 256), ` +
      'kept as it was. Lower the learning rate (the same settings are likely to diverge again), or raise ' +
      'divergence.factor if such jumps are expected.',
  });
  resumed.dispose();
});
