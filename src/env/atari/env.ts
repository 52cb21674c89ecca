/**
 * One Atari game behind the `Env` contract, stepped on the calling thread through the ALE addon,
 * with the DQN protocol's frame handling (see protocol.ts); observations are 84×84×4 uint8, newest
 * frame last.
 */
import { checkObservationBuffer, type Env, type EnvSpec, type RgbImage, type StepResult } from '../types';
import { ATARI_ACTION_NAMES, checkAtariAction } from './actions';
import { romPath } from './games';
import { loadAleAddon, type NativeAleEnv } from './native';
import { ATARI_SCREEN_SIZE, type AtariMode, type AtariProtocol, resolveProtocol } from './protocol';

export interface AtariOptions extends Partial<AtariProtocol> {
  /** Seeds ALE (sticky actions) and the no-op start counts; integer in [0, 2^32), default 0. */
  seed?: number;
  /** Which protocol defaults apply before the overrides; default 'training'. */
  mode?: AtariMode;
}

/** What a step reports beyond the contract: the unclipped score change and whether the game itself ended. */
export interface AtariStepResult extends StepResult {
  /** The game's score change (the reward before clipping). */
  rawReward: number;
  /** The game is over or truncated: the next reset starts a new game (with episodic life a lost life is not). */
  gameOver: boolean;
}

export const ATARI_SCREEN_WIDTH = 160;
export const ATARI_SCREEN_HEIGHT = 210;

export function checkSeed(seed: number): void {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`seed must be an integer in [0, 2^32), got ${seed}`);
  }
}

/** Splits options into the seed and a validated protocol, before anything native is made. */
export function resolveOptions(
  game: string,
  options: AtariOptions,
): { rom: string; seed: number; protocol: AtariProtocol } {
  const { seed = 0, mode = 'training', ...overrides } = options;
  checkSeed(seed);
  const protocol = resolveProtocol(mode, overrides);
  return { rom: romPath(game), seed, protocol };
}

export function atariSpec(game: string, protocol: AtariProtocol, legalActions: readonly number[]): EnvSpec {
  return {
    id: `atari/${game}`,
    suite: 'atari',
    game,
    observationShape: [ATARI_SCREEN_SIZE, ATARI_SCREEN_SIZE, protocol.stackSize],
    numActions: ATARI_ACTION_NAMES.length,
    legalActions,
    actionNames: ATARI_ACTION_NAMES,
  };
}

export class AtariEnv implements Env {
  readonly spec: EnvSpec;
  readonly protocol: AtariProtocol;
  private native: NativeAleEnv | null;
  private readonly outcome = new Float64Array(5);
  private readonly result: AtariStepResult = {
    reward: 0,
    terminal: false,
    truncated: false,
    rawReward: 0,
    gameOver: false,
  };
  private started = false;

  constructor(game: string, options: AtariOptions = {}) {
    const { rom, seed, protocol } = resolveOptions(game, options);
    const { AleEnv } = loadAleAddon();
    this.protocol = protocol;
    this.native = new AleEnv(rom, seed, protocol, this.outcome);
    this.spec = atariSpec(game, protocol, Object.freeze(this.native.legalActions()));
  }

  reset(obs: Uint8Array): void {
    checkObservationBuffer(this.spec, obs);
    this.open().reset(obs);
    this.started = true;
  }

  step(action: number, obs: Uint8Array): AtariStepResult {
    checkAtariAction(this.spec.id, action);
    checkObservationBuffer(this.spec, obs);
    const native = this.open();
    if (!this.started) throw new Error(`${this.spec.id}: call reset() before step()`);
    native.step(action, obs);
    const [reward, rawReward, terminal, truncated, gameOver] = this.outcome;
    this.result.reward = reward;
    this.result.rawReward = rawReward;
    this.result.terminal = terminal === 1;
    this.result.truncated = truncated === 1;
    this.result.gameOver = gameOver === 1;
    return this.result;
  }

  /** The full-colour 210×160 screen. */
  render(): RgbImage {
    return { width: ATARI_SCREEN_WIDTH, height: ATARI_SCREEN_HEIGHT, data: this.open().render() };
  }

  /** Lives left in the current game. */
  lives(): number {
    return this.open().lives();
  }

  /** Frames emulated since the current game's reset (no-op starts included). */
  episodeFrame(): number {
    return this.open().episodeFrame();
  }

  close(): void {
    this.native?.close();
    this.native = null;
  }

  private open(): NativeAleEnv {
    if (this.native === null) throw new Error(`${this.spec.id}: the environment is closed`);
    return this.native;
  }
}
