import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint-file';
import { SavedCheckpoint } from './checkpointer';
import {
  checkLoss,
  DEFAULT_DIVERGENCE,
  DivergenceError,
  DivergenceMonitor,
  EMPTY_LOSS_HISTORY,
  type LossHistory,
  validateDivergence,
} from './divergence';

const RULE = { factor: 10, window: 3, minLoss: 0 };

function feed(losses: readonly number[], config = RULE): LossHistory {
  let history = EMPTY_LOSS_HISTORY;
  for (const loss of losses) {
    const result = checkLoss(loss, history, config);
    assert.ok(result.ok, `${loss} passes`);
    history = result.history;
  }
  return history;
}

test('a loss up to factor × the mean of the previous `window` losses passes; above it, or not finite, it fails', () => {
  assert.deepEqual(feed([5, 1, 2, 3]), { recent: [1, 2, 3] });
  const history = feed([5, 1, 2, 3]);
  // The mean of the last three is 2: 20 passes, anything above fails.
  assert.equal(checkLoss(20, history, RULE).ok, true);
  assert.deepEqual(checkLoss(20.5, history, RULE), {
    ok: false,
    reason: 'its loss 20.5 is above 10 × the mean of the previous 3 losses (2)',
  });
  assert.deepEqual(checkLoss(1 / 3, { recent: [0.01 / 3] }, RULE), {
    ok: false,
    reason: 'its loss 0.3333333333333333 is above 10 × the mean of the previous loss (0.003333)',
  });
  for (const loss of [Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.deepEqual(checkLoss(loss, history, null), { ok: false, reason: `its loss is ${loss}` });
    assert.deepEqual(checkLoss(loss, EMPTY_LOSS_HISTORY, RULE), { ok: false, reason: `its loss is ${loss}` });
  }
  // The first loss has nothing to be compared with; null turns the relative bound off.
  assert.equal(checkLoss(1e30, EMPTY_LOSS_HISTORY, RULE).ok, true);
  assert.equal(checkLoss(1e30, history, null).ok, true);
  // Losses up to minLoss pass whatever their ratio: DQN on Freeway jumps from about 1.5e-5 to 0.016 (1000 times)
  // when a batch holds a reward.
  const quiet = { recent: new Array<number>(100).fill(1.5e-5) };
  assert.equal(checkLoss(0.016, quiet, DEFAULT_DIVERGENCE).ok, true);
  assert.equal(checkLoss(1, quiet, DEFAULT_DIVERGENCE).ok, true);
  assert.deepEqual(checkLoss(1.25, quiet, DEFAULT_DIVERGENCE), {
    ok: false,
    reason: 'its loss 1.25 is above 1000 × the mean of the previous 100 losses (0.000015)',
  });
  // Pure: the history given is not changed.
  assert.deepEqual(history, { recent: [1, 2, 3] });
});

test('the monitor throws DivergenceError with the update, the loss and the last good checkpoint', () => {
  const monitor = new DivergenceMonitor(DEFAULT_DIVERGENCE);
  monitor.check(0.5, 1, null);
  monitor.check(1.5, 2, null);
  assert.throws(
    () => monitor.check(1001, 3, { path: 'run/checkpoint.dlck', step: 250 }),
    (error: unknown) => {
      assert.ok(error instanceof DivergenceError);
      assert.deepEqual(
        { update: error.update, loss: error.loss, lastCheckpoint: error.lastCheckpoint },
        { update: 3, loss: 1001, lastCheckpoint: { path: 'run/checkpoint.dlck', step: 250 } },
      );
      assert.equal(
        error.message,
        'training diverged at update 3: its loss 1001 is above 1000 × the mean of the previous 2 losses (1); ' +
          'training stopped. The last good checkpoint is run/checkpoint.dlck (step 250), kept as it was. Lower the ' +
          'learning rate (the same settings are likely to diverge again), or raise divergence.factor if such jumps ' +
          'are expected.',
      );
      return true;
    },
  );
  assert.throws(() => monitor.check(Number.NaN, 4, null), {
    message:
      'training diverged at update 4: its loss is NaN; training stopped. No checkpoint had been written yet. Lower ' +
      'the learning rate (the same settings are likely to diverge again), or raise divergence.factor if such jumps ' +
      'are expected.',
  });
  // A failed check leaves the history as it was.
  assert.deepEqual(monitor.history, { recent: [0.5, 1.5] });
});

/** What a checkpoint file of `monitor`'s state gives back. */
function saved(monitor: DivergenceMonitor): SavedCheckpoint {
  const bytes = encodeCheckpoint('run', monitor.checkpointState());
  return new SavedCheckpoint(decodeCheckpoint(bytes, 'run', 'run.dlck'), 'run.dlck');
}

test('a monitor restored from its checkpoint decides as the one that saved it', () => {
  const losses = Array.from({ length: 150 }, (_, i) => 0.1 + Math.sin(i) * 0.05);
  const original = new DivergenceMonitor(DEFAULT_DIVERGENCE);
  for (const [i, loss] of losses.entries()) original.check(loss, i + 1, null);
  const restored = new DivergenceMonitor(DEFAULT_DIVERGENCE);
  restored.restoreCheckpointState(saved(original));
  assert.deepEqual(restored.history, original.history);
  assert.equal(original.history.recent.length, 100);
  const mean = original.history.recent.reduce((a, b) => a + b) / 100;
  for (const monitor of [original, restored]) {
    assert.throws(() => monitor.check(mean * 1000 * (1 + 1e-9), 151, null), DivergenceError);
    monitor.check(mean * 999, 151, null);
  }
  // A shorter window keeps the latest losses of a longer history.
  const long = new DivergenceMonitor({ factor: 10, window: 3, minLoss: 0 });
  for (const [i, loss] of [1, 2, 3].entries()) long.check(loss, i + 1, null);
  const short = new DivergenceMonitor({ factor: 10, window: 2, minLoss: 0 });
  short.restoreCheckpointState(saved(long));
  assert.deepEqual(short.history, { recent: [2, 3] });
});

test('divergence settings are validated by key: factor in (1, 1e30], window in [1, 10000], minLoss ≥ 0, or null', () => {
  validateDivergence('divergence', undefined);
  validateDivergence('divergence', null);
  validateDivergence('divergence', DEFAULT_DIVERGENCE);
  assert.throws(() => validateDivergence('divergence', { factor: 1, window: 100, minLoss: 1 }), {
    message: 'configuration value divergence.factor = 1 is out of range: expected a number in (1, 1e+30]',
  });
  assert.throws(() => validateDivergence('divergence', { factor: 1e3, window: 0, minLoss: 1 }), {
    message: 'configuration value divergence.window = 0 is out of range: expected an integer in [1, 10000]',
  });
  assert.throws(() => validateDivergence('divergence', { factor: 1e3, window: 5, minLoss: -1 }), {
    message: 'configuration value divergence.minLoss = -1 is out of range: expected a number in [0, 1e+30]',
  });
  assert.throws(() => validateDivergence('divergence', { factor: '1e3', window: 5, minLoss: 1 }), {
    message: 'configuration value divergence.factor = "1e3" is out of range: expected a number in (1, 1e+30]',
  });
  assert.throws(() => validateDivergence('divergence', 'off'), {
    message:
      'configuration value divergence = "off" is out of range: expected an object { factor, window, minLoss }, or ' +
      'null to turn the bound off',
  });
});
