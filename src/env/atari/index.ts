/** Real Atari through the ALE addon (native/ale, GPL-2.0): the paper's domain behind the Env / VecEnv contract. */
export { ATARI_ACTION_NAMES, ATARI_NUM_ACTIONS, legalActionMask } from './actions';
export { AtariEnv, type AtariOptions, type AtariStepResult } from './env';
export { observationFrame } from './frame';
export { ALE_SETUP_COMMAND, availableGames, PAPER_GAMES, type PaperGame } from './games';
export {
  type AtariMode,
  type AtariProtocol,
  EVALUATION_EPSILON,
  EVALUATION_PROTOCOL,
  EVALUATION_STEPS,
  resolveProtocol,
  TRAINING_PROTOCOL,
} from './protocol';
export { AtariVecEnv, type AtariVecOptions } from './vec-env';
