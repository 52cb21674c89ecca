/**
 * TensorFlow's thread pools for one process. TensorFlow sizes them from TF_NUM_INTRAOP_THREADS and
 * TF_NUM_INTEROP_THREADS once, when its first tensor exists, so they are chosen before the backend loads
 * (`bin/distill-lab.js`, the `reproduce` children). Variables the user set always win.
 * Measured on the 2-core machine (environment.md): two distillation runs side by side were 30 % slower with
 * the default pools (a thread per core for each) than with one thread each; a MinAtar teacher's DQN update
 * (batch 32 through 135,000 parameters) is faster on one thread than on two, while the Nature DQN's update
 * on Atari frames and a MinAtar student's five-game update are faster on two.
 */
import { availableParallelism } from 'node:os';

export type ThreadPools = { readonly TF_NUM_INTRAOP_THREADS: string; readonly TF_NUM_INTEROP_THREADS: string };

/** The pools of one of `jobs` processes sharing `cores`: an equal share of intra-op threads, one inter-op thread. */
export function threadShare(jobs: number, cores: number = availableParallelism()): ThreadPools {
  return {
    TF_NUM_INTRAOP_THREADS: String(Math.max(1, Math.floor(cores / jobs))),
    TF_NUM_INTEROP_THREADS: '1',
  };
}

/** The value of `--name value` or `--name=value` in a command line, or null. */
function flagValue(argv: readonly string[], name: string): string | null {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === name) return argv[i + 1] ?? null;
    if (argv[i].startsWith(`${name}=`)) return argv[i].slice(name.length + 1);
  }
  return null;
}

/** The pools a `distill-lab` command line runs best with, or null for TensorFlow's defaults. */
export function commandThreadPools(argv: readonly string[]): ThreadPools | null {
  const command = argv[2];
  if (command === 'teach' && flagValue(argv, '--suite') === 'minatar') {
    return { TF_NUM_INTRAOP_THREADS: '1', TF_NUM_INTEROP_THREADS: '1' };
  }
  return null;
}

/** Sets `pools` in `env` where the user has not set them. */
export function applyThreadPools(pools: ThreadPools | null, env: NodeJS.ProcessEnv = process.env): void {
  if (!pools) return;
  for (const [name, value] of Object.entries(pools)) env[name] ??= value;
}

/** The pools this process's TensorFlow runs with, as set in its environment (null: TensorFlow's default). */
export function threadSettings(env: NodeJS.ProcessEnv = process.env): {
  readonly TF_NUM_INTRAOP_THREADS: string | null;
  readonly TF_NUM_INTEROP_THREADS: string | null;
} {
  return {
    TF_NUM_INTRAOP_THREADS: env.TF_NUM_INTRAOP_THREADS ?? null,
    TF_NUM_INTEROP_THREADS: env.TF_NUM_INTEROP_THREADS ?? null,
  };
}
