/**
 * Where results live. Run folders go to `data/runs/`, tables to `data/tables/`, figures to `figures/`;
 * DISTILL_LAB_DATA_DIR and DISTILL_LAB_FIGURES_DIR redirect them (the notebook runner does so for the smoke
 * preset, so CI never rewrites committed results).
 *
 * A notebook opened by hand must not overwrite committed tables and figures either: in a tslab kernel, tables
 * and figures go to `build/notebooks/scratch/` unless DISTILL_LAB_WRITE_RESULTS=1 asks for data/tables and
 * figures/ (`npm run notebooks` sets it: that is the route that regenerates them on purpose). Run folders stay
 * in `data/runs/` either way, so a notebook reuses the runs that `reproduce` finished.
 */
import { basename, join, relative, resolve } from 'node:path';

/** The repository root (this file sits at src/util or dist/util). */
export const PROJECT_ROOT = resolve(__dirname, '..', '..');

/** Where a notebook kernel's tables and figures go unless DISTILL_LAB_WRITE_RESULTS=1 (git-ignored). */
export const NOTEBOOK_SCRATCH_DIR = join(PROJECT_ROOT, 'build', 'notebooks', 'scratch');

function fromEnv(env: NodeJS.ProcessEnv, variable: string): string | null {
  const value = env[variable];
  return value === undefined || value === '' ? null : resolve(value);
}

/** Whether this process is a tslab notebook kernel (`tslab kernel …`, whichever kernelspec started it). */
export function isNotebookKernel(argv: readonly string[] = process.argv): boolean {
  return argv.length > 2 && /^tslab(\.js)?$/.test(basename(argv[1])) && argv[2] === 'kernel';
}

/**
 * Whether tables and figures go to NOTEBOOK_SCRATCH_DIR: in a notebook kernel, unless DISTILL_LAB_WRITE_RESULTS=1.
 * An explicit DISTILL_LAB_DATA_DIR / DISTILL_LAB_FIGURES_DIR wins over both.
 */
export function writesToScratch(env: NodeJS.ProcessEnv = process.env, argv: readonly string[] = process.argv): boolean {
  return isNotebookKernel(argv) && env.DISTILL_LAB_WRITE_RESULTS !== '1';
}

/** The data folder: run folders (`runs/`) and, outside notebooks, tables (`tables/`). */
export function dataFolder(env: NodeJS.ProcessEnv = process.env): string {
  return fromEnv(env, 'DISTILL_LAB_DATA_DIR') ?? join(PROJECT_ROOT, 'data');
}

/** Folder of result tables (Arrow IPC + CSV). */
export function tablesDir(env: NodeJS.ProcessEnv = process.env, argv: readonly string[] = process.argv): string {
  const explicit = fromEnv(env, 'DISTILL_LAB_DATA_DIR');
  if (explicit === null && writesToScratch(env, argv)) return join(NOTEBOOK_SCRATCH_DIR, 'tables');
  return join(explicit ?? join(PROJECT_ROOT, 'data'), 'tables');
}

/** Folder of exported figures (PNG, SVG, interactive HTML). */
export function figuresDir(env: NodeJS.ProcessEnv = process.env, argv: readonly string[] = process.argv): string {
  const explicit = fromEnv(env, 'DISTILL_LAB_FIGURES_DIR');
  if (explicit === null && writesToScratch(env, argv)) return join(NOTEBOOK_SCRATCH_DIR, 'figures');
  return explicit ?? join(PROJECT_ROOT, 'figures');
}

/** A path as the user would type it: relative to the repository when inside it. */
export function displayPath(path: string): string {
  const rel = relative(PROJECT_ROOT, path);
  return rel.startsWith('..') ? path : rel;
}
