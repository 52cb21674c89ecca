/** distill-lab's public API: every layer's public names (notebooks import the layer indexes, `distill-lab/<layer>`). */
export * from './env';
export * from './experiments';
export * from './log';
export * from './nn';
export * from './replay';
export * from './stats';
export * from './tables';
export * from './train';
export * from './util';
export * from './viz';
