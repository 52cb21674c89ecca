import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Rng } from '../util/rng';
import { CORRIDOR_SPEC, CorridorEnv } from './corridor-env';
import type { DqnConfig } from './dqn-config';
import { DqnTrainer, type EvaluationRow, envsFrom, NonFiniteLossError } from './dqn-trainer';
import { evaluatePolicy } from './evaluate';

const dir = mkdtempSync(join(tmpdir(), 'dqn-trainer-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const makeEnv = envsFrom((seed: number) => new CorridorEnv(seed));

const CONFIG: DqnConfig = {
  seed: 7,
  totalSteps: 600,
  network: { convs: [{ filters: 4, kernel: 3, stride: 1 }], hidden: [16] },
  inputScale: 1,
  replayCapacity: 400,
  batchSize: 8,
  gamma: 0.9,
  learningStarts: 100,
  updateEvery: 1,
  targetUpdateEvery: 50,
  epsilon: { start: 1, end: 0.1, decaySteps: 300 },
  optimizer: { learningRate: 1e-3, decay: 0.95, epsilon: 0.01, centered: true, epsilonOutsideRoot: true },
  loss: 'huber',
  doubleDqn: true,
  maxEpisodeSteps: null,
  evaluation: { every: 100, steps: 60, epsilon: 0.05, maxNoops: 3, finalEpisodes: 2, maxEpisodeSteps: 100 },
  checkpointEvery: 150,
};

/** The learning curve without the wall-clock column, which no two runs share. */
const curve = (rows: readonly EvaluationRow[]) => rows.map(({ seconds: _, ...rest }) => rest);

test('a run stopped after a checkpoint and resumed repeats the uninterrupted learning curve exactly', () => {
  const uninterrupted = DqnTrainer.create(CONFIG, CORRIDOR_SPEC, makeEnv, null);
  const full = uninterrupted.run();
  uninterrupted.dispose();
  assert.equal(full.finished, true);
  assert.equal(full.evaluations.length, 6);
  assert.deepEqual(
    full.evaluations.map((r) => r.step),
    [100, 200, 300, 400, 500, 600],
  );

  const path = join(dir, 'resume.dlck');
  const checkpoints: number[] = [];
  const first = DqnTrainer.create(CONFIG, CORRIDOR_SPEC, makeEnv, path);
  // Stops without a checkpoint, as a kill would, well after the last one.
  const partial = first.run({ onCheckpoint: (_, step) => checkpoints.push(step), shouldStop: (step) => step === 470 });
  first.dispose();
  assert.equal(partial.finished, false);
  assert.ok(checkpoints.length >= 2 && checkpoints.every((s) => s <= 470), `checkpoints at ${checkpoints}`);

  const resumed = DqnTrainer.resume(CONFIG, CORRIDOR_SPEC, makeEnv, path);
  assert.equal(resumed.step, checkpoints[checkpoints.length - 1]);
  const rest = resumed.run();
  resumed.dispose();
  assert.equal(rest.finished, true);
  assert.deepEqual(curve(rest.evaluations), curve(full.evaluations));
});

test('the corridor teacher learns to read the goal', () => {
  const config = { ...CONFIG, totalSteps: 1500, evaluation: { ...CONFIG.evaluation, every: 1500, steps: 200 } };
  const trainer = DqnTrainer.create(config, CORRIDOR_SPEC, makeEnv, null);
  const protocol = { ...config.evaluation, epsilon: 0 };
  const before = evaluatePolicy(CORRIDOR_SPEC, makeEnv.evaluation, trainer.greedyPolicy, protocol, new Rng(1));
  trainer.run();
  const after = evaluatePolicy(CORRIDOR_SPEC, makeEnv.evaluation, trainer.greedyPolicy, protocol, new Rng(1));
  trainer.dispose();
  // Returns are 1 (goal reached within 20 steps) or 0; walking one way, as the untrained network does, wins about half.
  assert.ok(before.meanReturn !== null && before.meanReturn < 0.6, `before training: ${before.meanReturn}`);
  assert.equal(after.meanReturn, 1);
});

test('resuming with another configuration names the keys that differ', () => {
  const path = join(dir, 'mismatch.dlck');
  const trainer = DqnTrainer.create({ ...CONFIG, totalSteps: 200 }, CORRIDOR_SPEC, makeEnv, path);
  trainer.run();
  trainer.dispose();
  assert.throws(
    () => DqnTrainer.resume({ ...CONFIG, totalSteps: 200, gamma: 0.5, batchSize: 4 }, CORRIDOR_SPEC, makeEnv, path),
    { message: `${path}: checkpoint was made with a different configuration (differs in: batchSize, gamma)` },
  );
});

test('a truncated or corrupted checkpoint is rejected naming the file', () => {
  const path = join(dir, 'damaged.dlck');
  const trainer = DqnTrainer.create({ ...CONFIG, totalSteps: 200 }, CORRIDOR_SPEC, makeEnv, path);
  trainer.run();
  trainer.dispose();
  const bytes = readFileSync(path);
  writeFileSync(path, bytes.subarray(0, bytes.length - 10));
  assert.throws(() => DqnTrainer.resume({ ...CONFIG, totalSteps: 200 }, CORRIDOR_SPEC, makeEnv, path), {
    message: new RegExp(`^${path}: truncated checkpoint \\(payload of \\d+ bytes, the header records \\d+\\)$`),
  });
  const flipped = Buffer.from(bytes);
  flipped[flipped.length - 1] ^= 0xff;
  writeFileSync(path, flipped);
  assert.throws(() => DqnTrainer.resume({ ...CONFIG, totalSteps: 200 }, CORRIDOR_SPEC, makeEnv, path), {
    message: `${path}: corrupt checkpoint (payload SHA-256 differs from the one in its header)`,
  });
});

test('a non-finite loss stops the run with its step and keeps the last good checkpoint', () => {
  const path = join(dir, 'nan.dlck');
  // From the 300th environment step of the run on, every reward is NaN: the next update's loss is NaN.
  const poisonedFrom = 300;
  let stepsSoFar = 0;
  const poisonedEnv = (seed: number) => {
    const env = new CorridorEnv(seed);
    const step = env.step.bind(env);
    env.step = (action, obs) => {
      const result = step(action, obs);
      if (++stepsSoFar >= poisonedFrom) result.reward = Number.NaN;
      return result;
    };
    return env;
  };
  const poisoned = envsFrom(poisonedEnv);
  const trainer = DqnTrainer.create(
    { ...CONFIG, evaluation: { ...CONFIG.evaluation, every: 10_000 } },
    CORRIDOR_SPEC,
    poisoned,
    path,
  );
  const checkpoints: number[] = [];
  let stoppedAt = 0;
  assert.throws(
    () => trainer.run({ onCheckpoint: (_, step) => checkpoints.push(step) }),
    (error: unknown) => {
      assert.ok(error instanceof NonFiniteLossError);
      assert.ok(error.step >= poisonedFrom, `stopped at ${error.step}`);
      stoppedAt = error.step;
      assert.equal(error.lastCheckpoint?.step, checkpoints[checkpoints.length - 1]);
      assert.match(
        error.message,
        new RegExp(
          `^loss became NaN at step ${error.step}; training stopped\\. The last good checkpoint is ${path} \\(step \\d+\\)\\.$`,
        ),
      );
      return true;
    },
  );
  trainer.dispose();
  assert.ok(checkpoints.length > 0 && checkpoints.every((s) => s < stoppedAt), `checkpoints at ${checkpoints}`);
  assert.equal(
    DqnTrainer.resume({ ...CONFIG, evaluation: { ...CONFIG.evaluation, every: 10_000 } }, CORRIDOR_SPEC, poisoned, path)
      .step,
    checkpoints[checkpoints.length - 1],
  );
});
