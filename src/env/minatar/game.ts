/**
 * What every MinAtar game provides to the environment wrapper: the rules of one game on a 10×10 grid,
 * drawing every random number from the generator it is handed (so a recording generator can replay
 * the exact same draws into the Python reference).
 */
import type { Rng } from '../../util/rng';

/** The full MinAtar action set, in the reference's order. */
export const ACTION_NAMES = ['noop', 'left', 'up', 'right', 'down', 'fire'] as const;
/** Indices into ACTION_NAMES. */
export const ACTION = { NOOP: 0, LEFT: 1, UP: 2, RIGHT: 3, DOWN: 4, FIRE: 5 } as const;

/** Height and width of every MinAtar grid. */
export const GRID = 10;

export interface MinatarGame {
  /** Set once the episode has ended; `act` then does nothing, as in the reference. */
  readonly terminal: boolean;
  /** Current level of the difficulty ramp (0 for the games without one). */
  readonly rampIndex: number;
  /** Starts a new episode. */
  reset(rng: Rng): void;
  /** Applies one action of the full six-action set and returns the reward. */
  act(action: number, rng: Rng): number;
  /** Writes the state into `obs`: 10×10×channels bytes of 0/1, every byte written. */
  observe(obs: Uint8Array): void;
}

export interface MinatarGameInfo {
  readonly name: string;
  /** One name per observation channel, in the reference's channel order. */
  readonly channels: readonly string[];
  /** The reference's minimal action set, as indices into ACTION_NAMES. */
  readonly legalActions: readonly number[];
  create(difficultyRamping: boolean): MinatarGame;
}
