/**
 * The replay benchmarks' workload: the two suites' memories, a buffer filled with synthetic experiences,
 * and one op (sample a batch of 32, then update their priorities), shared by bench/replay.ts and
 * bench/replay-profile.ts.
 */
import type { MemoryConfig } from '../src/replay/memory';
import { ReplayBuffer } from '../src/replay/replay-buffer';
import type { SamplerConfig } from '../src/replay/sampler';
import { Rng } from '../src/util/rng';

export const BATCH = 32;

export interface Suite {
  readonly name: string;
  readonly memory: Omit<MemoryConfig, 'capacity'>;
  /** cpprb stores each experience's single frame: shape and dtype. */
  readonly reference: [string, 'bool' | 'uint8'];
}

export const MINATAR: Suite = {
  name: 'MinAtar 10×10×4 (bit-packed, stack 1)',
  memory: { frameShape: [10, 10, 4], stackSize: 1, numActions: 6, legalActions: [0, 1, 2, 3, 4, 5], bitPacked: true },
  reference: ['10,10,4', 'bool'],
};
export const ATARI: Suite = {
  name: 'Atari 84×84 (uint8, stacks of 4 rebuilt on read)',
  memory: { frameShape: [84, 84, 1], stackSize: 4, numActions: 18, legalActions: [0, 1, 3, 4], bitPacked: false },
  reference: ['84,84', 'uint8'],
};

/** Fills a buffer with `size` experiences (frames drawn from a small random pool; episodes of ~1,000 steps). */
export function filled(
  suite: Suite,
  sampler: SamplerConfig,
  size: number,
): { buffer: ReplayBuffer; fillSeconds: number } {
  const buffer = new ReplayBuffer({ memory: { ...suite.memory, capacity: size }, sampler, seed: 1 });
  const rng = new Rng(2);
  const [h, w, c] = suite.memory.frameShape;
  const binary = suite.memory.bitPacked;
  const pool = Array.from({ length: 64 }, () =>
    Uint8Array.from({ length: h * w * c }, () => (binary ? (rng.int(10) < 3 ? 1 : 0) : rng.int(256))),
  );
  const teacherQ = new Float32Array(suite.memory.numActions);
  const start = performance.now();
  for (let t = 0; t < size; t++) {
    for (let a = 0; a < teacherQ.length; a++) teacherQ[a] = rng.random();
    buffer.add({ frame: pool[t & 63], action: t % 4, reward: 0, terminal: t % 1000 === 999, teacherQ });
  }
  return { buffer, fillSeconds: (performance.now() - start) / 1000 };
}

/** One op: sample a batch of 32, then update their 32 priorities (random, as a learning step would give). */
export function operation(buffer: ReplayBuffer): () => void {
  const batch = buffer.createBatch(BATCH);
  const priorities = new Float32Array(BATCH);
  const rng = new Rng(3);
  return () => {
    buffer.sample(batch);
    for (let i = 0; i < BATCH; i++) priorities[i] = rng.random();
    buffer.updatePriorities(batch.indices, priorities);
  };
}
