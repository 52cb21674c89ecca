/**
 * What a distillation loop uses per game: a memory and a sampler behind one object. `add` stores an
 * experience and registers it with the sampler, `sample` fills a caller-owned batch (slots, normalised
 * importance weights, observations, q_T, V_T, legal mask, ...), `updatePriorities` takes eq. 5's
 * priorities for the slots just sampled. Its memory's and sampler's `saveState` / `restoreState` resume drawing
 * exactly; a run's checkpoint stores them (src/train/checkpoint-parts.ts).
 */
import { createSampler } from './create-sampler';
import { createBatch, type Experience, type MemoryConfig, type ReplayBatch, ReplayMemory } from './memory';
import type { Sampler, SamplerConfig } from './sampler';

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
}
