/**
 * What a `distill-run` writes to its standard output when no `reproduce --jobs` parent listens over IPC (a Ray
 * job, or a run started by hand): one line per report, `@distill-lab TYPE {json}`, which the submitting
 * `reproduce --cluster` and `distill-lab status` read back from the job's log (`parseJobLog`), and a line in words
 * when the run was taken up from its checkpoint.
 */
import { hostname } from 'node:os';
import type { DistillProgress } from '../../distill/distiller';

/** How a run was started, for its commands.log (`Ray job ID on URL`), set in a job's environment. */
export const JOB_VIA_ENV = 'DISTILL_LAB_VIA';

/** The start of every machine-read line. */
export const JOB_LOG_MARK = '@distill-lab';

/** Where and as what the run's process runs: the lock of its folder names the same PID and host. */
export interface JobStart {
  readonly run: string;
  readonly pid: number;
  readonly host: string;
}

/** A run's latest evaluation: its mean % of teacher over the games. */
export interface JobEvaluation {
  readonly updates: number;
  readonly meanPercent: number;
}

/** Everything a job's log told so far. */
export interface JobLogState {
  readonly start: JobStart | null;
  readonly progress: DistillProgress | null;
  readonly evaluation: JobEvaluation | null;
  /** The update the run was taken up at from its checkpoint (null: started afresh, or not reported yet). */
  readonly resumedAt: number | null;
  /** The update of its latest checkpoint, where it resumes (null: none written by this job). */
  readonly checkpoint: number | null;
}

function line(type: string, value: unknown): string {
  return `${JOB_LOG_MARK} ${type} ${JSON.stringify(value)}`;
}

/** A progress line at least at every hundredth of a run, and at least this often. */
const PROGRESS_LINE_MS = 60_000;

/**
 * The hooks that report a run on `write` (its standard output), one line each: progress at every hundredth of
 * the run or every minute (whichever comes first; a long run's log stays small), every evaluation, every checkpoint.
 */
export function jobLogReporter(runName: string, write: (line: string) => void) {
  let reportedStart = false;
  let lastHundredth = -1;
  let lastLine = 0;
  return {
    start(): void {
      write(line('start', { run: runName, pid: process.pid, host: hostname() } satisfies JobStart));
    },
    progress(progress: DistillProgress): void {
      if (!reportedStart && progress.updatesAtStart > 0)
        write(
          `${runName}: resumed from its checkpoint at update ${progress.updatesAtStart} of ${progress.totalUpdates}`,
        );
      reportedStart = true;
      const hundredth = Math.floor((100 * progress.updates) / progress.totalUpdates);
      if (hundredth === lastHundredth && performance.now() - lastLine < PROGRESS_LINE_MS) return;
      lastHundredth = hundredth;
      lastLine = performance.now();
      write(line('progress', { ...progress, replay: null }));
    },
    evaluation(updates: number, meanPercent: number): void {
      write(line('evaluation', { updates, meanPercent } satisfies JobEvaluation));
    },
    checkpoint(updates: number): void {
      write(`${runName}: checkpoint at update ${updates}`);
    },
  };
}

/** The latest of each report in a job's log (lines that are not reports are passed over). */
export function parseJobLog(text: string): JobLogState {
  let start: JobStart | null = null;
  let progress: DistillProgress | null = null;
  let evaluation: JobEvaluation | null = null;
  let resumedAt: number | null = null;
  let checkpoint: number | null = null;
  for (const raw of text.split('\n')) {
    const resumed = / resumed from its checkpoint at update (\d+) of \d+$/.exec(raw);
    if (resumed) resumedAt = Number(resumed[1]);
    const saved = /: checkpoint at update (\d+)$/.exec(raw);
    if (saved) checkpoint = Number(saved[1]);
    if (!raw.startsWith(`${JOB_LOG_MARK} `)) continue;
    const rest = raw.slice(JOB_LOG_MARK.length + 1);
    const space = rest.indexOf(' ');
    if (space < 0) continue;
    let value: unknown;
    try {
      value = JSON.parse(rest.slice(space + 1));
    } catch {
      continue; // a line cut short (the log read while it was being written)
    }
    const type = rest.slice(0, space);
    if (type === 'start') start = value as JobStart;
    else if (type === 'progress') progress = value as DistillProgress;
    else if (type === 'evaluation') evaluation = value as JobEvaluation;
  }
  return { start, progress, evaluation, resumedAt, checkpoint };
}

/** Longest line of a log tail as shown. */
const SHOWN_LINE_LENGTH = 200;

/**
 * A log line as a person reads it: the reports in words (`progress: 50/120 updates`), anything longer than a
 * screen line cut (Ray's echo of the entrypoint holds the whole run configuration).
 */
export function readableLogLine(raw: string): string {
  let text = raw;
  if (raw.startsWith(`${JOB_LOG_MARK} `)) {
    const state = parseJobLog(raw);
    if (state.start) text = `started: PID ${state.start.pid} on ${state.start.host}`;
    else if (state.progress) text = `progress: ${state.progress.updates}/${state.progress.totalUpdates} updates`;
    else if (state.evaluation)
      text = `evaluation at update ${state.evaluation.updates}: ${state.evaluation.meanPercent.toFixed(1)} % of teacher`;
  }
  return text.length > SHOWN_LINE_LENGTH ? `${text.slice(0, SHOWN_LINE_LENGTH - 1)}…` : text;
}
