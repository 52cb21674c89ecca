/**
 * `distill-lab reproduce`: the paper's experiments in order, from the teachers to the figures.
 *   1. value ranges and Figure 2's state distributions from teacher play (notebook 02);
 *   2. every distillation run of the plan (architectures, samplers, partition counts × seeds), each
 *      skipped when done and resumed from its checkpoint when a kill interrupted it (notebooks 03–05);
 *   3. the result tables (raw curves, Table 1, rliable aggregates, updates-to-threshold) into data/tables;
 *   4. Figures 2–5 into figures/ (PNG, SVG, interactive HTML).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { PresetName } from '../experiments/preset-env';
import { gamesOf, type Suite } from '../experiments/teacher-config';
import { dataDir } from '../experiments/teacher-run';
import { readTable, tablePaths, writeTable } from '../tables';
import { tablesDir } from '../util/paths';
import { regenerateFigures } from '../viz/regenerate';
import type { DistillProgress } from './distiller';
import { distillFigures } from './figures';
import { distillConfig, planVariants, type ReproducePlan, reproducePlan } from './presets';
import { writeAggregates, writeArchitectureTable, writeCurves, writeThresholds } from './reproduce-tables';
import { architectureAggregates, architectureTable, type CurveRow, thresholdTable } from './results';
import {
  DISTILL_CURVE_SCHEMA,
  DISTILL_CURVE_TABLE,
  distillRunDirectory,
  isRunDone,
  type RunIdentity,
  runDistillation,
} from './run';
import { loadSuiteTeachers } from './teachers';
import {
  measureValueRanges,
  readValueRanges,
  STATE_DISTRIBUTION_SCHEMA,
  STATE_DISTRIBUTION_TABLE,
  VALUE_RANGE_SCHEMA,
  VALUE_RANGE_TABLE,
} from './value-ranges';

/** Seed of the value-range play and of the bootstrap: the numbers repeat. */
const ANALYSIS_SEED = 0;

export interface ReproduceOptions {
  readonly suite: Suite;
  readonly preset: PresetName;
  /** Dotted-key overrides of every run's configuration. */
  readonly overrides?: readonly Record<string, unknown>[];
  /** Games to distil (default: the suite's). */
  readonly games?: readonly string[];
  /** Folder holding GAME/teacher.dlck (default: the shipped teachers in data/teachers/SUITE). */
  readonly teachersRoot?: string;
  /** Export PNG/SVG/HTML figures at the end (needs Chromium; default true). */
  readonly figures?: boolean;
  readonly command?: string;
  readonly log?: (line: string) => void;
  /** Progress of the run in training: its position in the plan and its counters. */
  readonly onRunProgress?: (index: number, count: number, run: RunIdentity, progress: DistillProgress) => void;
  /** Polled after every step; true stops at once, as a kill would (the next call resumes). */
  readonly shouldStop?: () => boolean;
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

export async function reproduce(options: ReproduceOptions): Promise<ReproduceResult> {
  const { suite, preset } = options;
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const plan = reproducePlan(preset);
  const runs = planRuns(suite, preset, plan);
  // Every configuration is built and checked before the first step of anything.
  const configs = runs.map((run) => distillConfig(suite, preset, run.variant, run.seed, options.overrides));
  const teachers = loadSuiteTeachers(suite, options.games ?? gamesOf(suite), options.teachersRoot);
  const stage = stageDirectory(suite, preset);

  log(`[1/4] value ranges and state distributions (${plan.valueRangePlay.steps} steps of teacher play per game)`);
  const ranges = existsSync(tablePaths(VALUE_RANGE_TABLE, stage).arrow)
    ? readValueRanges(teachers.games, stage)
    : measureValueRanges(suite, teachers, plan.valueRangePlay, ANALYSIS_SEED, stage);
  const games = teachers.games.map((g, i) => ({ ...g, valueRange: ranges[i] }));

  log(`[2/4] ${runs.length} distillation runs (${runs.filter(isRunDone).length} already done)`);
  let trained = 0;
  let skipped = 0;
  for (const [index, run] of runs.entries()) {
    let stopped = false;
    const result = runDistillation(run, configs[index], teachers, games, {
      command: options.command,
      hooks: {
        onProgress: (p) => options.onRunProgress?.(index, runs.length, run, p),
        shouldStop: () => {
          stopped = options.shouldStop?.() ?? false;
          return stopped;
        },
      },
    });
    if (result.skipped) skipped++;
    else trained++;
    if (!result.finished) {
      log(`stopped during ${result.runDir}; run the same command again to resume`);
      return { finished: false, trained, skipped, tables: [], figures: [] };
    }
  }

  log('[3/4] result tables');
  const rows = runs.flatMap(
    (run) =>
      readTable(
        DISTILL_CURVE_TABLE,
        Object.keys(DISTILL_CURVE_SCHEMA),
        distillRunDirectory(run),
      ).objects() as unknown as CurveRow[],
  );
  const proposed = (r: CurveRow) => r.architecture === 'proposed';
  const samplerGroups = plan.samplers.map((kind) => ({
    label: kind === 'hierarchical' ? 'H-PR' : kind,
    filter: (r: CurveRow) =>
      proposed(r) && r.sampler === kind && (kind !== 'hierarchical' || r.partitions === plan.defaultPartitions),
  }));
  const tables = [
    writeCurves(rows as unknown as Record<string, unknown>[]),
    writeArchitectureTable(architectureTable(rows, plan.architectures)),
    writeAggregates(architectureAggregates(rows, plan.architectures, ANALYSIS_SEED)),
    writeThresholds(thresholdTable(rows, samplerGroups, plan.thresholdPercent), plan.thresholdPercent),
    writeTable(VALUE_RANGE_TABLE, readTable(VALUE_RANGE_TABLE, [], stage), VALUE_RANGE_SCHEMA),
    writeTable(STATE_DISTRIBUTION_TABLE, readTable(STATE_DISTRIBUTION_TABLE, [], stage), STATE_DISTRIBUTION_SCHEMA),
  ].flatMap((paths) => [paths.arrow, paths.csv]);
  for (const path of tables) log(`  ${path}`);

  if (options.figures === false) return { finished: true, trained, skipped, tables, figures: [] };
  log('[4/4] figures');
  const entries = distillFigures(
    games.map((g) => g.spec.game),
    plan.partitions,
    plan.defaultPartitions,
  );
  const figures = await regenerateFigures({ entries, tables: tablesDir(), log });
  return { finished: true, trained, skipped, tables, figures };
}
