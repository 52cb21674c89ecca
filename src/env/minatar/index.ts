/** The built-in MinAtar suite: five 10×10 games (Young & Tian 2019) behind the Env / VecEnv contract. */
export { MinatarEnv, type MinatarOptions, makeMinatarEnv } from './env';
export { ACTION_NAMES as MINATAR_ACTION_NAMES } from './game';
export { MINATAR_GAMES, type MinatarGameName } from './games';
export { cubehelixPalette, renderObservation } from './render';
export { MinatarVecEnv } from './vec-env';
