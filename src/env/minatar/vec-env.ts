/**
 * N copies of one MinAtar game stepped together into one preallocated batch, each with its own generator
 * (seeded from the options' seed), reset automatically when its episode ends.
 */
import { Rng } from '../../util/rng';
import { type EnvSpec, observationSize, type VecEnv } from '../types';
import { MinatarEnv, type MinatarOptions } from './env';

export class MinatarVecEnv implements VecEnv {
  readonly spec: EnvSpec;
  readonly numEnvs: number;
  readonly observations: Uint8Array;
  readonly rewards: Float32Array;
  readonly terminals: Uint8Array;
  readonly truncateds: Uint8Array;
  private readonly envs: MinatarEnv[];
  /** One view of `observations` per copy, made once so stepping allocates nothing. */
  private readonly views: Uint8Array[];

  /** Copy i draws from a generator seeded with the i-th output of a generator seeded with `options.seed`. */
  constructor(game: string, numEnvs: number, options: Omit<MinatarOptions, 'rng'> = {}) {
    if (!Number.isInteger(numEnvs) || numEnvs < 1) {
      throw new RangeError(`numEnvs must be a positive integer, got ${numEnvs}`);
    }
    const seeds = new Rng(options.seed ?? 0);
    this.envs = Array.from({ length: numEnvs }, () => new MinatarEnv(game, { ...options, seed: seeds.nextUint32() }));
    this.spec = this.envs[0].spec;
    this.numEnvs = numEnvs;
    const size = observationSize(this.spec);
    this.observations = new Uint8Array(numEnvs * size);
    this.views = this.envs.map((_, i) => this.observations.subarray(i * size, (i + 1) * size));
    this.rewards = new Float32Array(numEnvs);
    this.terminals = new Uint8Array(numEnvs);
    this.truncateds = new Uint8Array(numEnvs);
  }

  reset(): void {
    for (let i = 0; i < this.numEnvs; i++) this.envs[i].reset(this.views[i]);
    this.rewards.fill(0);
    this.terminals.fill(0);
    this.truncateds.fill(0);
  }

  step(actions: ArrayLike<number>): void {
    if (actions.length !== this.numEnvs) {
      throw new RangeError(`${this.spec.id}: step needs ${this.numEnvs} actions, got ${actions.length}`);
    }
    // Every action is checked before any copy moves, so a bad batch changes nothing.
    for (let i = 0; i < this.numEnvs; i++) {
      if (!Number.isInteger(actions[i]) || actions[i] < 0 || actions[i] >= this.spec.numActions) {
        throw new RangeError(`${this.spec.id}: action ${i} must be an integer in [0, 5], got ${actions[i]}`);
      }
    }
    for (let i = 0; i < this.numEnvs; i++) {
      const view = this.views[i];
      const result = this.envs[i].step(actions[i], view);
      this.rewards[i] = result.reward;
      this.terminals[i] = result.terminal ? 1 : 0;
      this.truncateds[i] = result.truncated ? 1 : 0;
      if (result.terminal || result.truncated) this.envs[i].reset(view);
    }
  }

  close(): void {}
}
