/** Loads the ALE addon (native/ale, GPL-2.0) on first use, with one clear message when it is not built. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../util/paths';
import { ALE_SETUP_COMMAND } from './games';
import type { AtariProtocol } from './protocol';

export const ADDON_PATH = join(PROJECT_ROOT, 'native', 'ale', 'build', 'ale.node');

export interface NativeAleEnv {
  reset(obs: Uint8Array): void;
  /** Writes [reward, rawReward, terminal, truncated, gameOver] into the result array given at construction. */
  step(action: number, obs: Uint8Array): void;
  render(): Uint8Array;
  lives(): number;
  episodeFrame(): number;
  legalActions(): number[];
  close(): void;
}

export interface NativeVecBuffers {
  observations: Uint8Array;
  rewards: Float32Array;
  rawRewards: Float32Array;
  terminals: Uint8Array;
  truncateds: Uint8Array;
  gameOvers: Uint8Array;
}

export interface NativeAleVecEnv {
  reset(): Promise<void>;
  step(actions: Int32Array): Promise<void>;
  render(index: number): Uint8Array;
  legalActions(): number[];
  close(): void;
}

export interface AleAddon {
  AleEnv: new (rom: string, seed: number, protocol: AtariProtocol, result: Float64Array) => NativeAleEnv;
  AleVecEnv: new (
    rom: string,
    seed: number,
    protocol: AtariProtocol,
    threads: number,
    buffers: NativeVecBuffers,
  ) => NativeAleVecEnv;
  resizeArea(src: Uint8Array, srcWidth: number, srcHeight: number, dstWidth: number, dstHeight: number): Uint8Array;
}

/** The addon at `path` (require caches it); not built or not loading is one error naming the setup command. */
export function loadAleAddon(path = ADDON_PATH): AleAddon {
  if (!existsSync(path)) {
    throw new Error(`the Atari addon is not built (${path} is missing): run '${ALE_SETUP_COMMAND}'`);
  }
  try {
    return require(path) as AleAddon;
  } catch (error) {
    throw new Error(`the Atari addon ${path} does not load (${String(error)}): run '${ALE_SETUP_COMMAND}'`);
  }
}
