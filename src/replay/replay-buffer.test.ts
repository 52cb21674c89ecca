import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../util/rng';
import { ReplayBuffer, type ReplayConfig } from './replay-buffer';
import type { SamplerConfig } from './sampler';

const beta = { start: 0.4, end: 1, steps: 30 };
const samplers: SamplerConfig[] = [
  { kind: 'uniform' },
  { kind: 'ranked', alpha: 0.7, beta },
  { kind: 'proportional', alpha: 0.6, beta },
  { kind: 'hierarchical', partitions: 3, valueRange: [0, 1], windowSize: 20, alpha: 0.7, beta },
  { kind: 'hierarchical', partitions: 3, valueRange: [0, 1], alpha: 0.7, beta, inner: 'proportional' },
];

function config(sampler: SamplerConfig, stackSize: number): ReplayConfig {
  return {
    memory: {
      capacity: 30,
      frameShape: [3, 3, 2],
      stackSize,
      numActions: 4,
      legalActions: [0, 2, 3],
      bitPacked: stackSize === 1,
    },
    sampler,
    seed: 17,
  };
}

/** One step of a distillation-like loop: add an experience; every 3rd step sample 8 and update their priorities. */
function step(buffer: ReplayBuffer, rng: Rng, batch: ReturnType<ReplayBuffer['createBatch']>, log: number[]): void {
  const frame = Uint8Array.from({ length: 18 }, () => rng.int(2));
  const teacherQ = Array.from({ length: 4 }, () => rng.random());
  buffer.add({ frame, action: rng.int(4), reward: rng.int(3) - 1, terminal: rng.int(10) === 0, teacherQ });
  if (buffer.size >= batch.size && rng.int(3) === 0) {
    buffer.sample(batch);
    log.push(...batch.indices, ...batch.weights, ...batch.observations, ...batch.teacherQ, ...batch.stateValues);
    buffer.updatePriorities(
      batch.indices,
      Array.from(batch.indices, () => rng.random() * 2),
    );
  }
}

test('a buffer restored from its saved state samples exactly what the uninterrupted one samples (every sampler, stacks of 1 and 4)', () => {
  for (const sampler of samplers) {
    for (const stackSize of [1, 4]) {
      const original = new ReplayBuffer(config(sampler, stackSize));
      const rng = new Rng(5);
      const batch = original.createBatch(8);
      for (let t = 0; t < 75; t++) step(original, rng, batch, []);
      const saved = {
        memory: structuredClone(original.memory.saveState()),
        sampler: structuredClone(original.sampler.saveState()),
      };
      const rngAtSave = rng.getState();
      const uninterrupted: number[] = [];
      for (let t = 0; t < 60; t++) step(original, rng, batch, uninterrupted);

      const resumed = new ReplayBuffer(config(sampler, stackSize));
      resumed.memory.restoreState(saved.memory);
      resumed.sampler.restoreState(saved.sampler);
      rng.setState(rngAtSave);
      const resumedBatch = resumed.createBatch(8);
      const replayed: number[] = [];
      for (let t = 0; t < 60; t++) step(resumed, rng, resumedBatch, replayed);
      assert.ok(uninterrupted.length > 500, 'the continuation sampled');
      assert.deepEqual(replayed, uninterrupted, `${sampler.kind}, stack ${stackSize}`);
    }
  }
});

test('a batch made for another memory is refused', () => {
  const a = new ReplayBuffer(config(samplers[0], 1));
  const b = new ReplayBuffer(config(samplers[0], 4));
  for (let t = 0; t < 10; t++)
    a.add({ frame: new Uint8Array(18), action: 0, reward: 0, terminal: false, teacherQ: [0, 0, 0, 0] });
  assert.throws(() => a.sample(b.createBatch(2)), /batch was not made for this memory/);
});
