/** The env layer's public API: the Env / VecEnv contract, the built-in MinAtar games, Atari through the ALE addon. */
export * from './atari';
export { encodePng, upscale } from './image';
export * from './minatar';
export { type Env, type EnvSpec, observationSize, type RgbImage, type StepResult, type VecEnv } from './types';
