/**
 * N copies of one Atari game stepped together on native threads (off the JavaScript thread), each
 * writing its 84×84×4 observation straight into one shared batch; `step` returns a Promise so the
 * learner can work while the emulators run. A copy whose episode ends is reset at once.
 */
import { availableParallelism } from 'node:os';
import { checkObservationBuffer, type EnvSpec, observationSize, type RgbImage, type VecEnv } from '../types';
import { checkAtariAction } from './actions';
import { ATARI_SCREEN_HEIGHT, ATARI_SCREEN_WIDTH, type AtariOptions, atariSpec, resolveOptions } from './env';
import { loadAleAddon, type NativeAleVecEnv } from './native';
import type { AtariProtocol } from './protocol';

export interface AtariVecOptions extends AtariOptions {
  /** Native threads stepping the copies; default min(numEnvs, available cores). */
  numThreads?: number;
  /** A caller-owned batch to write observations into ([numEnvs, 84, 84, stack] uint8); default: a new one. */
  observations?: Uint8Array;
}

export class AtariVecEnv implements VecEnv {
  readonly spec: EnvSpec;
  readonly protocol: AtariProtocol;
  readonly numEnvs: number;
  readonly numThreads: number;
  readonly observations: Uint8Array;
  readonly rewards: Float32Array;
  readonly terminals: Uint8Array;
  readonly truncateds: Uint8Array;
  /** Unclipped score changes of the last step. */
  readonly rawRewards: Float32Array;
  /** 1 where the last step ended the game itself (not only a life): episode scores end here. */
  readonly gameOvers: Uint8Array;
  private native: NativeAleVecEnv | null;
  private readonly actions: Int32Array;

  /** Copy i is seeded with seed + i·0x9e3779b9 (mod 2^32). */
  constructor(game: string, numEnvs: number, options: AtariVecOptions = {}) {
    if (!Number.isInteger(numEnvs) || numEnvs < 1) {
      throw new RangeError(`numEnvs must be a positive integer, got ${numEnvs}`);
    }
    const { numThreads = Math.min(numEnvs, availableParallelism()), observations, ...envOptions } = options;
    if (!Number.isInteger(numThreads) || numThreads < 1) {
      throw new RangeError(`numThreads must be a positive integer, got ${numThreads}`);
    }
    const { rom, seed, protocol } = resolveOptions(game, envOptions);
    const provisional = atariSpec(game, protocol, []);
    const batch = observations ?? new Uint8Array(numEnvs * observationSize(provisional));
    checkObservationBuffer(provisional, batch, numEnvs);
    const { AleVecEnv } = loadAleAddon();
    this.protocol = protocol;
    this.numEnvs = numEnvs;
    this.numThreads = Math.min(numThreads, numEnvs);
    this.observations = batch;
    this.rewards = new Float32Array(numEnvs);
    this.rawRewards = new Float32Array(numEnvs);
    this.terminals = new Uint8Array(numEnvs);
    this.truncateds = new Uint8Array(numEnvs);
    this.gameOvers = new Uint8Array(numEnvs);
    this.actions = new Int32Array(numEnvs);
    this.native = new AleVecEnv(rom, seed, protocol, this.numThreads, {
      observations: batch,
      rewards: this.rewards,
      rawRewards: this.rawRewards,
      terminals: this.terminals,
      truncateds: this.truncateds,
      gameOvers: this.gameOvers,
    });
    this.spec = atariSpec(game, protocol, Object.freeze(this.native.legalActions()));
  }

  reset(): Promise<void> {
    const done = this.open().reset(); // refuses first when a step is still running
    this.rewards.fill(0);
    this.rawRewards.fill(0);
    this.terminals.fill(0);
    this.truncateds.fill(0);
    this.gameOvers.fill(0);
    return done;
  }

  /** One action per copy (indices into the full 18-action set); resolves when every copy has stepped. */
  step(actions: ArrayLike<number>): Promise<void> {
    const native = this.open();
    if (actions.length !== this.numEnvs) {
      throw new RangeError(`${this.spec.id}: step needs ${this.numEnvs} actions, got ${actions.length}`);
    }
    for (let i = 0; i < this.numEnvs; i++) checkAtariAction(this.spec.id, actions[i], `action ${i}`);
    for (let i = 0; i < this.numEnvs; i++) this.actions[i] = actions[i];
    return native.step(this.actions);
  }

  /** The full-colour 210×160 screen of copy `index`. */
  render(index = 0): RgbImage {
    if (!Number.isInteger(index) || index < 0 || index >= this.numEnvs) {
      throw new RangeError(
        `${this.spec.id}: render index must be an integer in [0, ${this.numEnvs - 1}], got ${index}`,
      );
    }
    return { width: ATARI_SCREEN_WIDTH, height: ATARI_SCREEN_HEIGHT, data: this.open().render(index) };
  }

  /** Waits for a step in flight, joins the native threads and frees the emulators; twice is harmless. */
  close(): void {
    this.native?.close();
    this.native = null;
  }

  private open(): NativeAleVecEnv {
    if (this.native === null) throw new Error(`${this.spec.id}: the environment is closed`);
    return this.native;
  }
}
