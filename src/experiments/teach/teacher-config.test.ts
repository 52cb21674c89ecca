import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MINATAR_DQN, NATURE_DQN } from '../../nn/qnetwork';
import type { DqnConfig } from '../../train/dqn-config';
import { parseOverride } from '../common/overrides';
import { type TeacherRunConfig, teacherConfig } from './teacher-config';

/** The DQN configuration of a run, failing the test when the run is not DQN. */
function dqnOf(config: TeacherRunConfig): DqnConfig {
  assert.equal(config.algorithm, 'dqn');
  return (config as Extract<TeacherRunConfig, { algorithm: 'dqn' }>).dqn;
}

test('MinAtar defaults are the published baseline (Young & Tian 2019)', () => {
  const dqn = dqnOf(teacherConfig('minatar', 'breakout', 'paper', 5));
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
    evaluation: {
      every: 100_000,
      steps: 10_000,
      epsilon: 0.05,
      maxNoops: 30,
      finalEpisodes: 200,
      maxEpisodeSteps: 100_000,
    },
    checkpointEvery: 100_000,
    divergence: { factor: 1000, window: 100, minLoss: 1 },
  });
});

test("PQN's MinAtar defaults are purejaxql's pqn_minatar configuration at half its budget", () => {
  const config = teacherConfig('minatar', 'seaquest', 'full', 7);
  assert.equal(config.algorithm, 'pqn');
  const { pqn } = config as Extract<TeacherRunConfig, { algorithm: 'pqn' }>;
  assert.deepEqual(pqn, {
    seed: 7,
    totalSteps: 5_000_000,
    network: { ...MINATAR_DQN, layerNorm: true },
    inputScale: 1,
    numEnvs: 128,
    rolloutSteps: 32,
    epochs: 2,
    minibatches: 32,
    gamma: 0.99,
    lambda: 0.65,
    learningRate: 5e-4,
    learningRateDecay: true,
    maxGradNorm: 10,
    epsilon: { start: 1, end: 0.05, decayFraction: 0.1 },
    evaluation: {
      every: 250_000,
      episodes: 32,
      finalEpisodes: 200,
      epsilon: 0.05,
      maxNoops: 30,
      maxEpisodeSteps: 100_000,
    },
    snapshots: [0.05, 0.25],
    checkpointEvery: 250_000,
    divergence: { factor: 1000, window: 100, minLoss: 1 },
  });
  assert.equal(teacherConfig('minatar', 'seaquest', 'paper', 7).algorithm, 'dqn');
  assert.equal(teacherConfig('minatar', 'seaquest', 'quick', 7, [], 'dqn').algorithm, 'dqn');
  assert.equal(teacherConfig('atari', 'pong', 'quick', 0).algorithm, 'dqn');
});

test('an unknown algorithm lists the valid ones; PQN is refused outside MinAtar; PQN values are range-checked', () => {
  assert.throws(() => teacherConfig('minatar', 'breakout', 'quick', 0, [], 'ppo'), {
    message: "unknown algorithm 'ppo': expected one of dqn, pqn",
  });
  assert.throws(() => teacherConfig('atari', 'pong', 'quick', 0, [], 'pqn'), {
    message: "algorithm 'pqn' is available for the minatar suite only; atari teachers train with 'dqn'",
  });
  assert.throws(() => teacherConfig('minatar', 'breakout', 'quick', 0, [{ lambda: 1.5 }]), {
    message: 'configuration value lambda = 1.5 is out of range: expected a number in [0, 1]',
  });
  assert.throws(() => teacherConfig('minatar', 'breakout', 'quick', 0, [{ minibatches: 30 }]), {
    message:
      'configuration value minibatches = 30 is out of range: expected a divisor of numEnvs × rolloutSteps (4096)',
  });
  assert.throws(() => teacherConfig('minatar', 'breakout', 'quick', 0, [{ snapshots: [0.5, 0.25] }]), {
    message:
      'configuration value snapshots.1 = 0.25 is out of range: expected fractions in [0.01, 0.99] (whole percentages), each larger than the one before',
  });
  assert.throws(() => teacherConfig('minatar', 'breakout', 'quick', 0, [{ replayCapacity: 10 }]), {
    message: /^unknown configuration key 'replayCapacity'; expected one of seed, totalSteps, network, /,
  });
});

test('Atari defaults are the Nature hyper-parameters', () => {
  const dqn = dqnOf(teacherConfig('atari', 'pong', 'paper', 0));
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
  const quick = dqnOf(
    teacherConfig(
      'minatar',
      'asterix',
      'quick',
      1,
      [parseOverride('epsilon.end=0.01'), parseOverride('doubleDqn=true')],
      'dqn',
    ),
  );
  assert.equal(quick.totalSteps, 100_000);
  assert.deepEqual(quick.epsilon, { start: 1, end: 0.01, decaySteps: 50_000 });
  assert.equal(quick.doubleDqn, true);
  assert.equal(quick.gamma, 0.99);
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
  assert.throws(() => teacherConfig('minatar', 'breakout', 'quick', 0, [{ gama: 0.9 }], 'dqn'), {
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
  assert.throws(() => teacherConfig('minatar', 'breakout', 'quick', 0, [{ evaluation: { steps: 0 } }], 'dqn'), {
    message: 'configuration value evaluation.steps = 0 is out of range: expected an integer in [1, 2147483646]',
  });
  assert.throws(
    () => teacherConfig('minatar', 'breakout', 'quick', 0, [{ batchSize: 64, replayCapacity: 32 }], 'dqn'),
    {
      message: 'configuration value batchSize = 64 is out of range: expected at most replayCapacity (32)',
    },
  );
  assert.throws(() => teacherConfig('minatar', 'breakout', 'quick', -1), {
    message: 'configuration value seed = -1 is out of range: expected an integer in [0, 2147483647]',
  });
});
