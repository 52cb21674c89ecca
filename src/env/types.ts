/**
 * The environment contract shared by the built-in MinAtar suite and real Atari.
 * Observations are uint8, height × width × channels (the layout the networks read), written into
 * caller-owned buffers so that stepping allocates nothing.
 */

export interface EnvSpec {
  /** Suite-qualified id, e.g. 'minatar/breakout' or 'atari/pong'. */
  readonly id: string;
  readonly suite: 'minatar' | 'atari';
  readonly game: string;
  /** [height, width, channels] of one observation. */
  readonly observationShape: readonly [number, number, number];
  /** Size of the suite's full action set (6 for MinAtar, 18 for Atari): the students' shared output. */
  readonly numActions: number;
  /** The game's own (minimal) action subset, as indices into the full set, ascending. */
  readonly legalActions: readonly number[];
  /** Human-readable names of the full action set. */
  readonly actionNames: readonly string[];
}

/** Result of one step; the object is owned by the environment and reused (valid until the next call). */
export interface StepResult {
  reward: number;
  /** The episode ended by the game's rules. */
  terminal: boolean;
  /** The episode was cut by a time limit (not a true terminal: bootstrapping remains valid). */
  truncated: boolean;
}

/** An RGB picture of a state: height × width × 3 bytes. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

export interface Env {
  readonly spec: EnvSpec;
  /** Starts a new episode, writing its first observation into `obs` (length H·W·C). */
  reset(obs: Uint8Array): void;
  /** Applies `action` (an index into the full action set) and writes the next observation into `obs`. */
  step(action: number, obs: Uint8Array): StepResult;
  /** The current state as an RGB picture (for notebooks and videos). */
  render(): RgbImage;
  /** Releases native resources; calling it twice is harmless. */
  close(): void;
}

/**
 * N copies stepped together into one preallocated batch. A copy whose episode ends is reset at once:
 * after `step`, `observations` holds the new episode's first observation for it, while `rewards`,
 * `terminals` and `truncateds` describe the step that ended the old one.
 */
export interface VecEnv {
  readonly spec: EnvSpec;
  readonly numEnvs: number;
  /** [numEnvs, H, W, C] uint8. */
  readonly observations: Uint8Array;
  readonly rewards: Float32Array;
  readonly terminals: Uint8Array;
  readonly truncateds: Uint8Array;
  reset(): void | Promise<void>;
  /** One action per copy; await the result (native vector environments step off the JS thread). */
  step(actions: ArrayLike<number>): void | Promise<void>;
  close(): void;
}

/** Number of bytes in one observation of `spec`. */
export function observationSize(spec: EnvSpec): number {
  const [h, w, c] = spec.observationShape;
  return h * w * c;
}

/** Throws a clear error when `obs` is not exactly one observation of `spec`. */
export function checkObservationBuffer(spec: EnvSpec, obs: Uint8Array, count = 1): void {
  const expected = observationSize(spec) * count;
  if (!(obs instanceof Uint8Array) || obs.length !== expected) {
    const shape = [count > 1 ? count : null, ...spec.observationShape].filter((d) => d !== null);
    const given = obs instanceof Uint8Array ? `a Uint8Array of length ${obs.length}` : String(obs);
    throw new RangeError(
      `${spec.id}: observation buffer must be a Uint8Array of length ${expected} (shape [${shape.join(', ')}]), got ${given}`,
    );
  }
}
