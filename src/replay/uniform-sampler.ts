/** Uniform replay: every stored experience equally likely, importance weights all 1. */
import { BaseSampler } from './base-sampler';
import type { Sampler, SamplerState } from './sampler';

export class UniformSampler extends BaseSampler implements Sampler {
  readonly kind = 'uniform';
  readonly config = { kind: 'uniform' } as const;

  add(slot: number, _stateValue: number): void {
    this.acceptSlot(slot);
    this.added++;
  }

  sample(indices: Int32Array, weights: Float32Array): void {
    this.checkBatch(indices, weights);
    for (let i = 0; i < indices.length; i++) indices[i] = this.rng.int(this.size);
    weights.fill(1);
  }

  /** Priorities do not affect uniform draws; they are still checked so a bad value never passes silently. */
  updatePriorities(indices: ArrayLike<number>, priorities: ArrayLike<number>): void {
    this.checkUpdate(indices, priorities);
  }

  probability(slot: number): number {
    this.checkSlot(slot);
    return 1 / this.size;
  }

  saveState(): SamplerState {
    return { scalars: this.baseScalars(), arrays: {} };
  }

  restoreState(state: SamplerState): void {
    this.restoreBase(state);
  }
}
