/**
 * The DQN protocol (Mnih et al. 2015) as options, with the paper's defaults: training with episodic
 * life and clipped rewards, evaluation without either and ε = 0.05 over a fixed step budget.
 */
export interface AtariProtocol {
  /** Agent steps repeat the action this many frames. */
  readonly frameSkip: number;
  /** The observed frame is the pixel-wise max of the last two frames of a step (removes flicker). */
  readonly maxPool: boolean;
  /** A new episode starts with 1..noopMax no-op frames (0: none). */
  readonly noopMax: number;
  /** A lost life ends the episode for the learner (the game goes on). */
  readonly episodicLife: boolean;
  /** Rewards become their sign (−1, 0, 1). */
  readonly clipRewards: boolean;
  /** ALE repeats the previous action with this probability each frame. */
  readonly stickyActionProbability: number;
  /** Episodes are truncated after this many frames (108,000 frames = 30 minutes at 60 Hz). */
  readonly maxEpisodeFrames: number;
  /** Frames per observation (channels of the 84×84×C observation, oldest first). */
  readonly stackSize: number;
}

export type AtariMode = 'training' | 'evaluation';

export const TRAINING_PROTOCOL: AtariProtocol = {
  frameSkip: 4,
  maxPool: true,
  noopMax: 30,
  episodicLife: true,
  clipRewards: true,
  stickyActionProbability: 0,
  maxEpisodeFrames: 108_000,
  stackSize: 4,
};

export const EVALUATION_PROTOCOL: AtariProtocol = { ...TRAINING_PROTOCOL, episodicLife: false, clipRewards: false };

/** Evaluation policy and budget from the paper ("plays for 100,000 control steps", ε = 0.05). */
export const EVALUATION_EPSILON = 0.05;
export const EVALUATION_STEPS = 100_000;

/** Side of the square grayscale frame. */
export const ATARI_SCREEN_SIZE = 84;

function checkInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${value}`);
  }
}

/** The mode's defaults with `overrides` applied, validated before anything is built. */
export function resolveProtocol(mode: AtariMode = 'training', overrides: Partial<AtariProtocol> = {}): AtariProtocol {
  if (mode !== 'training' && mode !== 'evaluation') {
    throw new RangeError(`mode must be 'training' or 'evaluation', got ${JSON.stringify(mode)}`);
  }
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  const p: AtariProtocol = { ...(mode === 'training' ? TRAINING_PROTOCOL : EVALUATION_PROTOCOL), ...defined };
  checkInteger('frameSkip', p.frameSkip, 1, 64);
  checkInteger('noopMax', p.noopMax, 0, 1000);
  checkInteger('maxEpisodeFrames', p.maxEpisodeFrames, 0, 2 ** 31 - 1);
  checkInteger('stackSize', p.stackSize, 1, 4);
  if (!(p.stickyActionProbability >= 0 && p.stickyActionProbability <= 1)) {
    throw new RangeError(`stickyActionProbability must be a number in [0, 1], got ${p.stickyActionProbability}`);
  }
  for (const key of ['maxPool', 'episodicLife', 'clipRewards'] as const) {
    if (typeof p[key] !== 'boolean') throw new TypeError(`${key} must be true or false, got ${String(p[key])}`);
  }
  return p;
}
