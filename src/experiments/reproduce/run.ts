/**
 * One distillation run in its folder under data/runs/distill: configuration and command files, the
 * checkpoint (resumed when present), the learning curve rewritten after every evaluation, and a `done`
 * file at the end, so `reproduce` skips finished runs and resumes the one a kill interrupted.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ColumnTable, table } from 'arquero';
import type { DistillConfig, GameSetup } from '../../distill/config';
import {
  DISTILL_CHECKPOINT_KIND,
  type DistillEvaluation,
  Distiller,
  type DistillHooks,
  type DistillTiming,
} from '../../distill/distiller';
import { SeedBatchDistiller } from '../../distill/seed-batch-distiller';
import { withTensorBoard } from '../../distill/tensorboard-hooks';
import { makeMinatarEnv } from '../../env/minatar';
import type { Env } from '../../env/types';
import { TensorBoardLog } from '../../log/tensorboard';
import { loadBackend } from '../../nn/backend';
import { runRuntime } from '../../nn/runtime';
import { readTable, type TableSchema, writeTable } from '../../tables';
import { readCheckpoint } from '../../train/checkpoint-file';
import { differingKeys } from '../../train/trainer-common';
import { writeFilesAtomically } from '../../util/atomic-write';
import { canonicalJson } from '../../util/canonical-json';
import { checksummedJson, readChecksummedJson } from '../../util/checksummed-json';
import { dataFolder } from '../../util/paths';
import { acquireRunLock } from '../../util/run-lock';
import type { PresetName } from '../common/preset-env';
import { appendCommandLog } from '../common/run-records';
import { makeSuiteEnv } from '../common/suite-envs';
import type { Suite } from '../common/suites';
import { type RunVariant, variantName } from './presets';
import type { SuiteTeachers } from './teachers';

export const DISTILL_CURVE_TABLE = 'distill-curve';
const CHECKPOINT_FILE = 'checkpoint.dlck';
const CONFIG_FILE = 'config.json';
const COMMAND_FILE = 'command.txt';
const DONE_FILE = 'done.json';
/** What to do about a damaged done.json, or one without a checksum: the run finishes again from its checkpoint. */
const DONE_REMEDY = 'delete it, and the run finishes again from its checkpoint';

/**
 * The columns that place a row at one evaluation of one run on one game: the run's variant and seed, the game and
 * the updates done. The curves and the returns table share them, in this order.
 */
export const EVALUATION_POINT_SCHEMA: TableSchema = {
  architecture: 'utf8',
  sampler: 'utf8',
  partitions: 'int32',
  seed: 'int32',
  game: 'utf8',
  updates: 'int32',
};

/** The columns of EVALUATION_POINT_SCHEMA in a row read back; `partitions` is null but for H-PR. */
export interface EvaluationPoint {
  readonly architecture: string;
  readonly sampler: string;
  readonly partitions: number | null;
  readonly seed: number;
  readonly game: string;
  readonly updates: number;
}

/** One row per evaluation and game: what Table 1 and Figures 3–5 are computed from. */
export const DISTILL_CURVE_SCHEMA: TableSchema = {
  suite: 'utf8',
  preset: 'utf8',
  ...EVALUATION_POINT_SCHEMA,
  steps: 'int32',
  score: 'float64',
  teacher_score: 'float64',
  teacher_ci_low: 'float64',
  teacher_ci_high: 'float64',
  percent_of_teacher: 'float64',
  eval_episodes: 'int32',
  loss: 'float64',
  seconds: 'float64',
};

export interface RunIdentity {
  readonly suite: Suite;
  readonly preset: PresetName;
  readonly variant: RunVariant;
  readonly seed: number;
}

/** A run of a plan with its resolved configuration: what a child process receives and trains. */
export interface PlannedRun extends RunIdentity {
  readonly config: DistillConfig;
  /** VARIANT-seedS-KEY, KEY a short hash of what its numbers depend on (`runKey`): its folder's name. */
  readonly name: string;
}

/** Hex digits of a run's key: the end of its folder's name. */
const RUN_KEY_LENGTH = 10;

/** What a run's numbers depend on before any measurement: configuration, teachers, tensor backend. */
function runKey(config: DistillConfig, teachersDigest: string, backend: string): string {
  const hash = createHash('sha256').update(canonicalJson({ config, teachers: teachersDigest, backend }));
  return hash.digest('hex').slice(0, RUN_KEY_LENGTH);
}

/** The run `identity` with `config`, named by its variant, seed and key (so a changed setting is a new folder). */
export function plannedRun(identity: RunIdentity, config: DistillConfig, teachers: SuiteTeachers): PlannedRun {
  const key = runKey(config, teachers.digest, loadBackend().info.name);
  return { ...identity, config, name: `${variantName(identity.variant, identity.seed)}-${key}` };
}

/** A run folder's name: VARIANT-seedS, then its key. */
const RUN_NAME = new RegExp(`^(.+-seed\\d+)-[0-9a-f]{${RUN_KEY_LENGTH}}$`);

/** The `VARIANT-seedS` part of a run folder's name (a PlannedRun's name without its key), or null for another name. */
export function runNameWithoutKey(name: string): string | null {
  return RUN_NAME.exec(name)?.[1] ?? null;
}

/** data/runs/distill/SUITE/PRESET/NAME (git-ignored; DISTILL_LAB_DATA_DIR redirects it). */
export function distillRunDirectory(run: PlannedRun): string {
  return join(dataFolder(), 'runs', 'distill', run.suite, run.preset, run.name);
}

/**
 * What a run's numbers are a function of besides the code: its configuration, its teachers (files and scores),
 * the tensor backend and the value ranges H-PR partitions by. Stored in the run's config.json; a folder holding
 * a run with another fingerprint is never reused.
 */
export interface RunFingerprint {
  readonly config: DistillConfig;
  readonly teachers: string;
  readonly backend: string;
  readonly valueRanges: readonly (readonly [number, number] | null)[];
}

export function runFingerprint(
  config: DistillConfig,
  teachers: SuiteTeachers,
  games: readonly GameSetup[],
): RunFingerprint {
  return {
    config,
    teachers: teachers.digest,
    backend: loadBackend().info.name,
    valueRanges: games.map((g) => g.valueRange),
  };
}

/**
 * Throws, naming the folder and what differs, when `run`'s folder already holds a run (finished, or with a
 * checkpoint to resume) whose fingerprint is not `fingerprint`: a run whose settings changed is a different run.
 */
export function checkRunFolder(run: PlannedRun, fingerprint: RunFingerprint): void {
  const runDir = distillRunDirectory(run);
  if (!existsSync(join(runDir, DONE_FILE)) && !existsSync(join(runDir, CHECKPOINT_FILE))) return;
  const keep = 'move that folder away, or set DISTILL_LAB_DATA_DIR to another data folder to keep both';
  const path = join(runDir, CONFIG_FILE);
  const stored = existsSync(path)
    ? (JSON.parse(readFileSync(path, 'utf8')) as { fingerprint?: RunFingerprint }).fingerprint
    : undefined;
  if (stored === undefined) {
    throw new RangeError(
      `${runDir} holds a run that did not record its configuration, teachers and value ranges; ${keep}`,
    );
  }
  // Through JSON, as stored: the comparison sees what the file holds.
  const differences = differingKeys(stored, JSON.parse(JSON.stringify(fingerprint)));
  if (differences.length > 0) {
    throw new RangeError(
      `${runDir} holds a run with other settings (it differs in ${differences.slice(0, 6).join(', ')}` +
        `${differences.length > 6 ? ', …' : ''}); a changed run is a different run: ${keep}`,
    );
  }
}

/** The update of the run's checkpoint, where it resumes; null when it has none. */
export function checkpointUpdates(run: PlannedRun): number | null {
  const path = join(distillRunDirectory(run), CHECKPOINT_FILE);
  if (!existsSync(path)) return null;
  const meta = readCheckpoint(path, DISTILL_CHECKPOINT_KIND).meta as { counters: { updates: number } };
  return meta.counters.updates;
}

/** Where a run stands: 'done', or the update its checkpoint resumes from (0 for a run not started). */
export function runState(run: PlannedRun): 'done' | number {
  return isRunDone(run) ? 'done' : (checkpointUpdates(run) ?? 0);
}

/** Whether the run finished (its `done` file exists). */
export function isRunDone(run: PlannedRun): boolean {
  return isRunFolderDone(distillRunDirectory(run));
}

/** Whether the run in folder `runDir` finished. */
export function isRunFolderDone(runDir: string): boolean {
  return existsSync(join(runDir, DONE_FILE));
}

/** The long-format curve of one run (one row per evaluation × game); `teacherCi95[g]`: game g's teacher interval. */
export function curveTable(
  run: RunIdentity,
  games: readonly GameSetup[],
  rows: readonly DistillEvaluation[],
  teacherCi95: readonly (readonly [number, number] | null)[] = games.map(() => null),
): ColumnTable {
  const flat = rows.flatMap((row) => games.map((g, i) => ({ row, game: g, i })));
  const column = <T>(pick: (x: (typeof flat)[number]) => T): T[] => flat.map(pick);
  return table({
    suite: column(() => run.suite),
    preset: column(() => run.preset),
    architecture: column(() => run.variant.architecture),
    sampler: column(() => run.variant.sampler),
    partitions: column(() => run.variant.partitions ?? null),
    seed: column(() => run.seed),
    game: column((x) => x.game.spec.game),
    updates: column((x) => x.row.updates),
    steps: column((x) => x.row.steps),
    score: column((x) => x.row.scores[x.i]),
    teacher_score: column((x) => x.game.teacherScore),
    teacher_ci_low: column((x) => teacherCi95[x.i]?.[0] ?? null),
    teacher_ci_high: column((x) => teacherCi95[x.i]?.[1] ?? null),
    percent_of_teacher: column((x) => x.row.percentOfTeacher[x.i]),
    eval_episodes: column((x) => x.row.episodes[x.i]),
    loss: column((x) => x.row.loss),
    seconds: column((x) => x.row.seconds),
  });
}

/** Curve columns that runs finished before they were recorded lack (read back as null). */
const LATER_CURVE_COLUMNS = ['teacher_ci_low', 'teacher_ci_high'];

/** The curve rows of the run in folder `runDir` (columns of DISTILL_CURVE_SCHEMA; LATER_CURVE_COLUMNS null if absent). */
export function readRunCurve(runDir: string): Record<string, unknown>[] {
  const required = Object.keys(DISTILL_CURVE_SCHEMA).filter((c) => !LATER_CURVE_COLUMNS.includes(c));
  const rows = readTable(DISTILL_CURVE_TABLE, required, runDir).objects() as Record<string, unknown>[];
  const absent = Object.fromEntries(LATER_CURVE_COLUMNS.map((c) => [c, null]));
  return rows.map((row) => ({ ...absent, ...row }));
}

/** The evaluations of the finished run in folder `runDir`, as its done.json records them. */
export function readFinishedEvaluations(runDir: string): DistillEvaluation[] {
  return (readChecksummedJson(join(runDir, DONE_FILE), DONE_REMEDY) as { evaluations: DistillEvaluation[] })
    .evaluations;
}

/**
 * A fresh environment for training and evaluation: MinAtar's episodes are cut at `maxEpisodeSteps` (a
 * truncation, so evaluations with a small budget still complete episodes: Freeway's own limit is 2,500).
 */
export function makeRunEnv(suite: Suite, game: string, seed: number, maxEpisodeSteps: number | null): Env {
  if (suite === 'minatar') return makeMinatarEnv(game, { seed, maxEpisodeSteps: maxEpisodeSteps ?? undefined });
  return makeSuiteEnv(suite, game, seed);
}

export interface DistillRunResult {
  readonly runDir: string;
  /** The run was already finished: nothing was trained. */
  readonly skipped: boolean;
  readonly finished: boolean;
  readonly evaluations: readonly DistillEvaluation[];
  readonly timing: DistillTiming | null;
}

export interface SeedBatchRunOptions {
  /** The command that asked for the runs: command.txt keeps the first, commands.log gets a line per start. */
  readonly command?: string;
  /** How this process runs them, added to their commands.log lines (e.g. a `reproduce --jobs` child). */
  readonly via?: string;
  /** `hooks[i]` hears `runs[i]`. */
  readonly hooks?: readonly DistillHooks[];
}

/**
 * Trains (or resumes, or skips when done) runs that differ only in their seed, in this process, as one seed batch
 * (distill/seed-batch-distiller.ts); a batch of one run trains as a solo run. Each run keeps its own folder, locked
 * for this process (a second writer is refused, naming the holder), its checkpoint, curve and done.json, as when it
 * trains alone; its config.json records the batch it trained in. `games` carry the teachers and, for H-PR, the
 * value ranges; each run's `config` is its full configuration (see `distillConfig`).
 */
export function runSeedBatch(
  runs: readonly PlannedRun[],
  teachers: SuiteTeachers,
  games: readonly GameSetup[],
  options: SeedBatchRunOptions = {},
): DistillRunResult[] {
  const locks: ReturnType<typeof acquireRunLock>[] = [];
  try {
    for (const run of runs) locks.push(acquireRunLock(distillRunDirectory(run)));
    return seedBatchLocked(runs, teachers, games, options);
  } finally {
    for (const lock of locks) lock.release();
  }
}

function seedBatchLocked(
  runs: readonly PlannedRun[],
  teachers: SuiteTeachers,
  games: readonly GameSetup[],
  options: SeedBatchRunOptions,
): DistillRunResult[] {
  const fingerprints = runs.map((run) => runFingerprint(run.config, teachers, games));
  runs.forEach((run, i) => {
    checkRunFolder(run, fingerprints[i]);
  });
  const results: (DistillRunResult | null)[] = runs.map((run) => {
    if (!isRunDone(run)) return null;
    const runDir = distillRunDirectory(run);
    return { runDir, skipped: true, finished: true, evaluations: readFinishedEvaluations(runDir), timing: null };
  });
  const training = runs.map((run, i) => ({ run, i })).filter(({ i }) => results[i] === null);
  if (training.length === 0) return results as DistillRunResult[];
  const members = training.map(({ run }) => {
    const runDir = distillRunDirectory(run);
    const checkpointPath = join(runDir, CHECKPOINT_FILE);
    const setup = {
      config: run.config,
      games,
      makeEnv: (g: number, seed: number) => makeRunEnv(run.suite, games[g].spec.game, seed, run.config.maxEpisodeSteps),
      teacherNetwork: teachers.teacherNetwork,
      inputScale: teachers.inputScale,
    };
    return { setup, checkpointPath, resume: existsSync(checkpointPath) };
  });
  const [solo] = members;
  const trainer =
    members.length === 1
      ? solo.resume
        ? Distiller.resume(solo.setup, solo.checkpointPath)
        : Distiller.create(solo.setup, solo.checkpointPath)
      : new SeedBatchDistiller(members);
  const distillers = trainer instanceof Distiller ? [trainer] : trainer.distillers;
  const logs = training.map(({ run }) => new TensorBoardLog(distillRunDirectory(run)));
  try {
    const command = options.command ?? '(called from code)';
    const hooks = training.map(({ run, i }, m) => {
      const runDir = distillRunDirectory(run);
      mkdirSync(runDir, { recursive: true });
      // command.txt keeps the command that started the run; every start (resumes, children) adds a line to commands.log.
      writeFilesAtomically([
        {
          path: join(runDir, CONFIG_FILE),
          content: `${JSON.stringify({ ...run, fingerprint: fingerprints[i], runtime: { ...runRuntime(), seedBatch: members.length } }, null, 2)}\n`,
        },
        ...(existsSync(join(runDir, COMMAND_FILE))
          ? []
          : [{ path: join(runDir, COMMAND_FILE), content: `${command}\n` }]),
      ]);
      appendCommandLog(runDir, options.via ? `${command}  (${options.via})` : command);
      const write = (rows: readonly DistillEvaluation[]) =>
        writeTable(
          DISTILL_CURVE_TABLE,
          curveTable(run, games, rows, teachers.teacherCi95),
          DISTILL_CURVE_SCHEMA,
          runDir,
        );
      // Rows after the checkpoint are dropped here and recomputed, identically, by the resumed run.
      write(distillers[m].evaluationRows);
      const own = withTensorBoard(logs[m], games, options.hooks?.[i]);
      return {
        ...own,
        onEvaluation: (row: DistillEvaluation, rows: readonly DistillEvaluation[]) => {
          write(rows);
          own.onEvaluation?.(row, rows);
        },
      };
    });
    const trained = trainer instanceof Distiller ? [trainer.run(hooks[0])] : trainer.run(hooks);
    training.forEach(({ run, i }, m) => {
      const result = trained[m];
      const runDir = distillRunDirectory(run);
      if (result.finished) {
        writeFilesAtomically([
          {
            path: join(runDir, DONE_FILE),
            content: checksummedJson({ updates: result.updates, evaluations: result.evaluations }),
          },
        ]);
      }
      results[i] = {
        runDir,
        skipped: false,
        finished: result.finished,
        evaluations: result.evaluations,
        timing: result.timing,
      };
    });
    return results as DistillRunResult[];
  } finally {
    for (const log of logs) log.close();
    trainer.dispose();
  }
}
