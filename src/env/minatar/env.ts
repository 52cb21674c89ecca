/**
 * One MinAtar game behind the `Env` contract: sticky actions, the game's rules, observations written into
 * the caller's buffer. Every random draw (sticky actions first, then the game's) comes from one `Rng`,
 * in the same order as the reference's single numpy generator.
 */
import { Rng } from '../../util/rng';
import { checkObservationBuffer, type Env, type EnvSpec, type RgbImage, type StepResult } from '../types';
import { ACTION, ACTION_NAMES, GRID, type MinatarGame } from './game';
import { minatarGame } from './games';
import { cubehelixPalette, renderObservation } from './render';

// Local bindings: under tsx's CommonJS transform each use of an imported binding is a getter call.
const NUM_ACTIONS = ACTION_NAMES.length;
const NOOP = ACTION.NOOP;
const checkObservation = checkObservationBuffer;

export interface MinatarOptions {
  /** Seed of the environment's generator (integer in [0, 2^32)); default 0. */
  seed?: number;
  /** Probability that the previous action is repeated instead of the chosen one; default 0.1 (the reference's). */
  stickyActionProbability?: number;
  /** Speed-ups as the game goes on (Asterix, Seaquest, Space Invaders); default true (the reference's). */
  difficultyRamping?: boolean;
  /** Episodes longer than this many steps end truncated; default: no limit (the reference has none). */
  maxEpisodeSteps?: number;
  /** The generator to draw from, replacing the one made from `seed` (to record or share draws). */
  rng?: Rng;
}

export class MinatarEnv implements Env {
  readonly spec: EnvSpec;
  private readonly game: MinatarGame;
  private readonly rng: Rng;
  private readonly sticky: number;
  private readonly maxEpisodeSteps: number;
  private readonly result: StepResult = { reward: 0, terminal: false, truncated: false };
  private readonly channels: number;
  private readonly palette: Uint8Array;
  private lastAction: number = NOOP;
  private episodeSteps = 0;
  private started = false;

  constructor(gameName: string, options: MinatarOptions = {}) {
    const info = minatarGame(gameName);
    const sticky = options.stickyActionProbability ?? 0.1;
    if (!(sticky >= 0 && sticky <= 1)) {
      throw new RangeError(`stickyActionProbability must be a number in [0, 1], got ${sticky}`);
    }
    const maxEpisodeSteps = options.maxEpisodeSteps ?? Number.POSITIVE_INFINITY;
    if (!(maxEpisodeSteps >= 1) || (Number.isFinite(maxEpisodeSteps) && !Number.isInteger(maxEpisodeSteps))) {
      throw new RangeError(`maxEpisodeSteps must be a positive integer or Infinity, got ${maxEpisodeSteps}`);
    }
    this.rng = options.rng ?? new Rng(options.seed ?? 0);
    this.sticky = sticky;
    this.maxEpisodeSteps = maxEpisodeSteps;
    this.channels = info.channels.length;
    this.palette = cubehelixPalette(this.channels);
    this.game = info.create(options.difficultyRamping ?? true);
    this.spec = {
      id: `minatar/${info.name}`,
      suite: 'minatar',
      game: info.name,
      observationShape: [GRID, GRID, this.channels],
      numActions: ACTION_NAMES.length,
      legalActions: info.legalActions,
      actionNames: ACTION_NAMES,
    };
  }

  /** Current level of the difficulty ramp (0 for games without one). */
  get rampIndex(): number {
    return this.game.rampIndex;
  }

  /**
   * New episode. The sticky action memory returns to no-op (the reference keeps the previous episode's last
   * action; see docs/environments.md).
   */
  reset(obs: Uint8Array): void {
    checkObservationBuffer(this.spec, obs);
    this.game.reset(this.rng);
    this.lastAction = NOOP;
    this.episodeSteps = 0;
    this.started = true;
    this.game.observe(obs);
  }

  /**
   * Any of the six actions is accepted, as in the reference: one outside the game's minimal set acts as
   * it does in the game's rules (in every game that is the same as a no-op). Anything else is an error.
   * After a terminal step the game stays still (reward 0, terminal again) until `reset`.
   */
  step(action: number, obs: Uint8Array): StepResult {
    if (!Number.isInteger(action) || action < 0 || action >= NUM_ACTIONS) {
      throw new RangeError(
        `${this.spec.id}: action must be an integer in [0, 5] (${ACTION_NAMES.join(', ')}), got ${action}`,
      );
    }
    checkObservation(this.spec, obs);
    if (!this.started) throw new Error(`${this.spec.id}: call reset(obs) before step()`);
    // The reference draws for stickiness on every step, whatever the probability: keep its draw order.
    if (this.rng.random() < this.sticky) action = this.lastAction;
    this.lastAction = action;
    const result = this.result;
    result.reward = this.game.act(action, this.rng);
    result.terminal = this.game.terminal;
    this.episodeSteps++;
    result.truncated = !result.terminal && this.episodeSteps >= this.maxEpisodeSteps;
    this.game.observe(obs);
    return result;
  }

  render(): RgbImage {
    const obs = new Uint8Array(GRID * GRID * this.channels);
    this.game.observe(obs);
    return renderObservation(obs, this.channels, this.palette);
  }

  close(): void {}
}

/** A MinAtar environment by game name (see MINATAR_GAMES); an unknown name lists the valid ones. */
export function makeMinatarEnv(game: string, options: MinatarOptions = {}): MinatarEnv {
  return new MinatarEnv(game, options);
}
