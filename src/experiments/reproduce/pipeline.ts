/**
 * The shapes the stages of `reproduce` share (reproduce.ts runs them, parallel-runs.ts trains in child processes,
 * notebooks pick runs): what a plan is asked with, the pipeline it resolves to, the hooks training reports to.
 */

import type { GameSetup } from '../../distill/config';
import type { DistillProgress } from '../../distill/distiller';
import type { PresetName } from '../common/preset-env';
import type { Suite } from '../common/suites';
import type { PlanSelection, ReproducePlan } from './presets';
import type { PlannedRun } from './run';
import type { SuiteTeachers } from './teachers';

export interface PipelineOptions extends PlanSelection {
  readonly suite: Suite;
  readonly preset: PresetName;
  /** Dotted-key overrides of every run's configuration. */
  readonly overrides?: readonly Record<string, unknown>[];
  /** Games to distil (default: the suite's). */
  readonly games?: readonly string[];
  /** Folder holding GAME/teacher.dlck (default: the shipped teachers in data/teachers/SUITE). */
  readonly teachersRoot?: string;
  /** Runs trained at once, each in a child process (default: in this process, one after the other). */
  readonly jobs?: number;
  /** Runs of one variant trained together in one process, differing only in their seed (default: the preset's). */
  readonly seedBatch?: number;
  /** Memory of the machine each run trains on, for the replay-memory check (default: this one's; with --cluster its largest node's). */
  readonly machineBytes?: number;
  /** Folder name of the tables and figures under data/tables/ and figures/ (`--name`; reproduce.ts's `resultDirectories`). */
  readonly resultsName?: string;
}

export interface TrainHooks {
  readonly command?: string;
  readonly log?: (line: string) => void;
  /** Progress of the run in training: its position among the runs trained and its counters. */
  readonly onRunProgress?: (index: number, count: number, run: PlannedRun, progress: DistillProgress) => void;
  /** An evaluation of the run in training: its mean % of teacher over the games. */
  readonly onRunEvaluation?: (index: number, count: number, run: PlannedRun, meanPercent: number) => void;
  /** A run ended: finished, or skipped as already done. */
  readonly onRunEnd?: (index: number, count: number, run: PlannedRun) => void;
  /** Stage 2 begins, its runs and seed batch size known. */
  readonly onTrainingStage?: (pipeline: Pipeline) => void;
  /** Polled after every step; true stops at once, as a kill would (the next call resumes). */
  readonly shouldStop?: () => boolean;
}

/** Everything the stages share: the plan, its runs with their resolved configurations, the teachers and games. */
export interface Pipeline {
  readonly suite: Suite;
  readonly preset: PresetName;
  /** The preset's plan restricted to the selection (`--only`, `--seeds`). */
  readonly plan: ReproducePlan;
  readonly runs: readonly PlannedRun[];
  readonly teachers: SuiteTeachers;
  /** The teachers' games with their measured value ranges. */
  readonly games: readonly GameSetup[];
  /** The folder of stage 1's tables (value ranges, state distributions) for these teachers. */
  readonly stage: string;
  /** The preset's own plan, unchanged: its tables go to data/tables/SUITE-PRESET/; any other plan's stay in its own folder. */
  readonly isPresetPlan: boolean;
  /** Folder of the teachers when not the shipped ones. */
  readonly teachersRoot?: string;
  /** Runs of one variant trained together in one process (`--seed-batch`, or the preset's default). */
  readonly seedBatch: number;
  readonly resultsName?: string;
}

export interface TrainSummary {
  readonly finished: boolean;
  readonly trained: number;
  readonly skipped: number;
}
