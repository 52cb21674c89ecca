/**
 * Prioritized replay over the whole memory (Schaul et al. 2016): `ranked` (P ∝ (1/rank)^α, exact ranks)
 * or `proportional` (P ∝ (p + ε)^α, sum tree); importance weights (N·P)^−β divided by the batch maximum.
 */
import { PrioritizedBase } from './base-sampler';
import { type PriorityIndex, RankIndex, SumIndex } from './priority-index';
import { importanceWeight, normaliseByMax, random53 } from './probability';
import { RankDistribution } from './rank-distribution';
import { DEFAULT_EPSILON, type PrioritizedConfig, type Sampler, type SamplerState } from './sampler';

export type PrioritizedSamplerConfig = { readonly kind: 'ranked' | 'proportional' } & PrioritizedConfig;

/** The index of one rule over `capacity` slots reading `priorities`; partitions share one rank table. */
export function makePriorityIndex(
  kind: 'ranked' | 'proportional',
  capacity: number,
  config: PrioritizedConfig,
  priorities: Float32Array,
  ranks?: RankDistribution,
): PriorityIndex {
  return kind === 'ranked'
    ? new RankIndex(capacity, ranks ?? new RankDistribution(capacity, config.alpha), priorities)
    : new SumIndex(capacity, config.alpha, config.epsilon ?? DEFAULT_EPSILON, priorities);
}

export class PrioritizedSampler extends PrioritizedBase implements Sampler {
  readonly kind: 'ranked' | 'proportional';
  private readonly index: PriorityIndex;

  constructor(
    readonly config: PrioritizedSamplerConfig,
    capacity: number,
    seed: number,
  ) {
    super(capacity, seed, config);
    this.kind = config.kind;
    this.index = makePriorityIndex(config.kind, capacity, config, this.priorities);
  }

  add(slot: number, _stateValue: number): void {
    if (this.acceptSlot(slot)) this.index.remove(slot);
    this.priorities[slot] = this.maxPriority;
    this.index.insert(slot);
    this.added++;
  }

  sample(indices: Int32Array, weights: Float32Array): void {
    this.checkBatch(indices, weights);
    const beta = this.nextBeta();
    const n = this.size;
    const count = indices.length;
    const { uniforms, probabilities } = this.scratch(count);
    for (let i = 0; i < count; i++) uniforms[i] = random53(this.rng);
    this.index.drawMany(uniforms, count, indices, probabilities);
    for (let i = 0; i < count; i++) weights[i] = importanceWeight(n, probabilities[i], beta);
    normaliseByMax(weights);
  }

  probability(slot: number): number {
    this.checkSlot(slot);
    return this.index.probability(slot);
  }

  protected touchSlots(slots: ArrayLike<number>): void {
    this.index.touch?.(slots, slots.length);
  }

  protected reprioritise(slot: number, priority: number): void {
    this.index.update(slot, priority);
  }

  protected rebuild(): void {
    this.index.clear();
    for (let slot = 0; slot < this.size; slot++) this.index.insert(slot);
  }

  saveState(): SamplerState {
    return { scalars: this.prioritizedScalars(), arrays: { priorities: this.priorities } };
  }

  restoreState(state: SamplerState): void {
    this.restorePrioritized(state, () => {});
  }
}
