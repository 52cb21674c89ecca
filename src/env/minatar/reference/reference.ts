/** Runs the Python reference driver (driver.py beside this file) through the project's .venv. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../../..');
export const PYTHON = join(ROOT, '.venv', 'bin', 'python');
const DRIVER = join(__dirname, 'driver.py');

/** Why the reference cannot be used, or null when it can (tests skip only when DISTILL_LAB_NO_PYTHON=1). */
export function referenceUnavailable(): string | null {
  if (process.env.DISTILL_LAB_NO_PYTHON === '1') return 'DISTILL_LAB_NO_PYTHON=1';
  return null;
}

/** Sends one JSON request to the driver and returns its JSON answer; fails with the driver's stderr. */
export function callReference<T>(command: 'replay' | 'sample' | 'bench', request: object): T {
  if (!existsSync(PYTHON)) {
    throw new Error(`MinAtar reference: ${PYTHON} is missing; run: bash scripts/setup.sh --only minatar-ref`);
  }
  const run = spawnSync(PYTHON, [DRIVER, command], {
    input: JSON.stringify(request),
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (run.status !== 0) {
    throw new Error(`MinAtar reference '${command}' failed (exit ${run.status}): ${run.stderr || run.error}`);
  }
  return JSON.parse(run.stdout) as T;
}
