import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { EnvSpec } from '../env/types';
import { Rng } from '../util/rng';
import { decodeCheckpoint, encodeCheckpoint, readCheckpoint, writeCheckpoint } from './checkpoint-file';
import { SavedCheckpoint } from './checkpointer';
import { CORRIDOR_DQN, CORRIDOR_SPEC, CorridorEnv } from './corridor-env';
import { DivergenceError } from './divergence';
import { DqnAgent, type TransitionBatch } from './dqn-agent';
import type { DqnConfig } from './dqn-config';
import { DqnReplay } from './dqn-replay';
import { DqnTrainer, RUN_CHECKPOINT_KIND } from './dqn-trainer';
import { evaluatePolicy } from './evaluate';
import { type EvaluationRow, envsFrom } from './trainer-common';

const dir = mkdtempSync(join(tmpdir(), 'dqn-trainer-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const makeEnv = envsFrom((seed: number) => new CorridorEnv(seed));

/** The demo's corridor DQN at a test's scale (a smaller network, memory and schedule), with Double DQN. */
const CONFIG: DqnConfig = {
  ...CORRIDOR_DQN,
  seed: 7,
  totalSteps: 600,
  network: { convs: [{ filters: 4, kernel: 3, stride: 1 }], hidden: [16] },
  replayCapacity: 400,
  batchSize: 8,
  learningStarts: 100,
  targetUpdateEvery: 50,
  epsilon: { ...CORRIDOR_DQN.epsilon, end: 0.1, decaySteps: 300 },
  doubleDqn: true,
  evaluation: { ...CORRIDOR_DQN.evaluation, every: 100, steps: 60, finalEpisodes: 2 },
  checkpointEvery: 150,
};

/**
 * An Atari-suite game of 1×1 frames stacked in pairs: an observation is [previous frame, frame], and a reset's
 * [first frame, first frame] (the environment's padding). The replay stores each frame once and rebuilds pairs.
 */
const PAIR_SPEC: EnvSpec = {
  id: 'test/pairs',
  suite: 'atari',
  game: 'pairs',
  observationShape: [1, 1, 2],
  numActions: 3,
  legalActions: [0, 1, 2],
  actionNames: ['a', 'b', 'c'],
};
const obs = ([previous, frame]: readonly [number, number]) => Uint8Array.of(previous, frame);

interface Transition {
  readonly s: readonly [number, number];
  readonly action: number;
  readonly reward: number;
  readonly terminal: boolean;
  readonly truncated: boolean;
  readonly next: readonly [number, number];
}

/** `count` steps of episodes that end terminal at steps 3, 13, ... and truncated at steps 8, 18, ... */
function trajectory(count: number): Transition[] {
  const steps: Transition[] = [];
  let s: [number, number] = [0, 0];
  for (let i = 0; i < count; i++) {
    const terminal = i % 10 === 3;
    const truncated = i % 10 === 8;
    const next: [number, number] = [s[1], s[1] + 2];
    steps.push({ s, action: i % 3, reward: (i % 3) - 1, terminal, truncated, next });
    // After an episode's end the next one starts elsewhere, its first frame twice: its s is not the last s'.
    s = terminal || truncated ? [next[1] + 2, next[1] + 2] : next;
  }
  return steps;
}

function filledReplay(capacity: number, steps: readonly Transition[], batchSize: number, seed = 3): DqnReplay {
  const replay = new DqnReplay(capacity, PAIR_SPEC, batchSize, seed);
  for (const t of steps) replay.add(obs(t.s), t.action, t.reward, t.terminal, t.truncated, obs(t.next));
  return replay;
}

test('the replay draws stored transitions uniformly, with s′ from the next experience, the newest or a time-limit cut', () => {
  // Capacity 8 keeps additions 12–19: 13 terminal, 18 truncated, 19 the newest; 8 (truncated) was overwritten.
  const steps = trajectory(20);
  const replay = filledReplay(8, steps, 8);
  assert.equal(replay.size, 8);
  const batch = replay.allocateBatch();
  const draws = new Rng(3);
  const drawn = new Set<number>();
  for (let round = 0; round < 8; round++) {
    replay.sample(batch, 0.9, 0.5);
    const additions = Array.from({ length: 8 }, () => {
      const slot = draws.int(8);
      return slot + (slot < 4 ? 16 : 8); // slots 0–3 hold additions 16–19, 4–7 additions 12–15
    });
    additions.forEach((k, b) => {
      drawn.add(k);
      checkRow(batch, b, steps[k], `round ${round}, row ${b} (addition ${k})`);
    });
  }
  assert.equal(drawn.size, 8, 'every stored transition drawn');
});

/** Row `b` of a batch drawn with γ = 0.9 and scale 1/2 holds transition `t`. */
function checkRow(batch: TransitionBatch, b: number, t: Transition, row: string): void {
  assert.deepEqual([...batch.observations.subarray(2 * b, 2 * b + 2)], [t.s[0] / 2, t.s[1] / 2], row);
  assert.equal(batch.actions[b], t.action, row);
  assert.equal(batch.rewards[b], t.reward, row);
  assert.equal(batch.discounts[b], t.terminal ? 0 : Math.fround(0.9), row);
  // A terminal transition's s′ is never used.
  if (!t.terminal) {
    assert.deepEqual([...batch.nextObservations.subarray(2 * b, 2 * b + 2)], [t.next[0] / 2, t.next[1] / 2], row);
  }
}

test('a restored replay draws exactly what the original does, before and after further additions', () => {
  const steps = trajectory(40);
  const original = filledReplay(16, steps.slice(0, 29), 16); // addition 28 is a cut: its s′ is kept aside
  const bytes = encodeCheckpoint(RUN_CHECKPOINT_KIND, original.checkpointState());
  const saved = new SavedCheckpoint(decodeCheckpoint(bytes, RUN_CHECKPOINT_KIND, 'run.dlck'), 'run.dlck');
  // Additions 18 and 28; addition 8's slot was overwritten.
  assert.deepEqual(saved.meta<{ cutSlots: number[] }>('replay').cutSlots, [2, 12]);
  const copy = new DqnReplay(16, PAIR_SPEC, 16, 99);
  copy.restoreCheckpointState(saved);
  const draw = (replay: DqnReplay) => {
    const batch = replay.allocateBatch();
    replay.sample(batch, 0.99);
    return batch;
  };
  assert.deepEqual(draw(copy), draw(original));
  for (const t of steps.slice(29)) {
    for (const replay of [original, copy]) {
      replay.add(obs(t.s), t.action, t.reward, t.terminal, t.truncated, obs(t.next));
    }
  }
  assert.deepEqual(draw(copy), draw(original));
});

test('the replay names bad input', () => {
  const replay = new DqnReplay(4, PAIR_SPEC, 2, 1);
  assert.throws(() => replay.sample(replay.allocateBatch(), 0.9), {
    message: 'memory holds 0 experiences, a batch of 2 needs at least 2',
  });
  assert.throws(() => replay.add(obs([1, 1]), 0, 0, false, false, Uint8Array.of(1)), {
    message: 'observations must hold 2 values, got 2 and 1',
  });
  assert.throws(() => replay.add(Uint8Array.of(1, 1, 1), 0, 0, false, false, obs([1, 1])), {
    message: 'observations must hold 2 values, got 3 and 2',
  });
  assert.throws(() => replay.add(obs([1, 1]), 0, 0.5, false, false, obs([1, 2])), {
    message:
      "reward must be an integer in [-128, 127] (stored in one byte; MinAtar's rewards and Atari's clipped ones are), got 0.5",
  });
  assert.throws(() => replay.add(obs([1, 1]), 3, 0, false, false, obs([1, 2])), {
    message: 'action must be an integer in [0, 3), got 3',
  });
  assert.equal(replay.size, 0);
});

/** A transition with its observations as the environment gave them. */
interface Transition84 {
  readonly s: Uint8Array;
  readonly action: number;
  readonly reward: number;
  readonly terminal: boolean;
  readonly truncated: boolean;
  readonly next: Uint8Array;
}

/**
 * The Atari environment's stacking (native/ale/src/emulator.cpp, pushFrame): 84×84×4 observations, newest frame
 * last, and every reset (a new game, or the next life after a lost one under episodic life) fills all four
 * channels with the new episode's first frame. Frame `g` (one per reset or step) is a pattern unique to `g`.
 */
class StackingEnv {
  static readonly PIXELS = 84 * 84;
  private frames = 0;
  private stack: Uint8Array[] = [];

  reset(obs: Uint8Array): void {
    const first = this.nextFrame();
    this.stack = [first, first, first, first];
    this.write(obs);
  }

  step(obs: Uint8Array): void {
    this.stack = [...this.stack.slice(1), this.nextFrame()];
    this.write(obs);
  }

  private nextFrame(): Uint8Array {
    const g = this.frames++;
    return Uint8Array.from({ length: StackingEnv.PIXELS }, (_, p) => (p * 31 + g * 57 + (p >> 7) * 13) % 256);
  }

  private write(obs: Uint8Array): void {
    for (let p = 0; p < StackingEnv.PIXELS; p++) {
      for (let c = 0; c < 4; c++) obs[4 * p + c] = this.stack[c][p];
    }
  }
}

test("Atari: sampled s and s′ are the environment's observations byte for byte, across lost lives, games and the ring wrap", () => {
  const spec: EnvSpec = { ...PAIR_SPEC, id: 'test/atari', observationShape: [84, 84, 4], legalActions: [0, 1, 3, 4] };
  const memory = new DqnReplay(1, spec, 1, 0).buffer.memory;
  assert.deepEqual([memory.frameShape, memory.stackSize, memory.stackPadding], [[84, 84, 1], 4, 'firstFrame']);
  // Episodes as the trainer sees them under episodic life: a lost life is terminal and the next reset starts a
  // new stack. One game: lives of 6 steps, 1 step (lost at once) and 5 steps (cut by a time limit); a second
  // game of 3 steps (game over); a third game still running at its 3rd step (the newest transition).
  const episodes: { steps: number; end: 'terminal' | 'truncated' | null }[] = [
    { steps: 6, end: 'terminal' },
    { steps: 1, end: 'terminal' },
    { steps: 5, end: 'truncated' },
    { steps: 3, end: 'terminal' },
    { steps: 3, end: null },
  ];
  // Capacity 14 keeps additions 4–17 (addition 4's stack reaches back to frames of overwritten slots); the frame
  // ring of 17 slots wraps at addition 17.
  const replay = new DqnReplay(14, spec, 8, 5);
  const env = new StackingEnv();
  const transitions: Transition84[] = [];
  let observation = new Uint8Array(84 * 84 * 4);
  let next = new Uint8Array(84 * 84 * 4);
  for (const { steps, end } of episodes) {
    env.reset(observation);
    for (let i = 0; i < steps; i++) {
      env.step(next);
      const k = transitions.length;
      const last = i === steps - 1;
      const t = {
        s: observation.slice(),
        action: k % 4,
        reward: (k % 3) - 1,
        terminal: last && end === 'terminal',
        truncated: last && end === 'truncated',
        next: next.slice(),
      };
      transitions.push(t);
      replay.add(observation, t.action, t.reward, t.terminal, t.truncated, next);
      [observation, next] = [next, observation];
    }
  }
  assert.equal(transitions.length, 18);
  assert.equal(replay.size, 14);
  // Each s is unique (its newest frame is): a drawn row is identified by its s, which must be a stored one.
  const key = (values: ArrayLike<number>) => Buffer.from(Uint8Array.from(values)).toString('base64');
  const byState = new Map(transitions.map((t, k) => [key(t.s), k]));
  const batch = replay.allocateBatch();
  const n = 84 * 84 * 4;
  const drawn = new Set<number>();
  for (let round = 0; round < 24; round++) {
    replay.sample(batch, 0.99);
    for (let b = 0; b < 8; b++) {
      const k = byState.get(key(batch.observations.subarray(b * n, (b + 1) * n)));
      assert.ok(k !== undefined && k >= 4, `round ${round}, row ${b}: s is not a stored observation`);
      const t = transitions[k];
      const row = `round ${round}, row ${b} (addition ${k})`;
      assert.equal(batch.actions[b], t.action, row);
      assert.equal(batch.rewards[b], t.reward, row);
      assert.equal(batch.discounts[b], t.terminal ? 0 : Math.fround(0.99), row);
      // A terminal transition's s′ is never used (its discount is 0); every other one is the environment's.
      if (!t.terminal) assert.ok(key(batch.nextObservations.subarray(b * n, (b + 1) * n)) === key(t.next), row);
      drawn.add(k);
    }
  }
  assert.deepEqual(
    [...drawn].sort((a, b) => a - b),
    Array.from({ length: 14 }, (_, i) => i + 4),
    'every stored transition drawn',
  );
});

test("the replay's footprint is its memory's: each observation (Atari: frame) once, with action, reward, flags and an unused q_T", () => {
  const minatar: EnvSpec = { ...CORRIDOR_SPEC, observationShape: [10, 10, 4], legalActions: [0, 1, 3] };
  const atari: EnvSpec = { ...PAIR_SPEC, observationShape: [84, 84, 4], legalActions: [0, 1, 3, 4] };
  // MinAtar: 400 values bit-packed in 50 B + 3 B + 3 × 4 B. Atari: one 84×84 frame, 7,056 B + 3 B rounded to
  // 7,060, + 4 × 4 B; fixed: the 3 frames the ring keeps beyond its capacity and the newest s′ (84 × 84 × 4 B).
  assert.deepEqual(DqnTrainer.replayFootprint(minatar), { perExperience: 65, fixed: 400 });
  assert.deepEqual(DqnTrainer.replayFootprint(atari), { perExperience: 7_076, fixed: 3 * 7_060 + 28_224 });
  // The Nature capacity of 10⁶ fits in 6.6 GiB (it took 26.3 GiB with whole observations).
  const nature = 3 * 7_060 + 28_224 + 1e6 * 7_076;
  assert.equal((nature / 2 ** 30).toFixed(2), '6.59');
  const replay = new DqnReplay(1000, minatar, 1, 0);
  assert.equal(replay.buffer.memory.bytesPerExperience * 1000 + 400, 400 + 1000 * 65);
});

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

test('a run checkpoint keeps the names earlier versions wrote, so that their files still resume', () => {
  const path = join(dir, 'names.dlck');
  const trainer = DqnTrainer.create({ ...CONFIG, totalSteps: 200 }, CORRIDOR_SPEC, makeEnv, path);
  trainer.run();
  trainer.dispose();
  const { meta, arrays } = readCheckpoint(path, RUN_CHECKPOINT_KIND);
  const { rng, replay } = meta as { rng: object; replay: object };
  assert.deepEqual(
    { entries: Object.keys(meta as object).sort(), rng: Object.keys(rng), replay: Object.keys(replay) },
    {
      entries: 'config counters envId evaluations lossHistory optimizerSteps recentReturns replay rng'.split(' '),
      rng: ['trainer', 'evaluation'],
      replay: ['memory', 'sampler', 'cutSlots'],
    },
  );
  // The replay's memory and sampler name the arrays under their prefixes themselves (src/replay).
  const network = [
    'head/dense0/bias',
    'head/dense0/kernel',
    'head/dense1/bias',
    'head/dense1/kernel',
    'torso/conv0/bias',
    'torso/conv0/kernel',
  ];
  assert.deepEqual(
    Object.keys(arrays)
      .filter((name) => !/^replay\/(memory|sampler)\//.test(name))
      .sort(),
    [
      ...network.map((name) => `online/online/${name}`),
      'optimizer/meanGradient',
      'optimizer/meanSquare',
      'replay/cutNext',
      'replay/latestNext',
      ...network.map((name) => `target/target/${name}`),
    ],
  );
});

test('a truncated or corrupted checkpoint is rejected naming the file', () => {
  const path = join(dir, 'damaged.dlck');
  const trainer = DqnTrainer.create({ ...CONFIG, totalSteps: 200 }, CORRIDOR_SPEC, makeEnv, path);
  trainer.run();
  trainer.dispose();
  const bytes = readFileSync(path);
  const corrupt = {
    message:
      `${path}: corrupt checkpoint (its contents do not match the SHA-256 recorded in it): delete it to start the ` +
      'run again from its beginning',
  };
  writeFileSync(path, bytes.subarray(0, bytes.length - 10));
  assert.throws(() => DqnTrainer.resume({ ...CONFIG, totalSteps: 200 }, CORRIDOR_SPEC, makeEnv, path), corrupt);
  const flipped = Buffer.from(bytes);
  flipped[flipped.length - 1] ^= 0xff;
  writeFileSync(path, flipped);
  assert.throws(() => DqnTrainer.resume({ ...CONFIG, totalSteps: 200 }, CORRIDOR_SPEC, makeEnv, path), corrupt);
});

test('a non-finite loss stops the run with its update and keeps the last good checkpoint', (t) => {
  const path = join(dir, 'nan.dlck');
  // From the 300th environment step of the run on, every update's loss is NaN (the replay refuses a NaN reward,
  // so the loss itself is poisoned).
  const poisonedFrom = 300;
  let stepsSoFar = 0;
  const poisonedEnv = (seed: number) => {
    const env = new CorridorEnv(seed);
    const step = env.step.bind(env);
    env.step = (action, obs) => {
      stepsSoFar++;
      return step(action, obs);
    };
    return env;
  };
  const update = DqnAgent.prototype.update;
  t.mock.method(DqnAgent.prototype, 'update', function (this: DqnAgent, batch: Parameters<DqnAgent['update']>[0]) {
    const loss = update.call(this, batch);
    return stepsSoFar >= poisonedFrom ? Number.NaN : loss;
  });
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
      assert.ok(error instanceof DivergenceError);
      // Updates start after the 100 steps of learningStarts, one per step: update U comes at step U + 100.
      stoppedAt = error.update + CONFIG.learningStarts;
      assert.equal(stoppedAt, poisonedFrom);
      assert.equal(error.lastCheckpoint?.step, checkpoints[checkpoints.length - 1]);
      assert.equal(
        error.message,
        `training diverged at update ${error.update}: its loss is NaN; training stopped. The last good checkpoint ` +
          `is ${path} (step ${error.lastCheckpoint?.step}), kept as it was. Lower the learning rate (the same ` +
          'settings are likely to diverge again), or raise divergence.factor if such jumps are expected.',
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

test('a checkpoint with the earlier replay format is refused, naming the file', () => {
  const path = join(dir, 'earlier.dlck');
  const config = { ...CONFIG, totalSteps: 200 };
  writeCheckpoint(path, RUN_CHECKPOINT_KIND, {
    meta: { config, envId: CORRIDOR_SPEC.id, replayAdded: 200, optimizerSteps: 100 },
    arrays: { 'replay/observations': new Uint8Array(4), 'replay/nextObservations': new Uint8Array(4) },
  });
  assert.throws(() => DqnTrainer.resume(config, CORRIDOR_SPEC, makeEnv, path), {
    message:
      `${path}: checkpoint holds the replay in the earlier format (two observations per transition), which this ` +
      'version cannot resume; start the run afresh',
  });
});

test('a loss far above the mean of the previous 100 stops the run at its update, naming the last good checkpoint', (t) => {
  const path = join(dir, 'jump.dlck');
  // Update 300 (step 400) reports 1000.5 times the mean of the 100 losses before it (at least 1.5, above the
  // default minLoss of 1); the others are the real ones.
  // losses[u - 1] is update u's loss; `updates` counts the updates of the run in progress.
  const losses: number[] = [];
  let updates = 0;
  const update = DqnAgent.prototype.update;
  t.mock.method(DqnAgent.prototype, 'update', function (this: DqnAgent, batch: Parameters<DqnAgent['update']>[0]) {
    let loss = update.call(this, batch);
    if (updates === 299) loss = Math.max(1.5, 1000.5 * (losses.slice(199, 299).reduce((a, b) => a + b) / 100));
    losses[updates++] = loss;
    return loss;
  });
  const trainer = DqnTrainer.create(CONFIG, CORRIDOR_SPEC, makeEnv, path);
  const checkpoints: number[] = [];
  let message = '';
  assert.throws(
    () => trainer.run({ onCheckpoint: (_, step) => checkpoints.push(step) }),
    (error: unknown) => {
      assert.ok(error instanceof DivergenceError);
      const mean = losses.slice(199, 299).reduce((a, b) => a + b) / 100;
      assert.deepEqual(
        { update: error.update, loss: error.loss, lastCheckpoint: error.lastCheckpoint },
        { update: 300, loss: losses[299], lastCheckpoint: { path, step: checkpoints[checkpoints.length - 1] } },
      );
      assert.equal(
        error.message,
        `training diverged at update 300: its loss ${losses[299]} is above 1000 × the mean of the previous 100 ` +
          `losses (${Number(mean.toPrecision(4))}); training stopped. The last good checkpoint is ${path} ` +
          `(step ${checkpoints[checkpoints.length - 1]}), kept as it was. Lower the learning rate (the same settings ` +
          'are likely to diverge again), or raise divergence.factor if such jumps are expected.',
      );
      message = error.message;
      return true;
    },
  );
  trainer.dispose();
  const last = checkpoints[checkpoints.length - 1];
  assert.ok(checkpoints.length > 0 && checkpoints.every((s) => s < 400), `checkpoints at ${checkpoints}`);
  // Resumed from the last good checkpoint (its rule's history restored), the run stops with the same message.
  updates = last - CONFIG.learningStarts;
  assert.ok(updates > 200, `resumes after update ${updates}`);
  const resumed = DqnTrainer.resume(CONFIG, CORRIDOR_SPEC, makeEnv, path);
  assert.throws(() => resumed.run(), { name: 'DivergenceError', message });
  resumed.dispose();
  // With the bound off (null), only a non-finite loss would stop it: the same run finishes.
  updates = 0;
  const unbounded = DqnTrainer.create({ ...CONFIG, totalSteps: 400, divergence: null }, CORRIDOR_SPEC, makeEnv, null);
  assert.equal(unbounded.run().finished, true);
  unbounded.dispose();
});
