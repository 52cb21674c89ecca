/** Replay memories and samplers (uniform, ranked, proportional, hierarchical H-PR). */
export { createSampler } from './create-sampler';
export { HierarchicalSampler, type HierarchicalSamplerConfig } from './hierarchical-sampler';
export { createBatch, type Experience, type MemoryConfig, type ReplayBatch, ReplayMemory } from './memory';
export { PrioritizedSampler, type PrioritizedSamplerConfig } from './prioritized-sampler';
export { distillationPriorities, distillationPriority, stateValue } from './priority';
export {
  annealedBeta,
  type BetaSchedule,
  importanceWeight,
  normaliseByMax,
  partitionIndex,
  rankWeight,
} from './probability';
export { ReplayBuffer, type ReplayConfig } from './replay-buffer';
export type { InnerSamplerKind, PrioritizedConfig, Sampler, SamplerConfig, SamplerKind } from './sampler';
export { UniformSampler } from './uniform-sampler';
