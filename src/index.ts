/** distill-lab's public API: what notebooks import from `dist/`. */
export * from './env/image';
export * from './env/minatar';
export * from './env/types';
export * from './log/tensorboard';
export * from './nn/backend';
export * from './nn/layers';
export * from './nn/losses';
export * from './nn/qnetwork';
export * from './nn/rmsprop';
export { backendInfo, tf } from './nn/tf';
export * from './util/rng';
