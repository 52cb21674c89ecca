/**
 * The flags `reproduce` and `teach` take to run on a Ray cluster, declared once, and the command line a job runs:
 * the same command without them.
 */
import type { Command } from 'commander';

/** The cluster flags; each takes a value. */
const CLUSTER_FLAGS = ['--cluster', '--storage', '--cluster-root', '--cpus-per-run', '--gpus-per-run'] as const;

/** Adds the cluster flags to `command`. */
export function addClusterOptions(command: Command, what: string): Command {
  return command
    .option(
      '--cluster <address>',
      `submit ${what} to the Ray cluster whose dashboard (Jobs API) is at ADDRESS, e.g. 127.0.0.1:8265`,
    )
    .option(
      '--storage <dir>',
      'data folder of the runs, shared by this machine and every node at the same path (default: the local data folder)',
    )
    .option('--cluster-root <dir>', "the distill-lab checkout on the cluster's nodes (default: this one's path)")
    .option('--cpus-per-run <n>', 'CPUs each job holds, its TensorFlow threads (default: 1; Atari 2)')
    .option('--gpus-per-run <n>', 'GPUs each job holds (a fraction shares one); refused when no node has them');
}

/** `argv`'s arguments without the cluster flags and their values (`--flag value` and `--flag=value`). */
export function withoutClusterFlags(args: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if ((CLUSTER_FLAGS as readonly string[]).includes(arg)) {
      i++;
      continue;
    }
    if (CLUSTER_FLAGS.some((flag) => arg.startsWith(`${flag}=`))) continue;
    kept.push(arg);
  }
  return kept;
}
