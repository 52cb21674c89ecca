/**
 * `distill-lab reproduce`: the paper's experiments in order, from the teachers to the figures.
 *   1. value ranges and Figure 2's state distributions from teacher play (notebook 02);
 *   2. every distillation run of the plan (architectures, samplers, partition counts × seeds), each
 *      skipped when done and resumed from its checkpoint when a kill interrupted it (notebooks 03–05);
 *   3. the result tables (raw curves, Table 1, rliable aggregates, updates-to-threshold) into data/tables;
 *   4. Figures 2–5 into figures/ (PNG, SVG, interactive HTML).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PresetName } from '../experiments/preset-env';
import { gamesOf, type Suite } from '../experiments/teacher-config';
import { dataDir } from '../experiments/teacher-run';
import { readTable, tablePaths, writeTable } from '../tables';
import { writeFilesAtomically } from '../util/atomic-write';
import { tablesDir } from '../util/paths';
import { regenerateFigures } from '../viz/regenerate';
import type { FigureEntry } from '../viz/registry';
import { type DistillConfig, type GameSetup, validateGames } from './config';
import type { DistillProgress } from './distiller';
import { distillFigures } from './figures';
import { trainRunsInProcesses } from './parallel-runs';
import { parameterCounts, parameterCountsLine } from './parameter-counts';
import { distillConfig, planVariants, type ReproducePlan, reproducePlan } from './presets';
import { writeAggregates, writeArchitectureTable, writeCurves, writeThresholds } from './reproduce-tables';
import { ANALYSIS_SEED, architectureAggregates, architectureTable, type CurveRow, thresholdTable } from './results';
import {
  checkRunFolder,
  DISTILL_CURVE_SCHEMA,
  DISTILL_CURVE_TABLE,
  distillRunDirectory,
  isRunDone,
  type RunIdentity,
  runDistillation,
  runFingerprint,
} from './run';
import { loadSuiteTeachers, type SuiteTeachers } from './teachers';
import {
  measureValueRanges,
  readValueRanges,
  STATE_DISTRIBUTION_SCHEMA,
  STATE_DISTRIBUTION_TABLE,
  VALUE_RANGE_SCHEMA,
  VALUE_RANGE_TABLE,
  VALUE_RANGE_TEACHERS_FILE,
} from './value-ranges';

export interface PipelineOptions {
  readonly suite: Suite;
  readonly preset: PresetName;
  /** Dotted-key overrides of every run's configuration. */
  readonly overrides?: readonly Record<string, unknown>[];
  /** Games to distil (default: the suite's). */
  readonly games?: readonly string[];
  /** Folder holding GAME/teacher.dlck (default: the shipped teachers in data/teachers/SUITE). */
  readonly teachersRoot?: string;
}

export interface TrainHooks {
  readonly command?: string;
  readonly log?: (line: string) => void;
  /** Progress of the run in training: its position among the runs trained and its counters. */
  readonly onRunProgress?: (index: number, count: number, run: RunIdentity, progress: DistillProgress) => void;
  /** Polled after every step; true stops at once, as a kill would (the next call resumes). */
  readonly shouldStop?: () => boolean;
}

export interface ReproduceOptions extends PipelineOptions, TrainHooks {
  /** Export PNG/SVG/HTML figures at the end (needs Chromium; default true). */
  readonly figures?: boolean;
  /** Runs trained at once, each in a child process (default: in this process, one after the other). */
  readonly jobs?: number;
}

export interface ReproduceResult {
  readonly finished: boolean;
  /** Runs trained (or resumed) by this call, and runs skipped as already done. */
  readonly trained: number;
  readonly skipped: number;
  readonly tables: readonly string[];
  readonly figures: readonly string[];
}

/** Where a suite and preset keep their value ranges and runs. */
export function stageDirectory(suite: Suite, preset: PresetName): string {
  return join(dataDir(), 'runs', 'distill', suite, preset);
}

/** Every run of the plan, in order. */
export function planRuns(suite: Suite, preset: PresetName, plan: ReproducePlan): RunIdentity[] {
  return planVariants(plan).flatMap((variant) => plan.seeds.map((seed) => ({ suite, preset, variant, seed })));
}

/** Everything the stages share: the plan, its runs and their checked configurations, the teachers and games. */
export interface Pipeline {
  readonly suite: Suite;
  readonly preset: PresetName;
  readonly plan: ReproducePlan;
  readonly runs: readonly RunIdentity[];
  readonly configs: readonly DistillConfig[];
  readonly teachers: SuiteTeachers;
  /** The teachers' games with their measured value ranges. */
  readonly games: readonly GameSetup[];
  /** data/runs/distill/SUITE/PRESET. */
  readonly stage: string;
}

/**
 * Stage 1 and the checks before it: every configuration is built and checked and every teacher loaded
 * before the first step of anything; value ranges are measured once per suite and preset, then reread.
 */
export function preparePipeline(options: PipelineOptions, log?: (line: string) => void): Pipeline {
  const { suite, preset } = options;
  const plan = reproducePlan(preset);
  const runs = planRuns(suite, preset, plan);
  const configs = runs.map((run) => distillConfig(suite, preset, run.variant, run.seed, options.overrides));
  const teachers = loadSuiteTeachers(suite, options.games ?? gamesOf(suite), options.teachersRoot);
  // Teachers, shapes and scores are checked before anything runs; H-PR's value ranges once stage 1 measured them.
  for (const config of configs)
    validateGames({ ...config, sampler: { ...config.sampler, kind: 'uniform' } }, teachers.games);
  // Counting builds every architecture's student: only when someone reads it (not in each `--jobs` child).
  if (log) {
    const network = { teacherNetwork: teachers.teacherNetwork, inputScale: teachers.inputScale };
    log(parameterCountsLine(parameterCounts(configs, { games: teachers.games, ...network }), teachers.games.length));
  }
  const stage = stageDirectory(suite, preset);
  log?.(`[1/4] value ranges and state distributions (${plan.valueRangePlay.steps} steps of teacher play per game)`);
  // The value ranges are the teachers': measured with other teachers (or games), they are refused, not reused.
  const rangesTeachers = join(stage, VALUE_RANGE_TEACHERS_FILE);
  let ranges: [number, number][];
  if (existsSync(tablePaths(VALUE_RANGE_TABLE, stage).arrow)) {
    const measuredWith = existsSync(rangesTeachers) ? readFileSync(rangesTeachers, 'utf8').trim() : null;
    if (measuredWith !== teachers.digest) {
      throw new RangeError(
        `${stage}: its value ranges were measured with other teachers or games; delete ${VALUE_RANGE_TABLE}.* and ` +
          `${STATE_DISTRIBUTION_TABLE}.* there to measure them again (runs made with them are kept apart by their fingerprints)`,
      );
    }
    ranges = readValueRanges(teachers.games, stage);
  } else {
    ranges = measureValueRanges(suite, teachers, plan.valueRangePlay, ANALYSIS_SEED, stage, log);
    writeFilesAtomically([{ path: rangesTeachers, content: `${teachers.digest}\n` }]);
  }
  const games = teachers.games.map((g, i) => ({ ...g, valueRange: ranges[i] }));
  for (const config of configs) validateGames(config, games);
  // Before anything trains: no planned run may find a different run in its folder.
  runs.forEach((run, i) => {
    checkRunFolder(run, runFingerprint(configs[i], teachers, games));
  });
  return { suite, preset, plan, runs, configs, teachers, games, stage };
}

export interface TrainSummary {
  readonly finished: boolean;
  readonly trained: number;
  readonly skipped: number;
}

function logTrainingStage(runs: readonly RunIdentity[], log: (line: string) => void): void {
  log(`[2/4] ${runs.length} distillation runs (${runs.filter(isRunDone).length} already done)`);
}

/** Stage 2 for the runs `select` picks: done runs are skipped, an interrupted one resumes from its checkpoint. */
export function trainRuns(
  pipeline: Pipeline,
  select: (run: RunIdentity) => boolean,
  hooks: TrainHooks = {},
): TrainSummary {
  const log = hooks.log ?? (() => {});
  const chosen = pipeline.runs.map((run, i) => ({ run, config: pipeline.configs[i] })).filter(({ run }) => select(run));
  logTrainingStage(
    chosen.map(({ run }) => run),
    log,
  );
  let trained = 0;
  let skipped = 0;
  for (const [index, { run, config }] of chosen.entries()) {
    const result = runDistillation(run, config, pipeline.teachers, pipeline.games, {
      command: hooks.command,
      hooks: {
        onProgress: (p) => hooks.onRunProgress?.(index, chosen.length, run, p),
        shouldStop: () => hooks.shouldStop?.() ?? false,
      },
    });
    if (result.skipped) skipped++;
    else trained++;
    if (!result.finished) {
      log(`stopped during ${result.runDir}; run the same command again to resume`);
      return { finished: false, trained, skipped };
    }
  }
  return { finished: true, trained, skipped };
}

/** The curve rows of finished `runs`, read back from their folders. */
export function curveRows(runs: readonly RunIdentity[]): CurveRow[] {
  return runs.flatMap(
    (run) =>
      readTable(
        DISTILL_CURVE_TABLE,
        Object.keys(DISTILL_CURVE_SCHEMA),
        distillRunDirectory(run),
      ).objects() as unknown as CurveRow[],
  );
}

/** Figure 4's sampler groups: the proposed student with each sampler, H-PR at the default p. */
export function samplerGroups(plan: ReproducePlan): { label: string; filter: (row: CurveRow) => boolean }[] {
  return plan.samplers.map((kind) => ({
    label: kind === 'hierarchical' ? 'H-PR' : kind,
    filter: (r: CurveRow) =>
      r.architecture === 'proposed' &&
      r.sampler === kind &&
      (kind !== 'hierarchical' || r.partitions === plan.defaultPartitions),
  }));
}

/** Stage 3: every result table into data/tables; returns the files written. */
export function writeResultTables(pipeline: Pipeline): string[] {
  const { plan, stage } = pipeline;
  const rows = curveRows(pipeline.runs);
  return [
    writeCurves(rows as unknown as Record<string, unknown>[]),
    writeArchitectureTable(architectureTable(rows, plan.architectures)),
    writeAggregates(architectureAggregates(rows, plan.architectures, ANALYSIS_SEED)),
    writeThresholds(thresholdTable(rows, samplerGroups(plan), plan.thresholdPercent), plan.thresholdPercent),
    writeTable(VALUE_RANGE_TABLE, readTable(VALUE_RANGE_TABLE, [], stage), VALUE_RANGE_SCHEMA),
    writeTable(STATE_DISTRIBUTION_TABLE, readTable(STATE_DISTRIBUTION_TABLE, [], stage), STATE_DISTRIBUTION_SCHEMA),
  ].flatMap((paths) => [paths.arrow, paths.csv]);
}

/** The figures of a pipeline's games (Figures 2–5). */
export function pipelineFigures(pipeline: Pipeline): FigureEntry[] {
  const { plan } = pipeline;
  return distillFigures(
    pipeline.games.map((g) => g.spec.game),
    plan.partitions,
    plan.defaultPartitions,
  );
}

export async function reproduce(options: ReproduceOptions): Promise<ReproduceResult> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const pipeline = preparePipeline(options, log);
  const hooks = { ...options, log };
  let summary: TrainSummary;
  if (options.jobs === undefined) summary = trainRuns(pipeline, () => true, hooks);
  else {
    logTrainingStage(pipeline.runs, log);
    summary = await trainRunsInProcesses(pipeline, options, () => true, options.jobs, hooks);
  }
  const { finished, trained, skipped } = summary;
  if (!finished) return { finished, trained, skipped, tables: [], figures: [] };
  log('[3/4] result tables');
  const tables = writeResultTables(pipeline);
  for (const path of tables) log(`  ${path}`);
  if (options.figures === false) return { finished, trained, skipped, tables, figures: [] };
  log('[4/4] figures');
  const figures = await regenerateFigures({ entries: pipelineFigures(pipeline), tables: tablesDir(), log });
  return { finished, trained, skipped, tables, figures };
}
