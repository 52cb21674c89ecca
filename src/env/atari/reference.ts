/**
 * Test support: runs Gymnasium's AtariPreprocessing + frame stacking over ale_py (gym_reference.py,
 * in the project's .venv) and reads back its trajectory. Tests skip only when DISTILL_LAB_NO_PYTHON=1.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../util/paths';
import { ALE_SETUP_COMMAND } from './games';

export const VENV_PYTHON = join(PROJECT_ROOT, '.venv', 'bin', 'python');

export function referenceSkipReason(): string | false {
  return process.env.DISTILL_LAB_NO_PYTHON === '1' ? 'DISTILL_LAB_NO_PYTHON=1' : false;
}

export interface ReferenceJob {
  rom: string;
  seed: number;
  actions: number[];
  /** No-op frames at the first reset (0: none). */
  noops: number;
  /** ALE's repeat_action_probability. */
  sticky: number;
  episodicLife: boolean;
  stopAtTerminal: boolean;
}

export interface ReferenceTrajectory {
  /** Every observation, 84×84×4 each, H×W×C: the reset's, one per step, and after an episode end the next reset's. */
  observations: Uint8Array;
  rewards: number[];
  terminated: boolean[];
  truncated: boolean[];
}

/** Runs a Python script from the .venv with `input` on stdin; fails with its stderr. */
export function runVenvPython(args: string[], input: string): string {
  if (!existsSync(VENV_PYTHON)) throw new Error(`${VENV_PYTHON} is missing: run '${ALE_SETUP_COMMAND}'`);
  const run = spawnSync(VENV_PYTHON, args, { input, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new Error(`python ${args[0]} failed (exit ${run.status}): ${run.stderr || run.error}`);
  return run.stdout;
}

/** Runs every job in one Python process (its imports take about a second). */
export function gymnasiumTrajectories(jobs: readonly ReferenceJob[]): ReferenceTrajectory[] {
  const dir = mkdtempSync(join(tmpdir(), 'atari-ref-'));
  try {
    const files = jobs.map((_, i) => join(dir, `observations-${i}.bin`));
    const request = jobs.map((job, i) => ({ ...job, observations: files[i] }));
    const stdout = runVenvPython([join(__dirname, 'gym_reference.py')], JSON.stringify(request));
    const answers = JSON.parse(stdout) as Omit<ReferenceTrajectory, 'observations'>[];
    return answers.map((answer, i) => ({ ...answer, observations: new Uint8Array(readFileSync(files[i])) }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
