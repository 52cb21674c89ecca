import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../util/rng';
import { MINATAR_DQN, qNetwork } from './qnetwork';
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
