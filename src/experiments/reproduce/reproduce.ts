/**
 * `distill-lab reproduce`: the paper's experiments in order, from the teachers to the figures.
 *   1. value ranges and Figure 2's state distributions from teacher play (notebook 02);
 *   2. every distillation run of the plan (architectures, samplers, partition counts × seeds), each
 *      skipped when done and resumed from its checkpoint when a kill interrupted it (notebooks 03–05);
 *   3. the result tables (raw curves, Table 1, rliable aggregates, updates-to-threshold) into data/tables;
 *   4. Figures 2–5 into figures/ (PNG, SVG, interactive HTML).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkReplayMemoryFits, type GameSetup, validateDistillConfig, validateGames } from '../../distill/config';
import type { DistillEvaluation } from '../../distill/distiller';
import { parameterCounts, parameterCountsLine } from '../../distill/parameter-counts';
import { seedBatchObstacle } from '../../distill/seed-batch-routes';
import type { EnvSpec } from '../../env/types';
import type { ConvSpec } from '../../nn/layers';
import { tablePaths } from '../../tables';
import { dataFolder, displayPath, figuresDir, tablesDir } from '../../util/paths';
import { acquireRunLock, type RunLock, removeStaleTemporaries } from '../../util/run-lock';
import type { FigureEntry } from '../../viz/figure';
import { regenerateFigures } from '../../viz/regenerate';
import { isPresetName, type PresetName } from '../common/preset-env';
import { gamesOf, SUITES, type Suite } from '../common/suites';
import { readCurvesTable, runReturnRows, writeAnalysisTables } from './analysis';
import { claimsMarkdown, readClaims } from './claims';
import { distillFigures, FIGURE_NAMES } from './figures';
import { trainRunsInProcesses } from './parallel-runs';
import type { Pipeline, PipelineOptions, TrainHooks, TrainSummary } from './pipeline';
import {
  DEFAULT_SEED_BATCH,
  distillConfig,
  planVariants,
  type ReproducePlan,
  reproducePlan,
  selectPlan,
} from './presets';
import { ANALYSIS_SEED, type CurveRow, samplerGroups as planSamplerGroups } from './results';
import {
  checkResultsFolder,
  checkResultsName,
  isPresetsOwnPlan,
  presetResultsFolder,
  writeResultsRuns,
} from './results-folder';
import {
  checkRunFolder,
  distillRunDirectory,
  isRunDone,
  type PlannedRun,
  plannedRun,
  type RunIdentity,
  readRunCurve,
  runFingerprint,
  runSeedBatch,
  runState,
} from './run';
import { checkSeedBatchFits, seedBatches, seedBatchFits, validateSeedBatch } from './seed-batches';
import { resultsSummary } from './summary';
import { loadSuiteTeachers, type SuiteTeachers } from './teachers';
import { measureValueRanges, readValueRanges, VALUE_RANGE_TABLE } from './value-ranges';

export interface ReproduceOptions extends PipelineOptions, TrainHooks {
  /** Export PNG/SVG/HTML figures at the end (needs Chromium; default true). */
  readonly figures?: boolean;
  /** Stage 2 elsewhere, in place of this machine's processes: e.g. as Ray jobs (experiments/cluster). */
  readonly trainer?: (pipeline: Pipeline, hooks: TrainHooks) => Promise<TrainSummary>;
}

export interface ReproduceResult {
  readonly finished: boolean;
  /** Runs trained (or resumed) by this call, and runs skipped as already done. */
  readonly trained: number;
  readonly skipped: number;
  readonly tables: readonly string[];
  readonly figures: readonly string[];
  /** The results in words: Table 1 with intervals, aggregates, updates to threshold (empty when stopped). */
  readonly summary: readonly string[];
}

/** Where a suite and preset keep their runs and value ranges. */
export function stageDirectory(suite: Suite, preset: PresetName): string {
  return join(dataFolder(), 'runs', 'distill', suite, preset);
}

/** Where value ranges and state distributions measured with one set of teachers live (one folder per set). */
export function valueRangeDirectory(suite: Suite, preset: PresetName, teachers: SuiteTeachers): string {
  return join(stageDirectory(suite, preset), `value-ranges-${teachers.digest.slice(0, 12)}`);
}

/** Every run of the plan, in order. */
export function planRuns(suite: Suite, preset: PresetName, plan: ReproducePlan): RunIdentity[] {
  return planVariants(plan).flatMap((variant) => plan.seeds.map((seed) => ({ suite, preset, variant, seed })));
}

/** The plan's runs with their resolved configurations: every setting checked, nothing measured or written. */
export function resolveRuns(
  options: PipelineOptions,
  teachers: SuiteTeachers,
): { plan: ReproducePlan; runs: PlannedRun[]; seedBatch: number } {
  const { suite, preset } = options;
  const plan = selectPlan(reproducePlan(preset), options);
  const runs = planRuns(suite, preset, plan).map((run) =>
    plannedRun(run, distillConfig(suite, preset, run.variant, run.seed, options.overrides), teachers),
  );
  // What the configurations alone cannot tell: whether each run's memories fit this machine (--plan included).
  const specs = teachers.games.map((g) => g.spec);
  for (const { config } of runs) checkReplayMemoryFits(config, specs, options.machineBytes);
  return { plan, runs, seedBatch: resolveSeedBatch(options, runs, specs, teachers.teacherNetwork.convs) };
}

/**
 * The runs trained together per process, at most the plan's seeds of a variant: `--seed-batch` as given, refused where
 * a run cannot be batched or the batches' memories would not fit; else the preset's default (DEFAULT_SEED_BATCH), or
 * 1 where a run cannot be batched (the pure-JS backend, a frozen torso, a game count with no exported seed-batched
 * graph) or the batches would not fit.
 */
function resolveSeedBatch(
  options: PipelineOptions,
  runs: readonly PlannedRun[],
  specs: readonly EnvSpec[],
  convs: readonly ConvSpec[],
): number {
  const given = options.seedBatch;
  if (given !== undefined) validateSeedBatch(given);
  const wanted = given ?? DEFAULT_SEED_BATCH[options.suite][options.preset];
  if (wanted === 1) return 1;
  for (const run of runs) {
    const obstacle = seedBatchObstacle(run.config, convs, specs.length);
    if (obstacle === null) continue;
    if (given === undefined) return 1;
    throw new RangeError(`--seed-batch ${given}: run ${run.name} cannot: ${obstacle}`);
  }
  const size = Math.min(wanted, new Set(runs.map((run) => run.seed)).size);
  if (size <= 1) return 1;
  const processes = options.jobs ?? 1;
  if (given === undefined && !seedBatchFits(size, processes, runs, specs, options.machineBytes)) return 1;
  checkSeedBatchFits(size, processes, runs, specs, options.machineBytes);
  return size;
}

/** What names a pipeline's result folders (`resultDirectories`), known before anything is measured. */
export type ResultsIdentity = Pick<Pipeline, 'suite' | 'preset' | 'runs' | 'isPresetPlan' | 'resultsName'>;

/**
 * Stage 1 and the checks before it: every configuration is resolved and checked and every teacher loaded
 * before the first step of anything; value ranges are measured once per set of teachers, then reread.
 * `beforeWriting` is called once the runs are known, before stage 1 writes anything (reproduce locks there).
 */
export function preparePipeline(
  options: PipelineOptions,
  log?: (line: string) => void,
  beforeWriting?: (results: ResultsIdentity) => void,
): Pipeline {
  const { suite, preset } = options;
  const teachers = loadSuiteTeachers(suite, options.games ?? gamesOf(suite), options.teachersRoot);
  const { plan, runs, seedBatch } = resolveRuns(options, teachers);
  // Teachers, shapes and scores are checked before anything runs; H-PR's value ranges once stage 1 measured them.
  for (const { config } of runs)
    validateGames(
      { ...config, sampler: { ...config.sampler, kind: 'uniform', partitions: undefined } },
      teachers.games,
    );
  // Counting builds every architecture's student: only when someone reads it (not in each `--jobs` child).
  if (log) {
    const network = { teacherNetwork: teachers.teacherNetwork, inputScale: teachers.inputScale };
    const configs = runs.map((run) => run.config);
    log(parameterCountsLine(parameterCounts(configs, { games: teachers.games, ...network }), teachers.games.length));
  }
  const isPresetPlan = isPresetsOwnPlan(options);
  beforeWriting?.({ suite, preset, runs, isPresetPlan, resultsName: options.resultsName });
  const stage = valueRangeDirectory(suite, preset, teachers);
  log?.(`[1/4] value ranges and state distributions (${plan.valueRangePlay.steps} steps of teacher play per game)`);
  const ranges = existsSync(tablePaths(VALUE_RANGE_TABLE, stage).arrow)
    ? readValueRanges(teachers.games, stage)
    : measureValueRanges(suite, teachers, plan.valueRangePlay, ANALYSIS_SEED, stage, log);
  const games = teachers.games.map((g, i) => ({ ...g, valueRange: ranges[i] }));
  for (const { config } of runs) validateGames(config, games);
  // Before anything trains: no planned run may find a different run in its folder.
  for (const run of runs) checkRunFolder(run, runFingerprint(run.config, teachers, games));
  return {
    suite,
    preset,
    plan,
    runs,
    teachers,
    games,
    stage,
    isPresetPlan,
    teachersRoot: options.teachersRoot,
    seedBatch,
    resultsName: options.resultsName,
  };
}

function startTrainingStage(pipeline: Pipeline, runs: readonly PlannedRun[], hooks: TrainHooks): void {
  hooks.log?.(`[2/4] ${runs.length} distillation runs (${runs.filter(isRunDone).length} already done)`);
  hooks.onTrainingStage?.(pipeline);
}

/**
 * What a `distill-run` child trains: the run its parent resolved (or, for a seed batch, the array of its runs),
 * each checked against the teachers it finds now (their digest is part of the run's name), with the value ranges
 * the parent measured.
 */
export function loadChildRuns(
  runJson: string,
  gameNames: readonly string[],
  teachersRoot?: string,
): { runs: PlannedRun[]; teachers: SuiteTeachers; games: GameSetup[] } {
  const shown = runJson.length > 200 ? `${runJson.slice(0, 197)}...` : runJson;
  const expected =
    'expected the JSON object reproduce --jobs passes: a run of a plan { suite, preset, variant, seed, name, config } ' +
    'with its resolved configuration, or an array of such runs (a seed batch)';
  let parsed: unknown;
  try {
    parsed = JSON.parse(runJson);
  } catch (error) {
    throw new RangeError(`--run-json ${shown} is not valid JSON (${(error as Error).message}): ${expected}`);
  }
  const isObject = (value: unknown): value is Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value);
  const wellFormed = (sent: unknown): sent is PlannedRun =>
    isObject(sent) &&
    (SUITES as readonly unknown[]).includes(sent.suite) &&
    typeof sent.preset === 'string' &&
    isPresetName(sent.preset) &&
    isObject(sent.variant) &&
    Number.isInteger(sent.seed) &&
    typeof sent.name === 'string' &&
    isObject(sent.config);
  const sent = Array.isArray(parsed) ? parsed : [parsed];
  if (sent.length === 0 || !sent.every(wellFormed))
    throw new RangeError(`--run-json ${shown} is not a run: ${expected}`);
  for (const run of sent) validateDistillConfig(run.config);
  const teachers = loadSuiteTeachers(sent[0].suite, gameNames, teachersRoot);
  const runs = sent.map((given) => {
    const run = plannedRun(given, given.config, teachers);
    if (run.name !== given.name)
      throw new RangeError(
        `run ${given.name}: its teachers or settings changed since it was planned (now ${run.name})`,
      );
    return run;
  });
  const stage = valueRangeDirectory(runs[0].suite, runs[0].preset, teachers);
  const ranges = readValueRanges(teachers.games, stage);
  const games = teachers.games.map((g, i) => ({ ...g, valueRange: ranges[i] }));
  for (const run of runs) validateGames(run.config, games);
  return { runs, teachers, games };
}

/** Mean % of teacher over the games of one evaluation (games without a finished episode left out). */
export function meanPercent(row: DistillEvaluation): number {
  const known = row.percentOfTeacher.filter((p): p is number => p !== null);
  return known.reduce((sum, p) => sum + p, 0) / Math.max(1, known.length);
}

/**
 * Stage 2 for the runs `select` picks: done runs are skipped, an interrupted one resumes from its checkpoint; runs
 * of one variant train `pipeline.seedBatch` at a time in one seed batch.
 */
export function trainRuns(
  pipeline: Pipeline,
  select: (run: PlannedRun) => boolean,
  hooks: TrainHooks = {},
): TrainSummary {
  const chosen = pipeline.runs.filter(select);
  startTrainingStage(pipeline, chosen, hooks);
  let trained = 0;
  let skipped = 0;
  for (const batch of seedBatches(chosen, pipeline.seedBatch, runState)) {
    const indices = batch.map((run) => chosen.indexOf(run));
    const results = runSeedBatch(batch, pipeline.teachers, pipeline.games, {
      command: hooks.command,
      hooks: batch.map((run, b) => ({
        onProgress: (p) => hooks.onRunProgress?.(indices[b], chosen.length, run, p),
        onEvaluation: (row) => hooks.onRunEvaluation?.(indices[b], chosen.length, run, meanPercent(row)),
        shouldStop: () => hooks.shouldStop?.() ?? false,
      })),
    });
    for (const [b, result] of results.entries()) {
      if (result.skipped) skipped++;
      else trained++;
      if (result.finished) hooks.onRunEnd?.(indices[b], chosen.length, batch[b]);
    }
    const stopped = results.find((result) => !result.finished);
    if (stopped) {
      hooks.log?.(`stopped during ${stopped.runDir}; run the same command again to resume`);
      return { finished: false, trained, skipped };
    }
  }
  return { finished: true, trained, skipped };
}

/** The curve rows of finished `runs`, read back from their folders. */
export function curveRows(runs: readonly PlannedRun[]): CurveRow[] {
  return runs.flatMap((run) => readRunCurve(distillRunDirectory(run)) as unknown as CurveRow[]);
}

/** Figure 4's sampler groups: the proposed student with each sampler, H-PR at the default p. */
export function samplerGroups(plan: ReproducePlan): { label: string; filter: (row: CurveRow) => boolean }[] {
  return planSamplerGroups(plan);
}

/**
 * Where a pipeline's tables and figures go: `data/tables/SUITE-PRESET/` and `figures/SUITE-PRESET/` for a preset's
 * own plan, so that each preset's committed results stand beside the others'; any other plan (a selection,
 * overrides, other games or teachers) keeps its own in the runs folder, named by its runs, so an ablation never
 * overwrites the committed results.
 */
export function resultDirectories(pipeline: ResultsIdentity): { tables: string; figures: string } {
  const { resultsName } = pipeline;
  if (resultsName !== undefined) {
    checkResultsName(resultsName, pipeline.suite, pipeline.preset, pipeline.isPresetPlan);
    return { tables: join(tablesDir(), resultsName), figures: join(figuresDir(), resultsName) };
  }
  if (pipeline.isPresetPlan) {
    const folder = presetResultsFolder(pipeline.suite, pipeline.preset);
    return { tables: join(tablesDir(), folder), figures: join(figuresDir(), folder) };
  }
  const key = createHash('sha256')
    .update(pipeline.runs.map((run) => run.name).join('\n'))
    .digest('hex')
    .slice(0, 10);
  const folder = join(stageDirectory(pipeline.suite, pipeline.preset), `results-${key}`);
  return { tables: join(folder, 'tables'), figures: join(folder, 'figures') };
}

/** Stage 3: every result table the plan's runs allow, then the claims from them; returns the files written. */
export function writeResultTables(pipeline: Pipeline, dir: string = resultDirectories(pipeline).tables): string[] {
  const runs = pipeline.runs.filter(isRunDone);
  const games = pipeline.games.map((g) => g.spec.game);
  return writeAnalysisTables(
    {
      rows: curveRows(runs),
      returns: runs.flatMap((run) => runReturnRows(run, games)),
      preset: pipeline.preset,
      plan: pipeline.plan,
      stage: pipeline.stage,
      teacherCi95: Object.fromEntries(games.map((game, g) => [game, pipeline.teachers.teacherCi95[g]])),
    },
    dir,
  );
}

/** The figures of a pipeline's games: Figure 2, and each of Figures 3–5 whose every curve's variant the plan has. */
export function pipelineFigures(pipeline: Pipeline): FigureEntry[] {
  const { plan } = pipeline;
  const variants = planVariants(plan).map((v) => ({ ...v, partitions: v.partitions ?? null }) as CurveRow);
  return distillFigures(
    pipeline.games.map((g) => g.spec.game),
    plan.partitions,
    plan.defaultPartitions,
    { suite: pipeline.suite, preset: pipeline.preset },
    (filter) => variants.some(filter),
  );
}

/**
 * The whole pipeline, its result tables folder locked for this process from before stage 1 writes until the end
 * (a second `reproduce` writing the same tables is refused, naming the holder; each run's folder has its own lock).
 */
export async function reproduce(options: ReproduceOptions): Promise<ReproduceResult> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  let lock: RunLock | null = null;
  try {
    const pipeline = preparePipeline(options, log, (results) => {
      const directories = resultDirectories(results);
      lock = acquireRunLock(directories.tables, { log });
      if (results.resultsName !== undefined) checkResultsFolder(directories.tables, results.runs);
      // The figures are this lock's too: a killed export's temporaries go now.
      const removed = removeStaleTemporaries(directories.figures);
      if (removed.length > 0)
        log(
          `removed ${removed.length} temporary files that a stopped process left in ${displayPath(directories.figures)}`,
        );
    });
    return await reproduceLocked(pipeline, options, log);
  } finally {
    (lock as RunLock | null)?.release();
  }
}

async function reproduceLocked(
  pipeline: Pipeline,
  options: ReproduceOptions,
  log: (line: string) => void,
): Promise<ReproduceResult> {
  const hooks = { ...options, log };
  let summary: TrainSummary;
  if (options.trainer) {
    startTrainingStage(pipeline, pipeline.runs, hooks);
    summary = await options.trainer(pipeline, hooks);
  } else if (options.jobs === undefined) summary = trainRuns(pipeline, () => true, hooks);
  else {
    startTrainingStage(pipeline, pipeline.runs, hooks);
    summary = await trainRunsInProcesses(pipeline, () => true, options.jobs, hooks);
  }
  const { finished, trained, skipped } = summary;
  if (!finished) return { finished, trained, skipped, tables: [], figures: [], summary: [] };
  const directories = resultDirectories(pipeline);
  log(`[3/4] result tables into ${displayPath(directories.tables)}`);
  const tables = [
    ...(pipeline.resultsName === undefined ? [] : [writeResultsRuns(directories.tables, pipeline.runs)]),
    ...writeResultTables(pipeline, directories.tables),
  ];
  const claims = claimsMarkdown(readClaims(directories.tables));
  const results = [
    ...claims,
    ...(claims.length > 0 ? [''] : []),
    ...resultsSummary(readCurvesTable(directories.tables), pipeline.plan.thresholdPercent),
  ];
  if (options.figures === false) return { finished, trained, skipped, tables, figures: [], summary: results };
  const entries = pipelineFigures(pipeline);
  const left = Object.values(FIGURE_NAMES).filter((name) => !entries.some((e) => e.name === name));
  const leftOut = left.length > 0 ? ` (left out: ${left.join(', ')}, whose curves need variants this plan lacks)` : '';
  log(`[4/4] figures into ${displayPath(directories.figures)}${leftOut}`);
  const figures = await regenerateFigures({
    entries,
    tables: directories.tables,
    figures: directories.figures,
    log,
  });
  return { finished, trained, skipped, tables, figures, summary: results };
}
