/**
 * `distill-lab status`: every run of a plan and where it stands, from its folder (done.json, its curve, its
 * checkpoint, the lock of a process training it here) and, for runs submitted to a Ray cluster, from the job
 * (`cluster-jobs/RUN.json`, then the cluster itself): queued, running with its progress, finished, stopped (it
 * resumes), failed with the last lines of its log.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readTable, tablePaths } from '../../tables';
import { isProcessAlive, readLockHolder } from '../../util/run-lock';
import {
  checkpointUpdates,
  DISTILL_CURVE_TABLE,
  distillRunDirectory,
  isRunDone,
  type PlannedRun,
} from '../reproduce/run';
import { FAILURE_TAIL_LINES, type JobRecord, readJobRecord } from './cluster-runs';
import { parseJobLog, readableLogLine } from './job-log';
import { ClusterError, jobEndMessage, logTail, RayJobsClient } from './ray-jobs';

export type RunState = 'finished' | 'running' | 'queued' | 'stopped' | 'failed';

/** One run's line of `status`. */
export interface RunStatus {
  readonly run: string;
  readonly state: RunState;
  /** Updates behind it (a running job's latest report, else its curve's last evaluation). */
  readonly updates: number;
  readonly totalUpdates: number;
  /** Mean % of teacher at its latest evaluation, or null before the first. */
  readonly percent: number | null;
  /** Where it runs or ran, and anything else worth a word. */
  readonly detail: string;
  /** The last lines of a failed run's log. */
  readonly tail: readonly string[];
}

/** The run's curve so far: the updates of its last evaluation and their mean % of teacher over the games. */
function curveSoFar(run: PlannedRun): { updates: number; percent: number | null } {
  const dir = distillRunDirectory(run);
  if (!existsSync(tablePaths(DISTILL_CURVE_TABLE, dir).arrow)) return { updates: 0, percent: null };
  const rows = readTable(DISTILL_CURVE_TABLE, ['updates', 'percent_of_teacher'], dir).objects() as {
    updates: number;
    percent_of_teacher: number | null;
  }[];
  const updates = rows.reduce((most, r) => Math.max(most, r.updates), 0);
  const last = rows.filter((r) => r.updates === updates && r.percent_of_teacher !== null);
  const percent =
    last.length === 0 ? null : last.reduce((sum, r) => sum + (r.percent_of_teacher as number), 0) / last.length;
  return { updates, percent };
}

/** A client for each cluster the records name (or `override`), made once; null where the address is bad. */
function clients(override: string | undefined) {
  const made = new Map<string, RayJobsClient | null>();
  return (address: string): RayJobsClient | null => {
    const key = override ?? address;
    if (!made.has(key)) {
      try {
        made.set(key, new RayJobsClient(key));
      } catch {
        made.set(key, null);
      }
    }
    return made.get(key) ?? null;
  };
}

/** The state of every run; `cluster` overrides the address recorded with each job. */
export async function planStatus(
  runs: readonly PlannedRun[],
  cluster?: string,
): Promise<{ statuses: RunStatus[]; unreachable: string[] }> {
  const clientFor = clients(cluster);
  const unreachable = new Set<string>();
  const statuses: RunStatus[] = [];
  for (const run of runs) {
    const total = run.config.totalUpdates;
    const curve = curveSoFar(run);
    const base = { run: run.name, totalUpdates: total, percent: curve.percent, tail: [] as string[] };
    if (isRunDone(run)) {
      statuses.push({ ...base, state: 'finished', updates: total, detail: '' });
      continue;
    }
    const record = readJobRecord(run);
    const client = record ? clientFor(record.cluster) : null;
    if (record && client && !unreachable.has(client.url)) {
      const status = await jobStatus(run, record, client, curve);
      if (status !== 'unreachable') {
        statuses.push(status);
        continue;
      }
      unreachable.add(client.url);
    }
    if (record && record.status !== 'submitted' && record.status !== 'finished') {
      statuses.push({
        ...base,
        state: record.status === 'STOPPED' ? 'stopped' : 'failed',
        updates: curve.updates,
        detail: `Ray job ${record.submissionId} ended ${record.status} (${record.message ?? 'no message'}; as last recorded)`,
        tail: record.tail ?? [],
      });
      continue;
    }
    const holder = readLockHolder(distillRunDirectory(run));
    const local = holder !== null && holder !== 'unreadable' && isProcessAlive(holder.pid);
    const checkpoint = existsSync(join(distillRunDirectory(run), 'checkpoint.dlck'));
    const state: RunState = local ? 'running' : record ? 'queued' : checkpoint ? 'stopped' : 'queued';
    const detail = local
      ? `PID ${holder.pid} on ${holder.host}`
      : record
        ? `Ray job ${record.submissionId} (cluster ${record.cluster} unreachable: state unknown)`
        : checkpoint
          ? `resumes from its checkpoint`
          : 'not started';
    statuses.push({ ...base, state, updates: curve.updates, detail });
  }
  return { statuses, unreachable: [...unreachable] };
}

async function jobStatus(
  run: PlannedRun,
  record: JobRecord,
  client: RayJobsClient,
  curve: { updates: number; percent: number | null },
): Promise<RunStatus | 'unreachable'> {
  const base = { run: run.name, totalUpdates: run.config.totalUpdates, percent: curve.percent };
  const job = `Ray job ${record.submissionId}`;
  try {
    const info = await client.info(record.submissionId);
    if (info.status === 'PENDING')
      return { ...base, state: 'queued', updates: curve.updates, detail: `${job} PENDING`, tail: [] };
    const logs = await client.logs(record.submissionId);
    const reported = parseJobLog(logs);
    const updates = Math.max(curve.updates, reported.progress?.updates ?? 0);
    const percent = reported.evaluation?.meanPercent ?? curve.percent;
    if (info.status === 'RUNNING') {
      const resumed = reported.resumedAt === null ? '' : `, resumed at update ${reported.resumedAt}`;
      return { ...base, percent, state: 'running', updates, detail: `${job} RUNNING${resumed}`, tail: [] };
    }
    const how = info.status === 'SUCCEEDED' ? 'SUCCEEDED without finishing the run' : info.status;
    // A kill can land before the checkpoint's line reaches the log: the file decides then.
    const resumes = reported.checkpoint ?? checkpointUpdates(run) ?? reported.resumedAt;
    return {
      ...base,
      percent,
      state: info.status === 'STOPPED' ? 'stopped' : 'failed',
      updates,
      detail:
        `${job} ended ${how} (${jobEndMessage(info)})` +
        (resumes === null ? '' : `; resumes from its checkpoint at update ${resumes}`),
      tail: logTail(logs, FAILURE_TAIL_LINES, readableLogLine),
    };
  } catch (error) {
    if (!(error instanceof ClusterError)) throw error;
    if (/ answered HTTP 404/.test(error.message))
      return {
        ...base,
        state: 'stopped',
        updates: curve.updates,
        detail: `${job} unknown to ${client.url} (the cluster was restarted?); the run resumes from its checkpoint`,
        tail: record.tail ?? [],
      };
    return 'unreachable';
  }
}

/** The lines `status` prints: a table of the runs, then each failed or stopped run's log tail. */
export function statusLines(statuses: readonly RunStatus[], unreachable: readonly string[]): string[] {
  const count = (state: RunState) => statuses.filter((s) => s.state === state).length;
  const lines = [
    `${statuses.length} runs: ${count('finished')} finished, ${count('running')} running, ${count('queued')} queued, ` +
      `${count('stopped')} stopped, ${count('failed')} failed`,
    ...unreachable.map((url) => `the Ray cluster at ${url} is unreachable: its runs are shown as last recorded`),
    '',
    '| run | state | updates | % of teacher | where |',
    '| --- | --- | ---: | ---: | --- |',
    ...statuses.map(
      (s) =>
        `| ${s.run} | ${s.state} | ${s.updates}/${s.totalUpdates} | ${s.percent === null ? '–' : s.percent.toFixed(1)} | ${s.detail || '–'} |`,
    ),
  ];
  for (const s of statuses.filter((x) => x.tail.length > 0 && (x.state === 'failed' || x.state === 'stopped'))) {
    lines.push('', `${s.run} ${s.state}; last lines of its log:`, ...s.tail.map((l) => `  ${l}`));
  }
  return lines;
}
