/** The util layer's public API: where data, tables and figures live, and the seeded generator. */
export { dataFolder, displayPath, figuresDir, PROJECT_ROOT, tablesDir } from './paths';
export { Rng, type RngState } from './rng';
