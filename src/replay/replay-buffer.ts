/**
 * What a distillation loop uses per game: a memory and a sampler behind one object. `add` stores an
 * experience and registers it with the sampler, `sample` fills a caller-owned batch (slots, normalised
 * importance weights, observations, q_T, V_T, legal mask, ...), `updatePriorities` takes eq. 5's
 * priorities for the slots just sampled, and `save` / `ReplayBuffer.load` resume drawing exactly.
 */
import { createSampler } from './create-sampler';
import { createBatch, type Experience, type MemoryConfig, type ReplayBatch, ReplayMemory } from './memory';
import type { Sampler, SamplerConfig } from './sampler';
import { readSnapshot, type SectionArray, writeSnapshot } from './snapshot';

export interface ReplayConfig {
  readonly memory: MemoryConfig;
  readonly sampler: SamplerConfig;
  /** Seed of the sampler's own generator. */
  readonly seed: number;
}

export class ReplayBuffer {
  readonly memory: ReplayMemory;
  readonly sampler: Sampler;

  constructor(readonly config: ReplayConfig) {
    this.memory = new ReplayMemory(config.memory);
    this.sampler = createSampler(config.sampler, config.memory.capacity, config.seed);
  }

  get size(): number {
    return this.memory.size;
  }

  /** Stores `experience` and returns its slot; the experience it overwrites leaves the sampler first. */
  add(experience: Experience): number {
    const slot = this.memory.add(experience);
    this.sampler.add(slot, this.memory.stateValue(slot));
    return slot;
  }

  /** A batch of `size` rows for this buffer, to be reused by every `sample`. */
  createBatch(size: number): ReplayBatch {
    return createBatch(this.memory, size);
  }

  /** Draws `batch.size` experiences into `batch` (with replacement). */
  sample(batch: ReplayBatch): void {
    if (
      batch.observations.length !== batch.size * this.memory.observationBytes ||
      batch.teacherQ.length !== batch.size * this.memory.numActions
    ) {
      throw new RangeError(`batch was not made for this memory: use buffer.createBatch(${batch.size})`);
    }
    this.sampler.sample(batch.indices, batch.weights);
    this.memory.read(batch);
  }

  updatePriorities(indices: ArrayLike<number>, priorities: ArrayLike<number>): void {
    this.sampler.updatePriorities(indices, priorities);
  }

  /** Writes memory contents and sampler state (priorities, window counts, generator) to `path` atomically. */
  save(path: string): void {
    const memory = this.memory.saveState();
    const sampler = this.sampler.saveState();
    const sections: Record<string, SectionArray> = {};
    for (const [name, data] of Object.entries(memory.arrays)) sections[`memory.${name}`] = data;
    for (const [name, data] of Object.entries(sampler.arrays)) sections[`sampler.${name}`] = data;
    writeSnapshot(path, {
      header: { config: this.config, memory: memory.scalars, sampler: sampler.scalars },
      sections,
    });
  }

  /** A buffer in exactly the state `save` wrote. */
  static load(path: string): ReplayBuffer {
    const { header, sections } = readSnapshot(path);
    const buffer = new ReplayBuffer(header['config'] as ReplayConfig);
    const part = (prefix: string) =>
      Object.fromEntries(
        Object.entries(sections)
          .filter(([name]) => name.startsWith(prefix))
          .map(([name, data]) => [name.slice(prefix.length), data]),
      );
    buffer.memory.restoreState({
      scalars: header['memory'] as Record<string, number>,
      arrays: part('memory.') as Record<string, Uint8Array | Float32Array>,
    });
    buffer.sampler.restoreState({
      scalars: header['sampler'] as Record<string, number | number[]>,
      arrays: part('sampler.') as Record<string, Uint8Array | Int32Array | Float32Array>,
    });
    return buffer;
  }
}
