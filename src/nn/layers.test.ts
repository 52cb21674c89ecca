import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../util/rng';
import { layerNormLayer } from './layers';
import { MINATAR_DQN, MINATAR_PQN, qNetwork } from './qnetwork';
import { RmsProp } from './rmsprop';
import { tf } from './tf';

test('a network and its optimizer leave no tensor behind once disposed (initial values included)', () => {
  const before = tf.memory().numTensors;
  const network = qNetwork('net', MINATAR_DQN, [10, 10, 4], 6, new Rng(1));
  const optimizer = new RmsProp(network.variables, { learningRate: 1e-3, decay: 0.95, epsilon: 0.01, centered: true });
  // 3 layers × (kernel, bias); 2 slot vectors and 6 constants.
  assert.equal(tf.memory().numTensors - before, 6 + 2 + 6);
  assert.deepEqual(network.variables[0].shape, [3, 3, 4, 16]);
  const bound = 1 / Math.sqrt(3 * 3 * 4);
  const kernel = network.variables[0].dataSync();
  assert.ok(kernel.every((v) => Math.abs(v) <= bound) && kernel.some((v) => v !== 0));
  optimizer.dispose();
  tf.dispose([...network.variables]);
  assert.equal(tf.memory().numTensors, before);
});

test('LayerNorm normalises each row over its features, then applies the gain and offset', () => {
  const norm = layerNormLayer('norm', 4, 'linear');
  norm.variables[0].assign(tf.tensor1d([1, 2, 1, 1]));
  norm.variables[1].assign(tf.tensor1d([0, 0, 0, 0.5]));
  // Row [1, 2, 3, 4]: mean 2.5, variance 1.25 → (x − 2.5)/√(1.25 + 1e-5).
  const out = norm.apply(tf.tensor2d([[1, 2, 3, 4]])).dataSync();
  const s = Math.sqrt(1.25 + 1e-5);
  const expected = [-1.5 / s, (2 * -0.5) / s, 0.5 / s, 1.5 / s + 0.5];
  [...out].forEach((v, i) => {
    assert.ok(Math.abs(v - expected[i]) < 1e-6, `${i}: ${v} vs ${expected[i]}`);
  });
  const relu = layerNormLayer('norm', 2, 'relu')
    .apply(tf.tensor2d([[0, 2]]))
    .dataSync();
  assert.ok(relu[0] === 0 && Math.abs(relu[1] - 1 / Math.sqrt(1 + 1e-5)) < 1e-6);
  assert.deepEqual(norm.variableNames, ['norm/gain', 'norm/offset']);
});

test("PQN's network keeps DQN's torso and adds LayerNorm's gain and offset to the head", () => {
  const pqn = qNetwork('online', MINATAR_PQN, [10, 10, 4], 3, new Rng(1));
  const dqn = qNetwork('online', MINATAR_DQN, [10, 10, 4], 3, new Rng(1));
  assert.deepEqual(pqn.torso.variableNames, dqn.torso.variableNames);
  assert.deepEqual(pqn.head.variableNames, [
    'online/head/dense0/kernel',
    'online/head/dense0/bias',
    'online/head/norm0/gain',
    'online/head/norm0/offset',
    'online/head/dense1/kernel',
    'online/head/dense1/bias',
  ]);
  tf.dispose([...pqn.variables, ...dqn.variables]);
});
