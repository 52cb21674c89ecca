/**
 * Where results live. Tables go to `data/tables/`, figures to `figures/`; DISTILL_LAB_DATA_DIR and
 * DISTILL_LAB_FIGURES_DIR redirect them (the notebook runner does so for the smoke preset, so CI never
 * rewrites committed results).
 */
import { join, relative, resolve } from 'node:path';

/** The repository root (this file sits at src/util or dist/util). */
export const PROJECT_ROOT = resolve(__dirname, '..', '..');

function fromEnv(variable: string, fallback: string): string {
  const value = process.env[variable];
  return value === undefined || value === '' ? fallback : resolve(value);
}

/** Folder of result tables (Arrow IPC + CSV). */
export function tablesDir(): string {
  return join(fromEnv('DISTILL_LAB_DATA_DIR', join(PROJECT_ROOT, 'data')), 'tables');
}

/** Folder of exported figures (PNG, SVG, interactive HTML). */
export function figuresDir(): string {
  return fromEnv('DISTILL_LAB_FIGURES_DIR', join(PROJECT_ROOT, 'figures'));
}

/** A path as the user would type it: relative to the repository when inside it. */
export function displayPath(path: string): string {
  const rel = relative(PROJECT_ROOT, path);
  return rel.startsWith('..') ? path : rel;
}
