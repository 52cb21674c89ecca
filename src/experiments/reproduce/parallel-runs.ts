/**
 * `reproduce --jobs N`: distillation runs trained in N child processes at once. A run's loop is a chain
 * of small TensorFlow kernels issued one by one from one JavaScript thread, so on two cores a second
 * process nearly doubles throughput (two runs side by side each kept their solo speed: environment.md).
 * Each child is `distill-lab distill-run` for one run and reports its progress over IPC. A stopped or
 * killed child leaves its last checkpoint, as a killed run does, and the same command resumes it.
 * Each child's TensorFlow gets its share of the cores (`threadShare`).
 * No child outlives its parent: a child stops, as a kill would, once its parent is gone (even after SIGKILL:
 * it polls its parent's PID, `stopRequestedOrOrphaned`). When one child fails, the others are stopped (SIGTERM,
 * then SIGKILL after a grace period) before the error, which names the run, how it ended and its last error
 * output. The lock of a child killed before it could release it is released here.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { DistillProgress } from '../../distill/distiller';
import { threadShare } from '../../nn/thread-pools';
import { PROJECT_ROOT } from '../../util/paths';
import { releaseLockOf } from '../../util/run-lock';
import type { Pipeline, TrainHooks, TrainSummary } from './pipeline';
import { distillRunDirectory, type PlannedRun, runState } from './run';
import { seedBatches } from './seed-batches';

/** What a `distill-run` child tells its parent about `run`, the run's place in the child's seed batch. */
export type RunMessage =
  | { readonly type: 'progress'; readonly run: number; readonly progress: DistillProgress }
  | { readonly type: 'evaluation'; readonly run: number; readonly meanPercent: number }
  | { readonly type: 'result'; readonly run: number; readonly skipped: boolean; readonly finished: boolean };

/**
 * The command-line arguments of the child that trains `runs` of `pipeline` (one run, or a seed batch): the runs
 * with their resolved configurations.
 */
export function childArguments(pipeline: Pipeline, runs: readonly PlannedRun[]): string[] {
  return [
    'distill-run',
    '--run-json',
    JSON.stringify(runs.length === 1 ? runs[0] : runs),
    '--games',
    pipeline.games.map((g) => g.spec.game).join(','),
    ...(pipeline.teachersRoot ? ['--teachers', pipeline.teachersRoot] : []),
  ];
}

const STOP_POLL_MS = 200;
/** How long stopped children may take to stop by themselves before they are killed. */
const STOP_GRACE_MS = 10_000;
/** Lines of a child's error output kept for the message of its failure. */
const ERROR_TAIL_LINES = 8;

/** The environment variables a parent gives its `distill-run` children: its PID and its command line. */
export const PARENT_PID_ENV = 'DISTILL_LAB_PARENT_PID';
export const PARENT_COMMAND_ENV = 'DISTILL_LAB_PARENT_COMMAND';

/** The last lines of a stream, whole lines passed on as they complete. */
class LineTail {
  private partial = '';
  readonly lines: string[] = [];

  /** Adds `text`; returns the lines it completed. */
  push(text: string): string[] {
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop() ?? '';
    return this.keep(parts);
  }

  /** The unfinished last line, if any, as a line. */
  end(): string[] {
    const last = this.partial;
    this.partial = '';
    return this.keep([last]);
  }

  private keep(lines: string[]): string[] {
    const kept = lines.map((line) => line.trimEnd()).filter((line) => line.length > 0);
    this.lines.push(...kept);
    this.lines.splice(0, Math.max(0, this.lines.length - ERROR_TAIL_LINES));
    return kept;
  }
}

/** Why a child ended without its result: its exit code or signal, with the last lines it wrote to stderr. */
export function childFailure(
  runName: string,
  code: number | null,
  signal: NodeJS.Signals | null,
  errorLines: readonly string[],
): Error {
  const how = signal ? `killed by ${signal}` : `exit code ${code}`;
  return new Error(
    errorLines.length > 0
      ? `distillation run ${runName} failed (${how}); its last error output:\n  ${errorLines.join('\n  ')}`
      : `distillation run ${runName} failed (${how}) and wrote no error output`,
  );
}

/**
 * Trains the runs `select` picks, `jobs` children at a time, in the plan's order, each child a run or a seed batch
 * of `pipeline.seedBatch` runs; resolves when all are done, or when `hooks.shouldStop` turns true (the children are
 * stopped and keep their checkpoints). It settles only once every child has exited.
 */
export function trainRunsInProcesses(
  pipeline: Pipeline,
  select: (run: PlannedRun) => boolean,
  jobs: number,
  hooks: TrainHooks = {},
): Promise<TrainSummary> {
  if (!(Number.isInteger(jobs) && jobs >= 1)) throw new RangeError(`jobs must be an integer >= 1, got ${jobs}`);
  const chosen = pipeline.runs.filter(select);
  const batches = seedBatches(chosen, pipeline.seedBatch, runState, jobs);
  const children = new Set<ChildProcess>();
  const log = hooks.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  let next = 0;
  let trained = 0;
  let skipped = 0;
  return new Promise((resolve, reject) => {
    let ending: { error: Error | null; finished: boolean } | null = null;
    let killTimer: NodeJS.Timeout | null = null;
    const settle = () => {
      if (ending === null || children.size > 0) return;
      clearInterval(poll);
      if (killTimer) clearTimeout(killTimer);
      if (ending.error) reject(ending.error);
      else resolve({ finished: ending.finished, trained, skipped });
    };
    const finish = (error: Error | null, finished: boolean) => {
      if (ending) return;
      ending = { error, finished };
      for (const child of children) child.kill('SIGTERM');
      if (children.size > 0) {
        killTimer = setTimeout(() => {
          for (const child of children) child.kill('SIGKILL');
        }, STOP_GRACE_MS);
      }
      settle();
    };
    const poll = setInterval(() => {
      if (hooks.shouldStop?.()) finish(null, false);
    }, STOP_POLL_MS);
    const launch = () => {
      if (ending) return;
      if (next >= batches.length) {
        if (children.size === 0) finish(null, true);
        return;
      }
      const batch = batches[next++];
      const indices = batch.map((run) => chosen.indexOf(run));
      const name = batch.length === 1 ? batch[0].name : `${batch[0].name} (+${batch.length - 1} seeds)`;
      const child = fork(join(PROJECT_ROOT, 'bin', 'distill-lab.js'), childArguments(pipeline, batch), {
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        env: {
          ...threadShare(jobs),
          ...process.env,
          DISTILL_LAB_QUIET: '1',
          [PARENT_PID_ENV]: String(process.pid),
          [PARENT_COMMAND_ENV]: hooks.command ?? '',
        },
      });
      children.add(child);
      // The child's error output: passed on line by line, and its last lines kept for the message of a failure.
      const errors = new LineTail();
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (text: string) => {
        for (const line of errors.push(text)) log(`  ${name}: ${line}`);
      });
      // Each run's result, by its place in the batch; a message about a run the batch does not hold is ignored.
      const results: ((RunMessage & { type: 'result' }) | undefined)[] = batch.map(() => undefined);
      child.on('message', (message: RunMessage) => {
        if (!(Number.isInteger(message.run) && message.run >= 0 && message.run < batch.length)) return;
        const run = batch[message.run];
        const index = indices[message.run];
        if (message.type === 'progress') hooks.onRunProgress?.(index, chosen.length, run, message.progress);
        else if (message.type === 'evaluation') hooks.onRunEvaluation?.(index, chosen.length, run, message.meanPercent);
        else results[message.run] = message;
      });
      let ended = false;
      const end = (code: number | null, signal: NodeJS.Signals | null, spawnError?: Error) => {
        if (ended) return;
        ended = true;
        children.delete(child);
        for (const line of errors.end()) log(`  ${name}: ${line}`);
        // A child killed before it released its runs' locks (each lock names its PID): release them for it.
        if (child.pid !== undefined) for (const run of batch) releaseLockOf(distillRunDirectory(run), child.pid);
        if (ending) {
          settle();
          return;
        }
        if (spawnError) {
          finish(new Error(`distillation run ${name} could not start: ${spawnError.message}`), false);
          return;
        }
        if (results.some((outcome) => outcome === undefined)) {
          finish(childFailure(name, code, signal, errors.lines), false);
          return;
        }
        for (const outcome of results as (RunMessage & { type: 'result' })[]) {
          if (outcome.skipped) skipped++;
          else trained++;
          if (outcome.finished) hooks.onRunEnd?.(indices[outcome.run], chosen.length, batch[outcome.run]);
        }
        if (results.some((outcome) => !outcome?.finished)) finish(null, false);
        else launch();
      };
      // 'close' comes after the child's error output is read to its end.
      child.on('close', (code, signal) => end(code, signal));
      child.on('error', (error) => {
        if (child.pid === undefined) end(null, null, error); // never started: no 'close' follows
      });
    };
    const perChild = pipeline.seedBatch > 1 ? ` (seed batches of up to ${pipeline.seedBatch} runs)` : '';
    hooks.log?.(`  ${chosen.length} runs, ${Math.min(jobs, batches.length)} at a time in child processes${perChild}`);
    for (let j = 0; j < jobs; j++) launch();
  });
}
