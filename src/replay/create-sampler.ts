/** The sampler a configuration names. */
import { HierarchicalSampler } from './hierarchical-sampler';
import { PrioritizedSampler } from './prioritized-sampler';
import type { Sampler, SamplerConfig } from './sampler';
import { UniformSampler } from './uniform-sampler';

export function createSampler(config: SamplerConfig, capacity: number, seed: number): Sampler {
  switch (config.kind) {
    case 'uniform':
      return new UniformSampler(capacity, seed);
    case 'ranked':
    case 'proportional':
      return new PrioritizedSampler(config, capacity, seed);
    case 'hierarchical':
      return new HierarchicalSampler(config, capacity, seed);
    default:
      throw new RangeError(
        `sampler kind must be uniform, ranked, proportional or hierarchical, got '${(config as { kind: unknown }).kind}'`,
      );
  }
}
