/**
 * A teacher run end to end, for either algorithm: its folder under data/, configuration and command files,
 * training with checkpoints and --resume, the learning-curve table rewritten after every evaluation, and at the
 * end the teacher file, its `evaluation.json` (score with a 95 % interval over whole episodes, a random policy's,
 * the published figure) and, for PQN, snapshots of earlier stages of training, each evaluated the same way.
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvSpec } from '../../env/types';
import { TensorBoardLog } from '../../log/tensorboard';
import type { UpdateRoute } from '../../nn/exported-graph';
import type { QNetwork, QNetworkSpec } from '../../nn/qnetwork';
import { runRuntime } from '../../nn/runtime';
import { defaultUpdateRoute } from '../../train/dqn-agent';
import type { DqnConfig } from '../../train/dqn-config';
import { DqnTrainer } from '../../train/dqn-trainer';
import type { BatchPolicy, EvaluationProtocol } from '../../train/evaluate-episodes';
import type { PqnConfig } from '../../train/pqn-config';
import { PqnTrainer } from '../../train/pqn-trainer';
import { type FinalEvaluation, saveTeacher, type Teacher } from '../../train/teacher-file';
import type { EvaluationRow, StepTiming, TrainerHooks, TrainerProgress } from '../../train/trainer-common';
import { writeFilesAtomically } from '../../util/atomic-write';
import { checkMemoryFits } from '../../util/config-checks';
import { dataFolder, PROJECT_ROOT } from '../../util/paths';
import { acquireRunLock, type RunLock } from '../../util/run-lock';
import { appendCommandLog } from '../common/run-records';
import { suiteEnvs, suiteSpec } from '../common/suite-envs';
import type { Suite } from '../common/suites';
import { LEARNING_CURVE_TABLE, writeLearningCurve } from './learning-curve';
import { runSeed, type TeacherRunConfig } from './teacher-config';
import {
  EVALUATION_FILE,
  evaluateTeacher,
  scoreEpisodes,
  type TeacherEvaluation,
  writeTeacherEvaluation,
} from './teacher-evaluation';

export const CHECKPOINT_FILE = 'checkpoint.dlck';
export const TEACHER_FILE = 'teacher.dlck';
export const CONFIG_FILE = 'config.json';
export const COMMAND_FILE = 'command.txt';
/** Earlier stages of a run's training: SNAPSHOTS_DIR/pNN/{teacher.dlck, evaluation.json}, NN the percentage of its steps. */
export const SNAPSHOTS_DIR = 'snapshots';

/** Where a run keeps its checkpoint, table and teacher: data/runs/teachers/SUITE/GAME/ALGORITHM-PRESET-seedS (git-ignored). */
export function runDirectory(config: TeacherRunConfig): string {
  const name = `${config.algorithm}-${config.preset}-seed${runSeed(config)}`;
  return join(dataFolder(), 'runs', 'teachers', config.suite, config.game, name);
}

/** The committed teachers: data/teachers/SUITE/GAME (always in the repository, whatever DISTILL_LAB_DATA_DIR says). */
export function shippedTeacherDirectory(suite: Suite, game: string): string {
  return join(PROJECT_ROOT, 'data', 'teachers', suite, game);
}

/** Folder of the snapshot taken at `fraction` of the run's steps (e.g. 0.05 → snapshots/p05). */
export function snapshotDirectory(runDir: string, fraction: number): string {
  return join(runDir, SNAPSHOTS_DIR, `p${String(Math.round(fraction * 100)).padStart(2, '0')}`);
}

/** The snapshot folders of a teacher folder that hold a teacher, earliest first: [name (pNN), folder]. */
export function snapshotFolders(teacherFolder: string): [string, string][] {
  const root = join(teacherFolder, SNAPSHOTS_DIR);
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((name) => /^p\d+$/.test(name) && existsSync(join(root, name, TEACHER_FILE)))
    .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)))
    .map((name) => [name, join(root, name)]);
}

/** The final evaluation's protocol: the run's ε, no-ops and episode limit, its generator seeded by the run's seed. */
export function finalProtocol(config: TeacherRunConfig): EvaluationProtocol {
  const e = config.algorithm === 'dqn' ? config.dqn.evaluation : config.pqn.evaluation;
  return {
    seed: runSeed(config),
    episodes: e.finalEpisodes,
    epsilon: e.epsilon,
    maxNoops: e.maxNoops,
    maxEpisodeSteps: e.maxEpisodeSteps,
  };
}

/** Re-runs a teacher's recorded final evaluation (same protocol, same seed): equal to the record unless code drifted. */
export function reevaluateTeacher(teacher: Teacher): FinalEvaluation {
  const { suite, game, finalEvaluation } = teacher.meta;
  if (finalEvaluation?.protocol === undefined) {
    throw new RangeError(
      `the ${suite}/${game} teacher was saved before scores were recorded over whole episodes; retrain it, or score it with distill-lab evaluate-teacher --write`,
    );
  }
  const score = scoreEpisodes(suite as Suite, game, teacher.greedyActions, finalEvaluation.protocol);
  return { protocol: finalEvaluation.protocol, ...score };
}

export interface TeachOptions {
  /** Folder of the run (default: runDirectory(config)). */
  readonly runDir?: string;
  /** Continue the run from its checkpoint. */
  readonly resume?: boolean;
  /** The command line, recorded beside the run. */
  readonly command?: string;
  /** Copy the finished teacher, its evaluation, snapshots, curve, configuration and command to this folder. */
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
  readonly evaluation: TeacherEvaluation | null;
}

/** What teach() needs of either trainer. */
interface RunningTrainer {
  readonly step: number;
  readonly evaluationRows: readonly EvaluationRow[];
  readonly network: QNetwork;
  readonly greedyActions: BatchPolicy;
  readonly updateRoute: UpdateRoute;
  run(hooks: TrainerHooks & { onSnapshot?(index: number, step: number): void }): {
    finished: boolean;
    step: number;
    evaluations: readonly EvaluationRow[];
    timing: StepTiming;
  };
  dispose(): void;
}

/**
 * The DQN teacher's replay (src/replay's memory) stores each observation once per experience (Atari: each frame),
 * with its action, reward and flags (and an unused q_T): refuse a capacity that would not fit in this machine's
 * memory (os.totalmem(), or `machineBytes`), naming the estimate.
 */
export function checkReplayMemory(dqn: DqnConfig, spec: EnvSpec, machineBytes?: number): void {
  const { perExperience, fixed } = DqnTrainer.replayFootprint(spec);
  const [h, w, c] = spec.observationShape;
  checkMemoryFits(
    'replayCapacity',
    dqn.replayCapacity,
    {
      perUnit: perExperience,
      unit: 'experiences',
      copies: 1,
      fixed,
      what: `${spec.id}'s replay (${h}×${w}×${c} observations)`,
    },
    machineBytes,
  );
}

/**
 * A PQN rollout keeps numEnvs × rolloutSteps rows: the observation (uint8, and twice as float32 for the learning
 * phase's graph call), action, reward, done, max Q, next max Q, target and an int32 per epoch in the shuffled
 * order. Refuses a rollout that would not fit in this machine's memory, naming the estimate.
 */
export function checkRolloutMemory(pqn: PqnConfig, spec: EnvSpec, machineBytes?: number): void {
  const frame = spec.observationShape.reduce((a, b) => a * b, 1);
  const perRow = 9 * frame + 21 + 4 * pqn.epochs;
  checkMemoryFits(
    'numEnvs',
    pqn.numEnvs,
    {
      perUnit: perRow * pqn.rolloutSteps,
      unit: 'environments',
      copies: 1,
      what: `a rollout of ${pqn.rolloutSteps} steps per environment on ${spec.id} (${perRow} B per row)`,
    },
    machineBytes,
  );
}

/** The memory checks of a teacher run, before anything is written or trained. */
export function checkTeacherMemory(config: TeacherRunConfig, spec: EnvSpec, machineBytes?: number): void {
  if (config.algorithm === 'dqn') checkReplayMemory(config.dqn, spec, machineBytes);
  else checkRolloutMemory(config.pqn, spec, machineBytes);
}

function startTrainer(config: TeacherRunConfig, spec: EnvSpec, checkpoint: string, resume: boolean): RunningTrainer {
  const envs = suiteEnvs(config.suite, config.game);
  if (config.algorithm === 'pqn') {
    const trainer = resume
      ? PqnTrainer.resume(config.pqn, spec, envs.training, checkpoint)
      : PqnTrainer.create(config.pqn, spec, envs.training, checkpoint);
    return {
      get step() {
        return trainer.step;
      },
      get evaluationRows() {
        return trainer.evaluationRows;
      },
      network: trainer.network,
      greedyActions: trainer.greedyPolicy,
      updateRoute: trainer.route,
      run: (hooks) => trainer.run(hooks),
      dispose: () => trainer.dispose(),
    };
  }
  const trainer = resume
    ? DqnTrainer.resume(config.dqn, spec, envs, checkpoint)
    : DqnTrainer.create(config.dqn, spec, envs, checkpoint);
  const frame = spec.observationShape[0] * spec.observationShape[1] * spec.observationShape[2];
  return {
    get step() {
      return trainer.step;
    },
    get evaluationRows() {
      return trainer.evaluationRows;
    },
    network: trainer.onlineNetwork,
    updateRoute: defaultUpdateRoute(config.dqn.network),
    // The DQN agent answers one observation at a time.
    greedyActions: (observations, n, out) => {
      for (let k = 0; k < n; k++) out[k] = trainer.greedyPolicy(observations.subarray(k * frame, (k + 1) * frame));
    },
    run: (hooks) => trainer.run(hooks),
    dispose: () => trainer.dispose(),
  };
}

function networkOf(config: TeacherRunConfig): { network: QNetworkSpec; inputScale: number } {
  const c = config.algorithm === 'dqn' ? config.dqn : config.pqn;
  return { network: c.network, inputScale: c.inputScale };
}

/** Saves `network` as a teacher file with its final evaluation, and writes evaluation.json beside it. */
function saveEvaluatedTeacher(
  folder: string,
  config: TeacherRunConfig,
  spec: EnvSpec,
  trainer: RunningTrainer,
  trainedSteps: number,
  command: string,
): { path: string; evaluation: TeacherEvaluation } {
  const { network, greedyActions: policy, updateRoute } = trainer;
  const { suite, game, algorithm } = config;
  const protocol = finalProtocol(config);
  const evaluation = evaluateTeacher({ suite, game, algorithm, frames: trainedSteps }, policy, protocol);
  const { episodes, meanReturn, ci95, truncatedEpisodes } = evaluation;
  mkdirSync(folder, { recursive: true });
  const path = join(folder, TEACHER_FILE);
  saveTeacher(path, network, {
    envId: spec.id,
    suite,
    game,
    observationShape: spec.observationShape,
    legalActions: spec.legalActions,
    ...networkOf(config),
    trainedSteps,
    finalEvaluation: { protocol, episodes, meanReturn, ci95, truncatedEpisodes },
    run: config,
    command,
    updateRoute,
  });
  writeTeacherEvaluation(folder, evaluation);
  return { path, evaluation };
}

/** A progress report's scalars in the run's TensorBoard log, at the environment step. */
function logTeacherProgress(log: TensorBoardLog, p: TrainerProgress): void {
  log.scalar('train/loss', p.loss, p.step);
  log.scalar('train/episode_return', p.recentReturn, p.step);
  log.scalar('train/epsilon', p.epsilon, p.step);
  log.scalar('train/learning_rate', p.learningRate, p.step);
}

/**
 * Locks `runDir` for this process (a second writer is refused, naming the holder) and checks it holds what
 * `resume` expects; a refused start leaves no folder it created.
 */
function lockRunFolder(runDir: string, resume: boolean): RunLock {
  const created = !existsSync(runDir);
  const lock = acquireRunLock(runDir);
  try {
    const checkpoint = join(runDir, CHECKPOINT_FILE);
    if (resume && !existsSync(checkpoint)) {
      throw new Error(`--resume: no checkpoint at ${checkpoint}; start the run without --resume`);
    }
    if (!resume && existsSync(checkpoint)) {
      throw new Error(
        `${runDir} already holds a run (${CHECKPOINT_FILE}); pass --resume to continue it, or remove the folder to start over`,
      );
    }
  } catch (error) {
    lock.release();
    if (created) rmSync(runDir, { recursive: true, force: true }); // only its lock was in it
    throw error;
  }
  return lock;
}

export function teach(config: TeacherRunConfig, options: TeachOptions = {}): TeachResult {
  const runDir = options.runDir ?? runDirectory(config);
  const checkpoint = join(runDir, CHECKPOINT_FILE);
  // Before the run's folder is locked, made or written to.
  checkTeacherMemory(config, suiteSpec(config.suite, config.game));
  const lock = lockRunFolder(runDir, options.resume === true);
  try {
    return teachLocked(config, runDir, checkpoint, options);
  } finally {
    lock.release();
  }
}

function teachLocked(config: TeacherRunConfig, runDir: string, checkpoint: string, options: TeachOptions): TeachResult {
  const { suite, game } = config;
  const spec = suiteSpec(suite, game);
  const command = options.command ?? '(called from code)';
  const trainer = startTrainer(config, spec, checkpoint, options.resume === true);
  // Scalars by environment step: train/* every progress report, eval/score per evaluation, eval/final_score.
  const tensorboard = new TensorBoardLog(runDir);
  try {
    mkdirSync(runDir, { recursive: true });
    // command.txt keeps the command that started the run; every start (resumes too) adds a line to commands.log.
    writeFilesAtomically([
      {
        path: join(runDir, CONFIG_FILE),
        content: `${JSON.stringify({ ...config, runtime: runRuntime() }, null, 2)}\n`,
      },
      ...(existsSync(join(runDir, COMMAND_FILE))
        ? []
        : [{ path: join(runDir, COMMAND_FILE), content: `${command}\n` }]),
    ]);
    appendCommandLog(runDir, command);
    const run = { suite, game, seed: runSeed(config) };
    // Rows after the checkpoint are dropped here and recomputed by the resumed run.
    writeLearningCurve(runDir, run, trainer.evaluationRows);
    const startStep = trainer.step;
    const snapshots = config.algorithm === 'pqn' ? config.pqn.snapshots : [];
    const result = trainer.run({
      ...options.hooks,
      onProgress: (progress) => {
        logTeacherProgress(tensorboard, progress);
        options.hooks?.onProgress?.(progress);
      },
      onEvaluation: (row, rows) => {
        writeLearningCurve(runDir, run, rows);
        tensorboard.scalar('eval/score', row.evalReturn, row.step);
        tensorboard.flush();
        options.hooks?.onEvaluation?.(row, rows);
      },
      onSnapshot: (index, step) => {
        const folder = snapshotDirectory(runDir, snapshots[index]);
        saveEvaluatedTeacher(folder, config, spec, trainer, step, command);
      },
    });
    let teacherPath: string | null = null;
    let evaluation: TeacherEvaluation | null = null;
    if (result.finished) {
      const saved = saveEvaluatedTeacher(runDir, config, spec, trainer, result.step, command);
      teacherPath = saved.path;
      evaluation = saved.evaluation;
      tensorboard.scalar('eval/final_score', evaluation.meanReturn, result.step);
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
      evaluation,
    };
  } finally {
    tensorboard.close();
    trainer.dispose();
  }
}

/** Copies a finished run's teacher, evaluation, snapshots, learning curve, configuration and command into `target`. */
export function shipTeacher(runDir: string, target: string): void {
  mkdirSync(target, { recursive: true });
  for (const file of [
    TEACHER_FILE,
    EVALUATION_FILE,
    CONFIG_FILE,
    COMMAND_FILE,
    `${LEARNING_CURVE_TABLE}.arrow`,
    `${LEARNING_CURVE_TABLE}.csv`,
  ]) {
    copyFileSync(join(runDir, file), join(target, file));
  }
  // A shipped folder holds one run: the snapshots of a previous teacher go with it.
  rmSync(join(target, SNAPSHOTS_DIR), { recursive: true, force: true });
  if (existsSync(join(runDir, SNAPSHOTS_DIR)))
    cpSync(join(runDir, SNAPSHOTS_DIR), join(target, SNAPSHOTS_DIR), { recursive: true });
}
