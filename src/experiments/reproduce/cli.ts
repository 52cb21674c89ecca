/**
 * The `reproduce` command: `distill-lab reproduce --suite minatar --preset quick` runs the whole pipeline
 * with a line per run in training, resumes after a kill (Ctrl-C stops at once; the same command continues)
 * and ends with the results: Table 1 with intervals, aggregates, updates to threshold, where the files are.
 * `--only`, `--seeds` and `--set` make an ablation (its tables stay in its own folder); `--plan` shows the
 * runs first. `--cluster` trains the runs as Ray jobs (src/experiments/cluster). `report` summarises any folder of
 * runs. `distill-run` (hidden) is the child process that trains one resolved run for `--jobs`, and a Ray job's
 * entrypoint. Registered on the program by src/cli.ts.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { tablePaths } from '../../tables';
import { displayPath } from '../../util/paths';
import { stoppedExitCode, stopRequestedOrOrphaned, watchStopSignals } from '../../util/stop-signals';
import {
  applyStorage,
  type ClusterFlags,
  clusterSettings,
  connectCluster,
  trainRunsOnCluster,
} from '../cluster/cluster-runs';
import { addClusterOptions } from '../cluster/flags';
import { JOB_VIA_ENV, jobLogReporter } from '../cluster/job-log';
import { parseOverride } from '../common/overrides';
import { isPresetName, PRESET_NAMES, type PresetName } from '../common/preset-env';
import { gamesOf, SUITES, type Suite } from '../common/suites';
import { PARENT_COMMAND_ENV, PARENT_PID_ENV, type RunMessage } from './parallel-runs';
import type { PipelineOptions } from './pipeline';
import { measuredRates, planPreview } from './plan-preview';
import { reportRuns } from './report-runs';
import { loadChildRuns, meanPercent, reproduce, resolveRuns } from './reproduce';
import type { CurveRow } from './results';
import { checkResultsName, isPresetsOwnPlan, readRunsListing } from './results-folder';
import { DISTILL_CURVE_TABLE, isRunFolderDone, type PlannedRun, readRunCurve, runSeedBatch } from './run';
import { RunBoard } from './run-board';
import { MAX_SEED_BATCH, seedBatches, validateSeedBatch } from './seed-batches';
import { resultsSummary } from './summary';
import { loadSuiteTeachers } from './teachers';

/** The flags that choose a plan's runs (`reproduce`, `status`). */
export interface PlanFlags {
  suite: string;
  preset: string;
  set: string[];
  games?: string;
  teachers?: string;
  only?: string;
  seeds?: string;
  name?: string;
}

interface ReproduceFlags extends PlanFlags, ClusterFlags {
  plan?: boolean;
  figures: boolean;
  jobs: string;
  seedBatch?: string;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The pipeline options the flags ask for, every flag checked before anything is loaded. */
export function pipelineOptions(flags: PlanFlags): PipelineOptions {
  if (!(SUITES as readonly string[]).includes(flags.suite)) {
    throw new RangeError(`unknown suite '${flags.suite}': expected one of ${SUITES.join(', ')}`);
  }
  if (!isPresetName(flags.preset))
    throw new RangeError(`unknown preset '${flags.preset}': expected one of ${PRESET_NAMES.join(', ')}`);
  const seeds = flags.seeds === undefined ? undefined : Number(flags.seeds);
  if (seeds !== undefined && !(Number.isInteger(seeds) && seeds >= 1 && seeds <= 1000))
    throw new RangeError(`--seeds ${flags.seeds} is not an integer in [1, 1000]`);
  const games = flags.games?.split(',');
  const suiteGames = gamesOf(flags.suite as Suite);
  const unknownGame = games?.find((g) => !suiteGames.includes(g));
  if (unknownGame !== undefined)
    throw new RangeError(`unknown game '${unknownGame}' in --games: ${flags.suite} has ${suiteGames.join(', ')}`);
  const options: PipelineOptions = {
    suite: flags.suite as Suite,
    preset: flags.preset as PresetName,
    overrides: flags.set.map(parseOverride),
    games,
    teachersRoot: flags.teachers,
    only: flags.only?.split(','),
    seeds,
    resultsName: flags.name,
  };
  if (flags.name !== undefined) checkResultsName(flags.name, options.suite, options.preset, isPresetsOwnPlan(options));
  return options;
}

async function runReproduce(flags: ReproduceFlags, argv: readonly string[], jobsGiven: boolean): Promise<void> {
  const write = (line: string) => process.stdout.write(`${line}\n`);
  applyStorage(flags.storage);
  let options = pipelineOptions(flags);
  let jobs = Number(flags.jobs);
  if (!(Number.isInteger(jobs) && jobs >= 1)) throw new RangeError(`--jobs ${flags.jobs} is not an integer >= 1`);
  if (flags.seedBatch !== undefined && !/^[0-9]+$/.test(flags.seedBatch))
    throw new RangeError(`--seed-batch ${flags.seedBatch} is not an integer in [1, ${MAX_SEED_BATCH}]`);
  const given = flags.seedBatch === undefined ? undefined : Number(flags.seedBatch);
  if (given !== undefined) validateSeedBatch(given);
  const clusterSetup = clusterSettings(flags, options.suite, jobsGiven ? jobs : null);
  if (clusterSetup && given !== undefined && given > 1)
    throw new RangeError(
      `--seed-batch ${flags.seedBatch} with --cluster: each Ray job trains one run; omit --seed-batch or pass 1`,
    );
  // On a cluster each Ray job trains one run, whatever the preset's default.
  const seedBatch = clusterSetup ? 1 : given;
  // On a cluster: every check of the address, its nodes and the storage folder before anything is written (for
  // --plan the address and nodes only); runs are checked against its largest node's memory, not this machine's.
  const cluster = clusterSetup
    ? await connectCluster(clusterSetup, write, options.teachersRoot, { probe: !flags.plan })
    : null;
  if (cluster) {
    jobs = cluster.inFlight;
    options = { ...options, machineBytes: cluster.largestRam };
  }
  options = { ...options, jobs, seedBatch };
  if (flags.plan) {
    const teachers = loadSuiteTeachers(options.suite, options.games ?? gamesOf(options.suite), options.teachersRoot);
    const { runs, seedBatch: resolved } = resolveRuns(options, teachers);
    const games = teachers.games.map((g) => g.spec.game);
    for (const line of planPreview(runs, games, jobs, measuredRates(options.suite))) process.stdout.write(`${line}\n`);
    // The plan's grouping: what is done or resumed only takes runs out of it (seed-batches.ts).
    const sizes = seedBatches(runs, resolved, () => 0, jobs).map((batch) => batch.length);
    process.stdout.write(
      resolved > 1
        ? `runs of a variant train together in one process, in seed batches of ${sizes.join(', ')} (--seed-batch 1: one run each)\n`
        : 'each run trains in its own process\n',
    );
    return;
  }
  // The first SIGINT or SIGTERM stops the runs (their children stop too; checkpoints stay); the same signal
  // again ends this process at once. This process waits on its children, so a listener runs in time.
  let stop: 'SIGINT' | 'SIGTERM' | null = null;
  const interrupt = (signal: 'SIGINT' | 'SIGTERM') => {
    stop ??= signal;
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  let board: RunBoard | null = null;
  let perProcess = 1;
  // Made at the first report of stage 2, when the number of runs to train is known.
  const boardFor = (count: number, run: PlannedRun): RunBoard => {
    // Each process trains a seed batch at once: jobs × seed batch runs move together.
    board ??= new RunBoard(count, run.config.totalUpdates, jobs * perProcess, process.stdout.isTTY === true, write);
    return board;
  };
  const log = (line: string) => (board ? board.log(line) : write(line));
  try {
    const result = await reproduce({
      ...options,
      figures: flags.figures,
      trainer: cluster ? (pipeline, hooks) => trainRunsOnCluster(pipeline, cluster, hooks) : undefined,
      command: ['distill-lab', ...argv.slice(2)].join(' '),
      log,
      onRunProgress: (index, count, run, p) => {
        const seconds = Object.values(p.timing).reduce((sum, t) => sum + t, 0);
        boardFor(count, run).progress(index, run.name, { ...p, seconds });
      },
      onRunEvaluation: (index, count, run, percent) => boardFor(count, run).evaluation(index, run.name, percent),
      onRunEnd: (index, count, run) => boardFor(count, run).finished(index),
      onTrainingStage: (pipeline) => {
        perProcess = pipeline.seedBatch;
      },
      shouldStop: () => stop !== null,
    });
    (board as RunBoard | null)?.stop();
    board = null;
    if (!result.finished) {
      write('stopped; run the same command again to resume');
      process.exitCode = stoppedExitCode(stop ?? 'SIGINT');
      return;
    }
    const folders = (paths: readonly string[]) => [...new Set(paths.map((p) => displayPath(dirname(p))))].join(', ');
    const figures = result.figures.filter((f) => f.endsWith('.png'));
    write('');
    for (const line of result.summary) write(line);
    write(
      `\ndone: ${result.trained} runs trained, ${result.skipped} already done\n` +
        `tables: ${folders(result.tables)}` +
        (figures.length > 0
          ? `\nfigures: ${figures.length} (PNG, SVG and interactive HTML each) in ${folders(figures)}`
          : ''),
    );
  } finally {
    (board as RunBoard | null)?.stop();
    process.removeListener('SIGINT', interrupt);
    process.removeListener('SIGTERM', interrupt);
  }
}

/** `report DIR`: the results summary of every (finished) run folder in DIR. */
function runReport(dir: string, flags: { threshold: string; includeUnfinished?: boolean; runs?: string }): void {
  const threshold = Number(flags.threshold);
  if (!(threshold > 0 && Number.isFinite(threshold)))
    throw new RangeError(`--threshold must be a number > 0, got ${flags.threshold}`);
  if (!existsSync(dir)) throw new RangeError(`report: folder ${dir} does not exist`);
  if (flags.runs !== undefined && !(existsSync(flags.runs) && statSync(flags.runs).isFile()))
    throw new RangeError(`--runs ${flags.runs} is not a file: expected a file of run folder names, one per line`);
  const withCurves = readdirSync(dir).filter((name) =>
    existsSync(tablePaths(DISTILL_CURVE_TABLE, join(dir, name)).arrow),
  );
  const finished = withCurves.filter((name) => isRunFolderDone(join(dir, name)));
  const includeUnfinished = flags.includeUnfinished === true;
  const listing = flags.runs === undefined ? null : { file: flags.runs, names: readRunsListing(flags.runs) };
  const runs = reportRuns({ dir, withCurves, finished, includeUnfinished }, listing);
  if (runs.length === 0)
    throw new RangeError(`${dir} holds no finished run folder with a ${DISTILL_CURVE_TABLE} table`);
  // Under --runs every listed run was reportable, so only a whole folder's read leaves runs out.
  const left = listing === null && !includeUnfinished ? withCurves.filter((name) => !finished.includes(name)) : [];
  const rows = runs.flatMap((name) => readRunCurve(join(dir, name)) as unknown as CurveRow[]);
  process.stdout.write(
    `${runs.length} runs in ${dir}${left.length ? ` (left out, unfinished: ${left.join(', ')})` : ''}\n\n`,
  );
  for (const line of resultsSummary(rows, threshold, true)) process.stdout.write(`${line}\n`);
}

/** Adds `reproduce`, `report` and the hidden `distill-run` to the program. */
export function registerReproduceCommand(cli: Command, argv: readonly string[]): void {
  const reproduce = cli
    .command('reproduce')
    .description("run the paper's experiments from the teachers: value ranges, distillation runs, tables, figures")
    .option('--suite <suite>', `game suite: ${SUITES.join(' | ')}`, 'minatar')
    .option('--preset <preset>', `budget: ${PRESET_NAMES.join(' | ')}`, 'quick')
    .option('--only <variants>', 'comma-separated variants of the plan, e.g. proposed-uniform,proposed-hpr-p5')
    .option('--seeds <n>', "seeds 0 … n−1 for every variant (default: the preset's)")
    .option('--set <key=value>', 'override a setting of every run, e.g. --set tau=0.05', collect, [])
    .option('--games <list>', 'comma-separated subset of the suite (default: all)')
    .option('--teachers <dir>', 'folder holding GAME/teacher.dlck (default: the shipped teachers)')
    .option('--plan', 'print every run with its settings, what is done and the projected time; train nothing')
    .option('--no-figures', 'skip the PNG/SVG/HTML export (needs Chromium)')
    .option(
      '--name <name>',
      "keep the tables and figures in data/tables/NAME and figures/NAME (default: SUITE-PRESET for a preset's own plan, a results-HASH folder beside the runs for any other); refused when NAME holds other runs' results",
    )
    .option(
      '--jobs <n>',
      'runs trained at once, one child process each (with --cluster: jobs submitted at once, default what the cluster holds)',
      String(availableParallelism()),
    )
    .option(
      '--seed-batch <n>',
      "runs of one variant trained together in each process, one graph call for all their seeds (each still its own run, as alone to float rounding until a rounding difference flips an action; default: the preset's, 5 for MinAtar's quick and full, else 1)",
    );
  addClusterOptions(reproduce, 'each run as a job');
  reproduce.action((flags: ReproduceFlags, command: Command) =>
    runReproduce(flags, argv, command.getOptionValueSource('jobs') === 'cli'),
  );
  cli
    .command('report <dir>')
    .description('results of a folder of distillation runs: curves, Table 1 with intervals, updates to threshold')
    .option('--threshold <percent>', 'updates-to-threshold target in % of the teacher', '90')
    .option('--include-unfinished', 'count runs that have not finished (their curves so far)')
    .option(
      '--runs <file>',
      "read only the runs this file lists, one folder name per line (a named plan's data/tables/NAME/runs.txt); needed where the folder holds several plans' runs of a variant and seed",
    )
    .action(runReport);
  cli
    .command('distill-run', { hidden: true })
    .description('train one resolved run of a reproduce plan (the child process of reproduce --jobs)')
    .requiredOption('--run-json <run>', 'the run with its resolved configuration, as JSON')
    .requiredOption('--games <list>')
    .option('--teachers <dir>')
    .action((flags: DistillRunFlags) => runOne(flags, argv));
}

interface DistillRunFlags {
  runJson: string;
  games: string;
  teachers?: string;
}

/**
 * One run, or a seed batch of runs, reporting to the parent process (if any) over IPC; a kill leaves the checkpoints.
 * SIGINT, SIGTERM or the end of its parent (`reproduce` killed, even by SIGKILL) stop it as a kill would, its locks
 * released.
 */
function runOne(flags: DistillRunFlags, argv: readonly string[]): void {
  watchStopSignals();
  const parentPid = Number(process.env[PARENT_PID_ENV] ?? process.ppid);
  // A message to a parent that is gone is dropped, not raised (its error would come after the run, as a crash).
  const send = (message: RunMessage) => {
    if (process.connected) process.send?.(message, undefined, {}, () => {});
  };
  process.stderr.on('error', () => {});
  const { runs, teachers, games } = loadChildRuns(flags.runJson, flags.games.split(','), flags.teachers);
  // Without a `--jobs` parent (a Ray job, or by hand) the reports go to stdout, one line each (cluster/job-log.ts).
  const outs = runs.map((run) =>
    process.send ? null : jobLogReporter(run.name, (line) => process.stdout.write(`${line}\n`)),
  );
  for (const out of outs) out?.start();
  const own = ['distill-lab', ...argv.slice(2)].join(' ');
  const parentCommand = process.env[PARENT_COMMAND_ENV];
  const shouldStop = stopRequestedOrOrphaned(parentPid);
  const results = runSeedBatch(runs, teachers, games, {
    command: parentCommand || own,
    via:
      process.env[JOB_VIA_ENV] ||
      (parentCommand ? `child process: distill-lab distill-run ${runs.map((r) => r.name).join(' ')}` : undefined),
    hooks: runs.map((_, run) => ({
      onProgress: (progress) => {
        send({ type: 'progress', run, progress });
        outs[run]?.progress(progress);
      },
      onEvaluation: (row) => {
        send({ type: 'evaluation', run, meanPercent: meanPercent(row) });
        outs[run]?.evaluation(row.updates, meanPercent(row));
      },
      onCheckpoint: (_path, updates) => outs[run]?.checkpoint(updates),
      shouldStop,
    })),
  });
  results.forEach((result, run) => {
    send({ type: 'result', run, skipped: result.skipped, finished: result.finished });
  });
}
