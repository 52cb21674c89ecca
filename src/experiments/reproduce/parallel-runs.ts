/**
 * `reproduce --jobs N`: distillation runs trained in N child processes at once. A run's loop is a chain
 * of small TensorFlow kernels issued one by one from one JavaScript thread, so on two cores a second
 * process nearly doubles throughput (two runs side by side each kept their solo speed: environment.md).
 * Each child is `distill-lab distill-run` for one run and reports its progress over IPC. A stopped or
 * killed child leaves its last checkpoint, as a killed run does, and the same command resumes it.
 * Each child's TensorFlow gets its share of the cores (`threadShare`).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { DistillProgress } from '../../distill/distiller';
import { threadShare } from '../../nn/thread-pools';
import { PROJECT_ROOT } from '../../util/paths';
import type { Pipeline, TrainHooks, TrainSummary } from './pipeline';
import type { PlannedRun } from './run';

/** What a `distill-run` child tells its parent. */
export type RunMessage =
  | { readonly type: 'progress'; readonly progress: DistillProgress }
  | { readonly type: 'evaluation'; readonly meanPercent: number }
  | { readonly type: 'result'; readonly skipped: boolean; readonly finished: boolean };

/** The command-line arguments of the child that trains `run` of `pipeline`: the run with its resolved configuration. */
export function childArguments(pipeline: Pipeline, run: PlannedRun): string[] {
  return [
    'distill-run',
    '--run-json',
    JSON.stringify(run),
    '--games',
    pipeline.games.map((g) => g.spec.game).join(','),
    ...(pipeline.teachersRoot ? ['--teachers', pipeline.teachersRoot] : []),
  ];
}

const STOP_POLL_MS = 200;

/**
 * Trains the runs `select` picks, `jobs` at a time in child processes, in the plan's order; resolves when
 * all are done, or when `hooks.shouldStop` turns true (the children are stopped and keep their checkpoints).
 */
export function trainRunsInProcesses(
  pipeline: Pipeline,
  select: (run: PlannedRun) => boolean,
  jobs: number,
  hooks: TrainHooks = {},
): Promise<TrainSummary> {
  if (!(Number.isInteger(jobs) && jobs >= 1)) throw new RangeError(`jobs must be an integer >= 1, got ${jobs}`);
  const chosen = pipeline.runs.filter(select);
  const children = new Set<ChildProcess>();
  let next = 0;
  let trained = 0;
  let skipped = 0;
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | null, finished: boolean) => {
      if (settled) return;
      settled = true;
      clearInterval(poll);
      for (const child of children) child.kill('SIGTERM');
      if (error) reject(error);
      else resolve({ finished, trained, skipped });
    };
    const poll = setInterval(() => {
      if (hooks.shouldStop?.()) finish(null, false);
    }, STOP_POLL_MS);
    const launch = () => {
      if (settled) return;
      if (next >= chosen.length) {
        if (children.size === 0) finish(null, true);
        return;
      }
      const index = next++;
      const run = chosen[index];
      const child = fork(join(PROJECT_ROOT, 'bin', 'distill-lab.js'), childArguments(pipeline, run), {
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
        env: { ...threadShare(jobs), ...process.env, DISTILL_LAB_QUIET: '1' },
      });
      children.add(child);
      let result: RunMessage | null = null;
      child.on('message', (message: RunMessage) => {
        if (message.type === 'progress') hooks.onRunProgress?.(index, chosen.length, run, message.progress);
        else if (message.type === 'evaluation') hooks.onRunEvaluation?.(index, chosen.length, run, message.meanPercent);
        else result = message;
      });
      child.on('exit', (code, signal) => {
        children.delete(child);
        if (settled) return;
        const outcome = result as RunMessage | null;
        if (outcome?.type !== 'result') {
          const how = signal ? `signal ${signal}` : `exit code ${code}`;
          finish(new Error(`distillation run ${run.name} failed (${how}); its error is above`), false);
          return;
        }
        if (outcome.skipped) skipped++;
        else trained++;
        if (outcome.finished) hooks.onRunEnd?.(index, chosen.length, run);
        if (!outcome.finished) finish(null, false);
        else launch();
      });
    };
    hooks.log?.(`  ${chosen.length} runs, ${Math.min(jobs, chosen.length)} at a time in child processes`);
    for (let j = 0; j < jobs; j++) launch();
  });
}
