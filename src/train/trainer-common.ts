/**
 * What both teacher loops (DQN and PQN) share: their environments, progress reports, hooks, learning-curve rows,
 * results, and the checks of a run (a diverged run's error is `DivergenceError`, divergence.ts). The timing and
 * the hooks' shape are the students' loop's (distill/distiller.ts) as well.
 */
import type { Env } from '../env/types';
import type { CheckpointHooks } from './checkpointer';

/** Where the trainer gets its environments. */
export interface TrainerEnvs {
  /** A training environment whose generator starts from `seed`. */
  training(seed: number): Env;
  /** An environment for the evaluation protocol (e.g. Atari without episodic life or reward clipping). */
  evaluation(seed: number): Env;
  /** A fresh training environment per episode (exact resume) rather than one for the run. */
  readonly freshPerEpisode: boolean;
}

/** One factory for training and evaluation, a fresh environment per episode. */
export function envsFrom(makeEnv: (seed: number) => Env): TrainerEnvs {
  return { training: makeEnv, evaluation: makeEnv, freshPerEpisode: true };
}

/** One evaluation, as a row of the learning-curve table. */
export interface EvaluationRow {
  readonly step: number;
  /** Training episodes finished so far. */
  readonly episodes: number;
  readonly updates: number;
  readonly epsilon: number;
  readonly evalEpisodes: number;
  /** Mean return of the completed evaluation episodes; null when none completed. */
  readonly evalReturn: number | null;
  /** Mean return of the last training episodes (up to RECENT_EPISODES). */
  readonly trainReturn: number | null;
  /** Mean loss of the updates since the previous evaluation. */
  readonly loss: number | null;
  /** Training wall-clock seconds so far (the one column a resumed run does not repeat exactly). */
  readonly seconds: number;
}

export interface TrainerProgress {
  readonly step: number;
  readonly totalSteps: number;
  readonly episodes: number;
  readonly updates: number;
  readonly epsilon: number;
  /** Learning rate of the last update (the configured one before any). */
  readonly learningRate: number;
  /** Mean loss of the updates since the previous report (in this process); null when there were none. */
  readonly loss: number | null;
  readonly recentReturn: number | null;
  readonly timing: StepTiming;
}

/** Seconds spent in each part of a training loop (teacher or student) since this process started the run. */
export interface LoopTiming {
  env: number;
  act: number;
  update: number;
  evaluation: number;
  checkpoint: number;
}

/** A teacher loop's timing, with the seconds spent drawing batches and computing targets (`replay`). */
export interface StepTiming extends LoopTiming {
  replay: number;
}

/** What a training loop (teacher or student) tells its caller: progress, evaluation rows and checkpoints. */
export interface LoopHooks<Progress, Row> extends CheckpointHooks {
  /** Called on the loop's progress schedule. */
  onProgress?(progress: Progress): void;
  /** Called when an evaluation finishes, with every row so far. */
  onEvaluation?(row: Row, rows: readonly Row[]): void;
}

export interface TrainerHooks extends LoopHooks<TrainerProgress, EvaluationRow> {
  /** Polled after every step; true ends the run at once, without a checkpoint (like a kill). */
  shouldStop?(step: number): boolean;
}

export interface TrainResult {
  readonly finished: boolean;
  readonly step: number;
  readonly evaluations: readonly EvaluationRow[];
  readonly timing: StepTiming;
}

/** Keys (dotted paths) whose values differ between two JSON values. */
export function differingKeys(a: unknown, b: unknown, prefix = ''): string[] {
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) =>
      differingKeys(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        prefix ? `${prefix}.${k}` : k,
      ),
    );
  }
  return a === b ? [] : [prefix || '(value)'];
}
