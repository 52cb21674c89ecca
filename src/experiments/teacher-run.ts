/**
 * A teacher run end to end: its folder under data/, configuration and command files, training with
 * checkpoints and --resume, the learning-curve table rewritten after every evaluation, and at the end the
 * teacher file with a repeatable final evaluation (optionally copied to the shipped teachers' folder).
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AtariEnv } from '../env/atari';
import { makeMinatarEnv } from '../env/minatar';
import type { Env, EnvSpec } from '../env/types';
import type { DqnConfig } from '../train/dqn-config';
import {
  DqnTrainer,
  type EvaluationRow,
  envsFrom,
  type StepTiming,
  type TrainerEnvs,
  type TrainerHooks,
} from '../train/dqn-trainer';
import { evaluatePolicy } from '../train/evaluate';
import { type FinalEvaluation, saveTeacher, type Teacher } from '../train/teacher-file';
import { writeFilesAtomically } from '../util/atomic-write';
import { PROJECT_ROOT, tablesDir } from '../util/paths';
import { Rng } from '../util/rng';
import { LEARNING_CURVE_TABLE, writeLearningCurve } from './learning-curve';
import type { Suite, TeacherRunConfig } from './teacher-config';

export const CHECKPOINT_FILE = 'checkpoint.dlck';
export const TEACHER_FILE = 'teacher.dlck';
export const CONFIG_FILE = 'config.json';
export const COMMAND_FILE = 'command.txt';

/** The data folder (DISTILL_LAB_DATA_DIR redirects it, as for tables). */
export function dataDir(): string {
  return dirname(tablesDir());
}

/** Where a run keeps its checkpoint, table and teacher: data/runs/teachers/SUITE/GAME/PRESET-seedS (git-ignored). */
export function runDirectory(config: TeacherRunConfig): string {
  return join(dataDir(), 'runs', 'teachers', config.suite, config.game, `${config.preset}-seed${config.dqn.seed}`);
}

/** The committed teachers: data/teachers/SUITE/GAME (always in the repository, whatever DISTILL_LAB_DATA_DIR says). */
export function shippedTeacherDirectory(suite: Suite, game: string): string {
  return join(PROJECT_ROOT, 'data', 'teachers', suite, game);
}

/**
 * The training and evaluation environments of a suite's game. MinAtar: one kind, fresh per episode (exact
 * resume). Atari: the training protocol (episodic life, clipped rewards) in one environment for the run, and
 * the evaluation protocol without the environment's own no-op starts, since the evaluation adds 0–30 itself.
 */
export function suiteEnvs(suite: Suite, game: string): TrainerEnvs {
  if (suite === 'minatar') return envsFrom((seed) => makeMinatarEnv(game, { seed }));
  return {
    training: (seed) => new AtariEnv(game, { seed, mode: 'training' }),
    evaluation: (seed) => new AtariEnv(game, { seed, mode: 'evaluation', noopMax: 0 }),
    freshPerEpisode: false,
  };
}

/** A fresh evaluation-protocol environment of the suite's game, seeded (for evaluations and pictures). */
export function makeSuiteEnv(suite: Suite, game: string, seed: number): Env {
  return suiteEnvs(suite, game).evaluation(seed);
}

/** The game's spec, read from one environment. */
export function suiteSpec(suite: Suite, game: string): EnvSpec {
  const env = makeSuiteEnv(suite, game, 0);
  env.close();
  return env.spec;
}

/** The repeatable evaluation stored with a teacher: the run's protocol and budget, generator seeded by the run's seed. */
export function finalEvaluation(
  teacherPolicy: (observation: Uint8Array) => number,
  spec: EnvSpec,
  makeEnv: (seed: number) => Env,
  dqn: DqnConfig,
): FinalEvaluation {
  const { steps, epsilon, maxNoops } = dqn.evaluation;
  const result = evaluatePolicy(spec, makeEnv, teacherPolicy, dqn.evaluation, new Rng(dqn.seed));
  return { seed: dqn.seed, steps, epsilon, maxNoops, episodes: result.returns.length, meanReturn: result.meanReturn };
}

/** Re-runs a teacher's recorded final evaluation. */
export function reevaluateTeacher(teacher: Teacher): FinalEvaluation {
  const { suite, game } = teacher.meta;
  const recorded = teacher.meta.finalEvaluation;
  const makeEnv = (seed: number) => makeSuiteEnv(suite as Suite, game, seed);
  const config = { every: 1, steps: recorded.steps, epsilon: recorded.epsilon, maxNoops: recorded.maxNoops };
  const result = evaluatePolicy(
    suiteSpec(suite as Suite, game),
    makeEnv,
    teacher.greedyAction,
    config,
    new Rng(recorded.seed),
  );
  return { ...recorded, episodes: result.returns.length, meanReturn: result.meanReturn };
}

/** The uniform replay keeps two observations per transition: refuse a capacity that would not fit in memory. */
const REPLAY_MEMORY_LIMIT_BYTES = 8 * 2 ** 30;

export function checkReplayMemory(dqn: DqnConfig, spec: EnvSpec): void {
  const [h, w, c] = spec.observationShape;
  const bytes = dqn.replayCapacity * h * w * c * 2;
  if (bytes > REPLAY_MEMORY_LIMIT_BYTES) {
    const most = Math.floor(REPLAY_MEMORY_LIMIT_BYTES / (h * w * c * 2));
    throw new RangeError(
      `configuration value replayCapacity = ${dqn.replayCapacity} is out of range for ${spec.id}: the teacher's replay ` +
        `stores two ${h}×${w}×${c} observations per transition (${(bytes / 2 ** 30).toFixed(1)} GiB); expected at most ${most}`,
    );
  }
}

export interface TeachOptions {
  /** Folder of the run (default: runDirectory(config)). */
  readonly runDir?: string;
  /** Continue the run from its checkpoint. */
  readonly resume?: boolean;
  /** The command line, recorded beside the run. */
  readonly command?: string;
  /** Copy the finished teacher, its curve, configuration and command to this folder. */
  readonly shipTo?: string;
  readonly hooks?: TrainerHooks;
}

export interface TeachResult {
  readonly runDir: string;
  readonly finished: boolean;
  readonly evaluations: readonly EvaluationRow[];
  readonly timing: StepTiming;
  readonly startStep: number;
  readonly step: number;
  readonly teacherPath: string | null;
  readonly finalEvaluation: FinalEvaluation | null;
}

export function teach(config: TeacherRunConfig, options: TeachOptions = {}): TeachResult {
  const runDir = options.runDir ?? runDirectory(config);
  const checkpoint = join(runDir, CHECKPOINT_FILE);
  if (options.resume && !existsSync(checkpoint)) {
    throw new Error(`--resume: no checkpoint at ${checkpoint}; start the run without --resume`);
  }
  if (!options.resume && existsSync(checkpoint)) {
    throw new Error(
      `${runDir} already holds a run (${CHECKPOINT_FILE}); pass --resume to continue it, or remove the folder to start over`,
    );
  }
  const { suite, game, dqn } = config;
  const envs = suiteEnvs(suite, game);
  const spec = suiteSpec(suite, game);
  checkReplayMemory(dqn, spec);
  const command = options.command ?? '(called from code)';
  const trainer = options.resume
    ? DqnTrainer.resume(dqn, spec, envs, checkpoint)
    : DqnTrainer.create(dqn, spec, envs, checkpoint);
  try {
    mkdirSync(runDir, { recursive: true });
    writeFilesAtomically([
      { path: join(runDir, CONFIG_FILE), content: `${JSON.stringify(config, null, 2)}\n` },
      { path: join(runDir, COMMAND_FILE), content: `${command}\n` },
    ]);
    const run = { suite, game, seed: dqn.seed };
    // Rows after the checkpoint are dropped here and recomputed, identically, by the resumed run.
    writeLearningCurve(runDir, run, trainer.evaluationRows);
    const startStep = trainer.step;
    const result = trainer.run({
      ...options.hooks,
      onEvaluation: (row, rows) => {
        writeLearningCurve(runDir, run, rows);
        options.hooks?.onEvaluation?.(row, rows);
      },
    });
    let teacherPath: string | null = null;
    let final: FinalEvaluation | null = null;
    if (result.finished) {
      final = finalEvaluation(trainer.greedyPolicy, spec, envs.evaluation, dqn);
      teacherPath = join(runDir, TEACHER_FILE);
      saveTeacher(teacherPath, trainer.onlineNetwork, {
        envId: spec.id,
        suite,
        game,
        observationShape: spec.observationShape,
        legalActions: spec.legalActions,
        network: dqn.network,
        inputScale: dqn.inputScale,
        trainedSteps: result.step,
        finalEvaluation: final,
        run: config,
        command,
      });
      if (options.shipTo) shipTeacher(runDir, options.shipTo);
    }
    return {
      runDir,
      finished: result.finished,
      evaluations: result.evaluations,
      timing: result.timing,
      startStep,
      step: result.step,
      teacherPath,
      finalEvaluation: final,
    };
  } finally {
    trainer.dispose();
  }
}

/** Copies a finished run's teacher, learning curve, configuration and command into `target`. */
export function shipTeacher(runDir: string, target: string): void {
  mkdirSync(target, { recursive: true });
  for (const file of [
    TEACHER_FILE,
    CONFIG_FILE,
    COMMAND_FILE,
    `${LEARNING_CURVE_TABLE}.arrow`,
    `${LEARNING_CURVE_TABLE}.csv`,
  ]) {
    copyFileSync(join(runDir, file), join(target, file));
  }
}
