/** The Atari 2600's full 18-action set (ALE's order): the students' shared output layer. */
export const ATARI_ACTION_NAMES = [
  'NOOP',
  'FIRE',
  'UP',
  'RIGHT',
  'LEFT',
  'DOWN',
  'UPRIGHT',
  'UPLEFT',
  'DOWNRIGHT',
  'DOWNLEFT',
  'UPFIRE',
  'RIGHTFIRE',
  'LEFTFIRE',
  'DOWNFIRE',
  'UPRIGHTFIRE',
  'UPLEFTFIRE',
  'DOWNRIGHTFIRE',
  'DOWNLEFTFIRE',
] as const;

export const ATARI_NUM_ACTIONS = ATARI_ACTION_NAMES.length;

/** Throws a clear error unless `action` is an index into the full action set. */
export function checkAtariAction(envId: string, action: number, label = 'action'): void {
  if (!Number.isInteger(action) || action < 0 || action >= ATARI_NUM_ACTIONS) {
    throw new RangeError(`${envId}: ${label} must be an integer in 0..${ATARI_NUM_ACTIONS - 1}, got ${action}`);
  }
}

/** 1 for the game's legal actions, 0 elsewhere, over the full set (to mask the shared 18-way output). */
export function legalActionMask(legalActions: readonly number[]): Uint8Array {
  const mask = new Uint8Array(ATARI_NUM_ACTIONS);
  for (const a of legalActions) mask[a] = 1;
  return mask;
}
