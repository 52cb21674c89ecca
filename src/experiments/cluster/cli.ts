/**
 * The cluster side of the command line: `distill-lab status` (every run of a plan and where it stands) and
 * `teach --cluster` (one teacher run as a Ray job, followed to its end). `reproduce --cluster` is in
 * src/experiments/reproduce/cli.ts, over `trainRunsOnCluster`. Registered on the program by src/cli.ts.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { PRESET_NAMES } from '../common/preset-env';
import { gamesOf, SUITES, type Suite } from '../common/suites';
import { type PlanFlags, pipelineOptions } from '../reproduce/cli';
import { resolveRuns } from '../reproduce/reproduce';
import { loadSuiteTeachers } from '../reproduce/teachers';
import { applyStorage, type ClusterFlags, clusterSettings, connectCluster, runCommandOnCluster } from './cluster-runs';
import { withoutClusterFlags } from './flags';
import { planStatus, statusLines } from './status';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

interface StatusFlags extends PlanFlags {
  cluster?: string;
  storage?: string;
}

/** `status`: the plan's runs (the same flags as `reproduce`) and where each stands. */
async function runStatus(flags: StatusFlags): Promise<void> {
  applyStorage(flags.storage);
  // On a cluster each job trains one run: no seed batch to resolve or check against this machine.
  const options = { ...pipelineOptions(flags), seedBatch: 1 };
  const teachers = loadSuiteTeachers(options.suite, options.games ?? gamesOf(options.suite), options.teachersRoot);
  const { runs } = resolveRuns(options, teachers);
  const { statuses, unreachable } = await planStatus(runs, flags.cluster);
  for (const line of statusLines(statuses, unreachable)) process.stdout.write(`${line}\n`);
}

/** Adds `status` to the program. */
export function registerStatusCommand(cli: Command): void {
  cli
    .command('status')
    .description(
      'every run of a reproduce plan: queued, running with its progress, finished, stopped, failed with its log tail',
    )
    .option('--suite <suite>', `game suite: ${SUITES.join(' | ')}`, 'minatar')
    .option('--preset <preset>', `budget: ${PRESET_NAMES.join(' | ')}`, 'quick')
    .option('--only <variants>', 'comma-separated variants of the plan, as for reproduce')
    .option('--seeds <n>', "seeds 0 … n−1 for every variant (default: the preset's)")
    .option('--set <key=value>', 'an override of every run, as for reproduce', collect, [])
    .option('--games <list>', 'comma-separated subset of the suite (default: all)')
    .option('--teachers <dir>', 'folder holding GAME/teacher.dlck (default: the shipped teachers)')
    .option('--storage <dir>', 'the data folder the runs were written to (the --storage of reproduce --cluster)')
    .option('--cluster <address>', 'ask this Ray cluster about the jobs (default: the one each was submitted to)')
    .action(runStatus);
}

/** What `teach --cluster` needs of the teach command's flags. */
export interface TeachClusterFlags extends ClusterFlags {
  readonly ship?: boolean;
}

/**
 * `teach … --cluster ADDRESS`: the same teach command as a Ray job, its data folder the storage folder, followed
 * to its end here (its output printed as it comes). `--run-dir` is made absolute, for the job starts in the
 * checkout on the node.
 */
export async function runTeachOnCluster(
  flags: TeachClusterFlags,
  argv: readonly string[],
  run: { suite: Suite; label: string },
): Promise<void> {
  if (flags.ship)
    throw new RangeError(
      '--ship cannot go with --cluster: the job would copy the teacher into the checkout of whichever node ran it. ' +
        'Once the job has finished, copy its run folder from the storage folder, or run teach --ship here',
    );
  applyStorage(flags.storage);
  const settings = clusterSettings(flags, run.suite, null);
  if (settings === null) throw new Error('runTeachOnCluster needs --cluster');
  const args = withoutClusterFlags(argv.slice(2));
  const runDir = args.findIndex((a) => a === '--run-dir' || a.startsWith('--run-dir='));
  if (runDir >= 0) {
    if (args[runDir] === '--run-dir') args[runDir + 1] = resolve(args[runDir + 1]);
    else args[runDir] = `--run-dir=${resolve(args[runDir].slice('--run-dir='.length))}`;
  }
  const write = (text: string) => process.stdout.write(text);
  const cluster = await connectCluster(settings, (line) => write(`${line}\n`));
  await runCommandOnCluster(cluster, args, run.label, write, ['distill-lab', ...argv.slice(2)].join(' '));
}
