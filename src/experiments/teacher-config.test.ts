import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MINATAR_DQN, NATURE_DQN } from '../nn/qnetwork';
import { parseOverride, teacherConfig } from './teacher-config';

test('MinAtar defaults are the published baseline (Young & Tian 2019)', () => {
  const { dqn } = teacherConfig('minatar', 'breakout', 'paper', 5);
  assert.deepEqual(dqn, {
    seed: 5,
    totalSteps: 5_000_000,
    network: MINATAR_DQN,
    inputScale: 1,
    replayCapacity: 100_000,
    batchSize: 32,
    gamma: 0.99,
    learningStarts: 5_000,
    updateEvery: 1,
    targetUpdateEvery: 1_000,
    epsilon: { start: 1, end: 0.1, decaySteps: 100_000 },
    optimizer: { learningRate: 2.5e-4, decay: 0.95, epsilon: 0.01, centered: true, epsilonOutsideRoot: true },
    loss: 'huber',
    doubleDqn: false,
    maxEpisodeSteps: null,
    evaluation: { every: 100_000, steps: 10_000, epsilon: 0.05, maxNoops: 30 },
    checkpointEvery: 100_000,
  });
});

test('Atari defaults are the Nature hyper-parameters', () => {
  const { dqn } = teacherConfig('atari', 'pong', 'paper', 0);
  assert.equal(dqn.network, NATURE_DQN);
  assert.deepEqual(
    [dqn.replayCapacity, dqn.batchSize, dqn.gamma, dqn.learningStarts, dqn.updateEvery, dqn.targetUpdateEvery],
    [1_000_000, 32, 0.99, 50_000, 4, 10_000],
  );
  assert.deepEqual(dqn.epsilon, { start: 1, end: 0.1, decaySteps: 1_000_000 });
  assert.equal(dqn.optimizer.learningRate, 2.5e-4);
  assert.equal(dqn.inputScale, 1 / 255);
});

test('presets change budgets only; overrides go last', () => {
  const quick = teacherConfig('minatar', 'asterix', 'quick', 1, [
    parseOverride('epsilon.end=0.01'),
    parseOverride('doubleDqn=true'),
  ]);
  assert.equal(quick.dqn.totalSteps, 100_000);
  assert.deepEqual(quick.dqn.epsilon, { start: 1, end: 0.01, decaySteps: 50_000 });
  assert.equal(quick.dqn.doubleDqn, true);
  assert.equal(quick.dqn.gamma, 0.99);
  assert.deepEqual(parseOverride('loss=mse'), { loss: 'mse' });
});

test('unknown names list the valid choices', () => {
  assert.throws(() => teacherConfig('nes', 'mario', 'quick', 0), {
    message: "unknown suite 'nes': expected one of minatar, atari",
  });
  assert.throws(() => teacherConfig('minatar', 'pong', 'quick', 0), {
    message: "unknown minatar game 'pong': expected one of asterix, breakout, freeway, seaquest, space_invaders",
  });
  assert.throws(() => teacherConfig('minatar', 'breakout', 'huge', 0), {
    message: "unknown preset 'huge': expected one of smoke, quick, full, paper",
  });
  assert.throws(() => teacherConfig('minatar', 'breakout', 'quick', 0, [{ gama: 0.9 }]), {
    message: /^unknown configuration key 'gama'; expected one of seed, totalSteps, /,
  });
  assert.throws(() => parseOverride('gamma'), {
    message: "override 'gamma' is not of the form key=value (e.g. gamma=0.95 or epsilon.end=0.01)",
  });
});

test('an out-of-range value names the key, the value and the range', () => {
  assert.throws(() => teacherConfig('minatar', 'breakout', 'quick', 0, [{ gamma: 1.5 }]), {
    message: 'configuration value gamma = 1.5 is out of range: expected a number in [0, 1]',
  });
  assert.throws(() => teacherConfig('minatar', 'breakout', 'quick', 0, [{ evaluation: { steps: 0 } }]), {
    message: 'configuration value evaluation.steps = 0 is out of range: expected an integer in [1, 9007199254740991]',
  });
  assert.throws(() => teacherConfig('minatar', 'breakout', 'quick', 0, [{ batchSize: 64, replayCapacity: 32 }]), {
    message: 'configuration value batchSize = 64 is out of range: expected at most replayCapacity (32)',
  });
  assert.throws(() => teacherConfig('minatar', 'breakout', 'quick', -1), {
    message: 'configuration value seed = -1 is out of range: expected an integer in [0, 4294967295]',
  });
});
