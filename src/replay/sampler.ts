/**
 * The sampling side of replay, separate from storage (as in Dopamine): a sampler sees memory slots,
 * state values and priorities, never observations. Slots arrive in ring order (slot = n-th addition
 * mod capacity), so a sampler knows which experience an addition overwrites and drops it first.
 */
import type { BetaSchedule } from './probability';

export type SamplerKind = 'uniform' | 'ranked' | 'proportional' | 'hierarchical';
export type InnerSamplerKind = 'ranked' | 'proportional';

export interface PrioritizedConfig {
  /** Prioritization exponent α ∈ [0, 1]. */
  readonly alpha: number;
  /** Importance-sampling exponent β ∈ [0, 1], annealed over sampled batches. */
  readonly beta: BetaSchedule;
  /** Added to priorities by the proportional rule so none has zero probability (cpprb's default). */
  readonly epsilon?: number;
}

export type SamplerConfig =
  | { readonly kind: 'uniform' }
  | ({ readonly kind: 'ranked' | 'proportional' } & PrioritizedConfig)
  | ({
      readonly kind: 'hierarchical';
      /** Number of partitions p ≥ 1 of the value range. */
      readonly partitions: number;
      /** [V_min, V_max] of the game's teacher state values. */
      readonly valueRange: readonly [number, number];
      /** N_j counts the partitions of the last `windowSize` additions (default: the capacity). */
      readonly windowSize?: number;
      /** Rule inside a partition (default 'ranked', the paper's eq. 6). */
      readonly inner?: InnerSamplerKind;
    } & PrioritizedConfig);

export const DEFAULT_EPSILON = 1e-4;

/** A sampler's complete state: scalars (JSON) and arrays, enough to resume drawing exactly. */
export interface SamplerState {
  readonly scalars: Record<string, number | number[]>;
  readonly arrays: Record<string, Float32Array | Uint8Array | Int32Array>;
}

export interface Sampler {
  readonly kind: SamplerKind;
  readonly config: SamplerConfig;
  /** Experiences that can be drawn (min(additions, capacity)). */
  readonly size: number;
  /** The memory stored a new experience, with teacher state value `stateValue`, at `slot`. */
  add(slot: number, stateValue: number): void;
  /** Draws `indices.length` slots with replacement and writes their normalised importance weights. */
  sample(indices: Int32Array, weights: Float32Array): void;
  /** New priorities for sampled slots (eq. 5 after a learning step); checked before anything changes. */
  updatePriorities(indices: ArrayLike<number>, priorities: ArrayLike<number>): void;
  /** Probability that one draw returns `slot` in the current state. */
  probability(slot: number): number;
  saveState(): SamplerState;
  /** Restores what `saveState` returned for a sampler of the same configuration and capacity. */
  restoreState(state: SamplerState): void;
}
