/**
 * `reproduce --cluster ADDRESS`: stage 2 on a Ray cluster. Each run of the plan becomes one Ray job (Jobs REST
 * API, `ray-jobs.ts`) whose entrypoint is the command a `--jobs` child runs, `distill-lab distill-run --run-json
 * RUN --games … [--teachers DIR]`, in the distill-lab checkout on the node (`--cluster-root`, default this one's
 * path), with `DISTILL_LAB_DATA_DIR` set to the shared storage folder (`--storage`, default this machine's data
 * folder: enough when the cluster is this machine). Stage 1 (value ranges), the tables and figures stay in this
 * process, which reads and writes the same storage folder. Each job holds `--cpus-per-run` CPUs (TensorFlow's
 * thread pool is sized to them) and `--gpus-per-run` GPUs; Ray places and queues the jobs, and this process keeps
 * at most `--jobs` of them submitted (default: as many as the cluster's nodes hold at once), so that none waits
 * past Ray's start time-out.
 *
 * Before anything is written: the address answers (`GET /api/version`), some node can hold a run's resources
 * (`GET /api/v0/nodes`), and a probe job sees the checkout, Node and the storage folder this process wrote to.
 * Finished runs (done.json) are skipped; a run whose job was stopped or killed is submitted again by the next
 * `reproduce --cluster` and resumes from its checkpoint. A job that fails does not stop the others: at the end the
 * command fails naming each unfinished run with the last lines of its log. Each submission is recorded beside the
 * runs (`cluster-jobs/RUN.json`), so that `distill-lab status` finds the jobs and a second `reproduce` follows
 * jobs still running instead of submitting them twice.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { replayBytesPerExperience } from '../../distill/config';
import { writeFilesAtomically } from '../../util/atomic-write';
import { dataFolder, PROJECT_ROOT } from '../../util/paths';
import { LOCK_FILE, readLockHolder } from '../../util/run-lock';
import type { Suite } from '../common/suites';
import { childArguments, PARENT_COMMAND_ENV } from '../reproduce/parallel-runs';
import type { Pipeline, TrainHooks, TrainSummary } from '../reproduce/pipeline';
import { stageDirectory } from '../reproduce/reproduce';
import { checkpointUpdates, distillRunDirectory, isRunDone, type PlannedRun } from '../reproduce/run';
import { JOB_VIA_ENV, parseJobLog, readableLogLine } from './job-log';
import {
  ClusterError,
  checkCapacity,
  gibibytes,
  jobEndMessage,
  logTail,
  type RayJobInfo,
  type RayJobStatus,
  RayJobsClient,
  type RayNode,
  shellQuote,
  TERMINAL_STATES,
} from './ray-jobs';

/** Where and how the runs go to the cluster, checked (`clusterSettings`). */
export interface ClusterSettings {
  /** The address as given, for messages. */
  readonly address: string;
  /** The shared folder the jobs use as their data folder (absolute). */
  readonly storage: string;
  /** The distill-lab checkout on the nodes (absolute). */
  readonly root: string;
  /** The Node executable on the nodes. */
  readonly node: string;
  readonly cpusPerRun: number;
  readonly gpusPerRun: number;
  /** Jobs submitted at once; null: as many as the cluster holds at once. */
  readonly jobs: number | null;
}

/** The flags the cluster commands share. */
export interface ClusterFlags {
  readonly cluster?: string;
  readonly storage?: string;
  readonly clusterRoot?: string;
  readonly cpusPerRun?: string;
  readonly gpusPerRun?: string;
}

/** Lines of a failed job's log shown with its failure (and by `status`). */
export const FAILURE_TAIL_LINES = 12;
const POLL_MS = 1_000;
/** A running job's log is read at most this often (its progress lines). */
const LOG_POLL_MS = 3_000;
/** How long the cluster may stay unreachable while jobs run before this process gives up following them. */
const LOST_AFTER_MS = 120_000;
/** How long stopped jobs may take to end. */
const STOP_WAIT_MS = 30_000;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** CPUs a run asks for when `--cpus-per-run` is not given: Atari's Nature-DQN shapes run faster on two threads. */
export function defaultCpusPerRun(suite: Suite): number {
  return suite === 'atari' ? 2 : 1;
}

/**
 * The cluster settings the flags ask for, every value checked (null without `--cluster`; the cluster-only flags
 * are refused then). `--storage` also becomes this process's data folder (DISTILL_LAB_DATA_DIR), set by the
 * caller before anything reads or writes a run (`applyStorage`).
 */
export function clusterSettings(flags: ClusterFlags, suite: Suite, jobs: number | null): ClusterSettings | null {
  if (flags.cluster === undefined) {
    const stray = (['clusterRoot', 'cpusPerRun', 'gpusPerRun'] as const).find((key) => flags[key] !== undefined);
    if (stray !== undefined) {
      const flag = `--${stray.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      throw new RangeError(`${flag} ${flags[stray]} asks the Ray cluster for something: it needs --cluster ADDRESS`);
    }
    return null;
  }
  const cpus = flags.cpusPerRun === undefined ? defaultCpusPerRun(suite) : Number(flags.cpusPerRun);
  if (!(Number.isInteger(cpus) && cpus >= 1 && cpus <= 1024))
    throw new RangeError(`--cpus-per-run ${flags.cpusPerRun} is not an integer in [1, 1024]`);
  const gpus = flags.gpusPerRun === undefined ? 0 : Number(flags.gpusPerRun);
  if (!(Number.isFinite(gpus) && gpus >= 0 && gpus <= 64) || flags.gpusPerRun?.trim() === '')
    throw new RangeError(
      `--gpus-per-run ${flags.gpusPerRun} is not a number in [0, 64] (a fraction such as 0.25 shares a GPU)`,
    );
  const root = resolve(flags.clusterRoot ?? PROJECT_ROOT);
  return {
    address: flags.cluster,
    storage: resolve(flags.storage ?? dataFolder()),
    root,
    // This machine's Node where the checkout is this one; elsewhere the nodes' own.
    node: root === PROJECT_ROOT ? process.execPath : 'node',
    cpusPerRun: cpus,
    gpusPerRun: gpus,
    jobs,
  };
}

/** `--storage DIR` as this process's data folder: runs, value ranges and tables are read and written there. */
export function applyStorage(storage: string | undefined): void {
  if (storage !== undefined) process.env.DISTILL_LAB_DATA_DIR = resolve(storage);
}

/** A cluster that passed the checks: its client, and how many runs it holds at once. */
export interface ConnectedCluster {
  readonly client: RayJobsClient;
  readonly settings: ClusterSettings;
  readonly rayVersion: string;
  /** Its alive nodes when it was checked. */
  readonly nodes: readonly RayNode[];
  /** The RAM of its largest node: what a run's replay memories are checked against. */
  readonly largestRam: number;
  /** Runs that fit on the cluster's nodes at once. */
  readonly capacity: number;
  /** Jobs kept submitted at once: `--jobs`, else the capacity. */
  readonly inFlight: number;
}

/**
 * The checks before anything is submitted: the address answers, some node holds a run's CPUs and GPUs, and a
 * probe job finds the checkout, Node, the teachers and the storage folder this process wrote to.
 */
export async function connectCluster(
  settings: ClusterSettings,
  log: (line: string) => void,
  teachersRoot?: string,
  options: { probe: boolean } = { probe: true },
): Promise<ConnectedCluster> {
  const client = new RayJobsClient(settings.address);
  const rayVersion = await client.version();
  const alive = (await waitForNodes(client)).filter((n) => n.alive);
  const capacity = checkCapacity(client.url, alive, { cpus: settings.cpusPerRun, gpus: settings.gpusPerRun });
  log(
    `Ray ${rayVersion} cluster at ${client.url}: ${alive.length} node${alive.length === 1 ? '' : 's'}, ` +
      `${alive.reduce((s, n) => s + n.cpus, 0)} CPUs, ${alive.reduce((s, n) => s + n.gpus, 0)} GPUs; ` +
      `${capacity} runs fit at once (${resourcesText(settings)} each)`,
  );
  if (options.probe) await probe(client, settings, log, teachersRoot);
  const largestRam = alive.reduce((most, n) => Math.max(most, n.ram), 0);
  return { client, settings, rayVersion, nodes: alive, largestRam, capacity, inFlight: settings.jobs ?? capacity };
}

/** What a run holds besides its replay memories (TensorFlow, the networks, Node): an allowance, not a measurement. */
const RUN_BASE_BYTES = 2 ** 30;

/** The memory a run of `pipeline` asks Ray for: its replay memories (the same estimate as the local check) and a base. */
export function runMemoryBytes(pipeline: Pipeline, run: PlannedRun): number {
  const replay = pipeline.games.reduce(
    (sum, game) => sum + replayBytesPerExperience(run.config, game.spec) * run.config.memoryCapacity,
    0,
  );
  return RUN_BASE_BYTES + replay;
}

/** The alive nodes, waiting a little for a head that has just started to register its own. */
async function waitForNodes(client: RayJobsClient) {
  for (let attempt = 0; ; attempt++) {
    const nodes = await client.nodes();
    if (nodes.some((n) => n.alive) || attempt >= 15) return nodes;
    await sleep(1_000);
  }
}

function resourcesText(settings: ClusterSettings): string {
  const cpus = `${settings.cpusPerRun} CPU${settings.cpusPerRun === 1 ? '' : 's'}`;
  return settings.gpusPerRun > 0 ? `${cpus}, ${settings.gpusPerRun} GPU${settings.gpusPerRun === 1 ? '' : 's'}` : cpus;
}

/** A job's id: what it runs and when, unique per submission (Ray refuses an id twice). */
function submissionId(label: string): string {
  return `distill-lab-${label}-${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
}

/** `… probe failed: WHY` as the probe writes it. */
const PROBE_FAILED = 'distill-lab probe failed: ';

/** Runs a tiny job where runs will run: does the node see what a run needs, where this process put it? */
async function probe(
  client: RayJobsClient,
  settings: ClusterSettings,
  log: (line: string) => void,
  teachersRoot?: string,
): Promise<void> {
  const id = randomBytes(6).toString('hex');
  const marker = join(settings.storage, '.cluster-probe', `${id}.txt`);
  writeFilesAtomically([{ path: marker, content: `${id}\n` }]);
  const { root, storage, node } = settings;
  const checks: [string, string][] = [
    [`cd ${shellQuote(root)}`, `the node has no folder ${root}: --cluster-root names the distill-lab checkout there`],
    [
      'test -f bin/distill-lab.js',
      `${root} on the node is not a distill-lab checkout (no bin/distill-lab.js): --cluster-root names the checkout there`,
    ],
    [
      `${shellQuote(node)} -e 0`,
      `'${node}' does not run on the node: install Node ≥ 20.19 there and run setup in its checkout`,
    ],
    [
      `test -f ${shellQuote(marker)}`,
      `the node does not see the storage folder ${storage} as this machine does (a file written here is missing there): ` +
        '--storage must name a folder that this machine and every node share, at the same path',
    ],
    [`test -w ${shellQuote(storage)}`, `the storage folder ${storage} is not writable on the node`],
    ...(teachersRoot === undefined
      ? []
      : ([
          [
            `test -d ${shellQuote(resolve(teachersRoot))}`,
            `the node does not see the teachers folder ${resolve(teachersRoot)}: put it in the storage folder`,
          ],
        ] as [string, string][])),
  ];
  const entrypoint = [
    ...checks.map(([test, why]) => `${test} || { echo ${shellQuote(PROBE_FAILED + why)}; exit 3; }`),
    'echo distill-lab probe: ok',
  ].join('; ');
  const job = submissionId(`probe-${id}`);
  try {
    await client.submit({
      submissionId: job,
      entrypoint,
      cpus: settings.cpusPerRun,
      gpus: settings.gpusPerRun,
      memory: 0,
      envVars: {},
      metadata: { 'distill-lab': 'probe' },
    });
    let waited = 0;
    let info: RayJobInfo;
    for (;;) {
      info = await client.info(job);
      if (TERMINAL_STATES.includes(info.status)) break;
      await sleep(500);
      waited += 500;
      if (waited === 60_000)
        log(`the probe job ${job} has waited a minute for ${resourcesText(settings)} on the cluster`);
    }
    if (info.status === 'SUCCEEDED') return;
    const logs = await client.logs(job);
    const failed = logs.split('\n').find((line) => line.startsWith(PROBE_FAILED));
    if (failed) throw new ClusterError(`the Ray cluster at ${client.url}: ${failed.slice(PROBE_FAILED.length)}`);
    throw new ClusterError(
      `the probe job ${job} on the Ray cluster at ${client.url} ended ${info.status} (${jobEndMessage(info)}); ` +
        `last lines of its log:\n  ${logTail(logs, FAILURE_TAIL_LINES, readableLogLine).join('\n  ')}`,
    );
  } finally {
    rmSync(marker, { force: true });
    try {
      rmdirSync(dirname(marker)); // when no other probe uses it
    } catch {
      // another probe's marker is there
    }
  }
}

/** The environment of a job: the storage folder as its data folder, its TensorFlow threads, no terminal noise. */
export function jobEnvironment(settings: ClusterSettings, command?: string, via?: string): Record<string, string> {
  const passed = ['DISTILL_LAB_BACKEND', 'DISTILL_LAB_GRAPHS', 'DISTILL_LAB_NATIVE_LOGS'].filter(
    (name) => process.env[name] !== undefined,
  );
  return {
    TF_NUM_INTRAOP_THREADS: process.env.TF_NUM_INTRAOP_THREADS ?? String(settings.cpusPerRun),
    TF_NUM_INTEROP_THREADS: process.env.TF_NUM_INTEROP_THREADS ?? '1',
    ...Object.fromEntries(passed.map((name) => [name, process.env[name] as string])),
    DISTILL_LAB_DATA_DIR: settings.storage,
    DISTILL_LAB_QUIET: '1',
    ...(command ? { [PARENT_COMMAND_ENV]: command } : {}),
    ...(via ? { [JOB_VIA_ENV]: via } : {}),
  };
}

/** The shell command line of a job: `distill-lab ARGS` in the checkout on the node, Node in the shell's place. */
export function jobEntrypoint(settings: ClusterSettings, args: readonly string[]): string {
  return `cd ${shellQuote(settings.root)} && exec ${[settings.node, 'bin/distill-lab.js', ...args].map(shellQuote).join(' ')}`;
}

/** The `distill-run` arguments of `run`, its teachers folder made absolute (the job starts in the checkout). */
export function runArguments(pipeline: Pipeline, run: PlannedRun): string[] {
  const args = childArguments(pipeline, [run]);
  const teachers = args.indexOf('--teachers');
  if (teachers >= 0) args[teachers + 1] = resolve(args[teachers + 1]);
  return args;
}

/** What a run's latest submission was, kept beside the runs (`cluster-jobs/RUN.json`). */
export interface JobRecord {
  readonly run: string;
  readonly cluster: string;
  readonly submissionId: string;
  readonly submitted: string;
  /** 'submitted', or the state the job ended in as this process saw it ('finished' when the run finished). */
  readonly status: RayJobStatus | 'submitted' | 'finished';
  readonly message?: string;
  /** The last lines of its log, when it ended without finishing the run. */
  readonly tail?: readonly string[];
}

export function jobRecordPath(run: PlannedRun): string {
  return join(stageDirectory(run.suite, run.preset), 'cluster-jobs', `${run.name}.json`);
}

export function readJobRecord(run: PlannedRun): JobRecord | null {
  const path = jobRecordPath(run);
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as JobRecord;
  } catch {
    return null; // unreadable: as if none (the job, if any, is then not followed)
  }
}

function writeJobRecord(run: PlannedRun, record: JobRecord): void {
  writeFilesAtomically([{ path: jobRecordPath(run), content: `${JSON.stringify(record, null, 2)}\n` }]);
}

/** The job's state, or null when the cluster does not know it (another cluster, or restarted). */
async function jobInfo(client: RayJobsClient, id: string): Promise<RayJobInfo | null> {
  try {
    return await client.info(id);
  } catch (error) {
    if (error instanceof ClusterError && / answered HTTP 404/.test(error.message)) return null;
    throw error;
  }
}

/**
 * Removes the lock a job's process left in its run's folder when it was killed, once the job is over: the lock
 * names the PID and host the job's log reported, which no live process can hold any more.
 */
function releaseDeadJobLock(run: PlannedRun, logs: string): void {
  const start = parseJobLog(logs).start;
  if (start === null) return;
  const folder = distillRunDirectory(run);
  const holder = readLockHolder(folder);
  if (holder !== null && holder !== 'unreadable' && holder.pid === start.pid && holder.host === start.host)
    rmSync(join(folder, LOCK_FILE), { force: true });
}

interface Active {
  readonly index: number;
  readonly run: PlannedRun;
  readonly id: string;
  readonly submitted: string;
  lastLogRead: number;
  updates: number;
  evaluationUpdates: number;
}

/**
 * Stage 2 on the cluster: the plan's runs as Ray jobs, `cluster.inFlight` submitted at a time, in the plan's
 * order. Resolves once every run finished (or was done already), or with `finished: false` when `hooks.shouldStop`
 * turned true (the submitted jobs are stopped; their runs keep their checkpoints). Rejects, once all the others
 * have ended, when runs did not finish, naming each with the last lines of its job's log.
 */
export async function trainRunsOnCluster(
  pipeline: Pipeline,
  cluster: ConnectedCluster,
  hooks: TrainHooks = {},
): Promise<TrainSummary> {
  const log = hooks.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const { client, settings } = cluster;
  const runs = pipeline.runs;
  const count = runs.length;
  // Each job also holds its memory, so that Ray never packs more runs on a node than its memory holds.
  const memory = runs.map((run) => runMemoryBytes(pipeline, run));
  const capacity = checkCapacity(client.url, cluster.nodes, {
    cpus: settings.cpusPerRun,
    gpus: settings.gpusPerRun,
    memory: Math.max(...memory),
  });
  const inFlight = settings.jobs ?? capacity;
  let trained = 0;
  let skipped = 0;
  const failures: string[] = [];
  const queue: number[] = [];
  const active = new Map<string, Active>();
  const follow = (index: number, id: string, submitted: string) =>
    active.set(id, { index, run: runs[index], id, submitted, lastLogRead: 0, updates: -1, evaluationUpdates: -1 });
  for (const [index, run] of runs.entries()) {
    if (isRunDone(run)) {
      skipped++;
      hooks.onRunEnd?.(index, count, run);
      continue;
    }
    // A job an earlier command submitted that still runs on this cluster is followed, not submitted twice.
    const record = readJobRecord(run);
    const earlier = record?.cluster === client.url ? await jobInfo(client, record.submissionId) : null;
    if (record && earlier && !TERMINAL_STATES.includes(earlier.status)) {
      log(`  ${run.name}: following its job ${record.submissionId}, ${earlier.status} since an earlier command`);
      follow(index, record.submissionId, record.submitted);
    } else queue.push(index);
  }
  if (queue.length + active.size > 0)
    log(
      `  ${queue.length + active.size} runs as Ray jobs on ${client.url} (${resourcesText(settings)} and up to ` +
        `${gibibytes(Math.max(...memory))} of memory each), up to ${inFlight} submitted at a time; data folder ${settings.storage}`,
    );
  const submit = async (index: number) => {
    const run = runs[index];
    const id = submissionId(run.name);
    await client.submit({
      submissionId: id,
      entrypoint: jobEntrypoint(settings, runArguments(pipeline, run)),
      cpus: settings.cpusPerRun,
      gpus: settings.gpusPerRun,
      memory: memory[index],
      envVars: jobEnvironment(settings, hooks.command, `Ray job ${id} on ${client.url}`),
      metadata: { 'distill-lab': 'distill-run', run: run.name, plan: `${run.suite}/${run.preset}` },
    });
    const submitted = new Date().toISOString();
    writeJobRecord(run, { run: run.name, cluster: client.url, submissionId: id, submitted, status: 'submitted' });
    follow(index, id, submitted);
  };
  const report = (job: Active, logs: string) => {
    const state = parseJobLog(logs);
    if (state.progress && state.progress.updates !== job.updates) {
      job.updates = state.progress.updates;
      hooks.onRunProgress?.(job.index, count, job.run, state.progress);
    }
    if (state.evaluation && state.evaluation.updates !== job.evaluationUpdates) {
      job.evaluationUpdates = state.evaluation.updates;
      hooks.onRunEvaluation?.(job.index, count, job.run, state.evaluation.meanPercent);
    }
  };
  const ended = async (job: Active, info: RayJobInfo) => {
    const { run } = job;
    const logs = await finalLogs(client, job.id); // (a cluster gone meanwhile: the job stays followed)
    active.delete(job.id);
    report(job, logs);
    releaseDeadJobLock(run, logs);
    const record = { run: run.name, cluster: client.url, submissionId: job.id, submitted: job.submitted };
    if (isRunDone(run)) {
      trained++;
      writeJobRecord(run, { ...record, status: 'finished' });
      hooks.onRunEnd?.(job.index, count, run);
      return;
    }
    if (info.status === 'FAILED' && info.error_type === 'JOB_SUPERVISOR_ACTOR_START_TIMEOUT') {
      log(`  ${run.name}: its job ${job.id} waited past Ray's start time-out for resources; submitted again`);
      queue.unshift(job.index);
      return;
    }
    const tail = logTail(logs, FAILURE_TAIL_LINES, readableLogLine);
    const how = info.status === 'SUCCEEDED' ? 'SUCCEEDED without finishing the run' : info.status;
    // The job's log says where it checkpointed; a kill can land before that line reaches the log, so the file decides.
    const resumes = parseJobLog(logs).checkpoint ?? checkpointUpdates(run);
    const message = `${jobEndMessage(info)}${resumes === null ? '' : `; it resumes from its checkpoint at update ${resumes}`}`;
    writeJobRecord(run, { ...record, status: info.status, message, tail });
    failures.push(
      `${run.name}: Ray job ${job.id} ended ${how} (${message}); last lines of its log:\n    ${tail.join('\n    ')}`,
    );
    log(`  ${run.name}: its job ${job.id} ended ${how} before the run finished (${message}); the other runs go on`);
  };
  let unreachableSince: number | null = null;
  while (queue.length > 0 || active.size > 0) {
    if (hooks.shouldStop?.()) {
      await stopJobs(client, [...active.keys()], log);
      return { finished: false, trained, skipped };
    }
    try {
      while (active.size < inFlight && queue.length > 0) await submit(queue.shift() as number);
      for (const job of [...active.values()]) {
        const info = await jobInfo(client, job.id);
        if (info === null) {
          // The cluster forgot the job (restarted): the run goes back to the queue, to resume from its checkpoint.
          active.delete(job.id);
          queue.unshift(job.index);
          log(`  ${job.run.name}: the cluster no longer knows its job ${job.id}; submitted again`);
        } else if (TERMINAL_STATES.includes(info.status)) await ended(job, info);
        else if (info.status === 'RUNNING' && Date.now() - job.lastLogRead >= LOG_POLL_MS) {
          job.lastLogRead = Date.now();
          report(job, await client.logs(job.id));
        }
      }
      unreachableSince = null;
    } catch (error) {
      if (!(error instanceof ClusterError)) throw error;
      unreachableSince ??= Date.now();
      if (Date.now() - unreachableSince > LOST_AFTER_MS)
        throw new ClusterError(
          `${error.message}\nfor ${LOST_AFTER_MS / 1000} s; the jobs submitted may still run there: ` +
            'the same command again follows them, and distill-lab status shows them',
        );
    }
    await sleep(POLL_MS);
  }
  if (failures.length > 0)
    throw new Error(
      `${failures.length} of the plan's ${count} runs did not finish on the cluster (the others did):\n  ` +
        `${failures.join('\n  ')}\n` +
        'run the same command again to submit them again: finished runs are skipped, and each of these resumes ' +
        'from its last checkpoint (distill-lab status shows every run)',
    );
  return { finished: true, trained, skipped };
}

/**
 * A job's log once it has ended: Ray may mark the job ended before the last lines of its output reach the log
 * (its error message among them), so the log is read until it stops growing (a few seconds at most).
 */
async function finalLogs(client: RayJobsClient, id: string): Promise<string> {
  let logs = await client.logs(id);
  for (let attempt = 0; attempt < 5; attempt++) {
    await sleep(1_000);
    const again = await client.logs(id);
    if (again.length === logs.length) break;
    logs = again;
  }
  return logs;
}

/** Asks Ray to stop `ids` and waits (a while) until they have ended: their runs keep their checkpoints. */
export async function stopJobs(client: RayJobsClient, ids: readonly string[], log: (line: string) => void) {
  if (ids.length === 0) return;
  log(
    `stopping ${ids.length} Ray job${ids.length === 1 ? '' : 's'} on ${client.url}; their runs keep their checkpoints`,
  );
  for (const id of ids) await client.stop(id).catch(() => false);
  const deadline = Date.now() + STOP_WAIT_MS;
  for (const id of ids) {
    while (Date.now() < deadline) {
      const info = await jobInfo(client, id).catch(() => null);
      if (info === null || TERMINAL_STATES.includes(info.status)) break;
      await sleep(500);
    }
  }
}

/**
 * One command (`teach …`) as a Ray job, followed to its end: its log is printed as it grows, Ctrl-C stops the job
 * (a teacher run keeps its checkpoint: the same command with --resume continues it). Rejects when the job does not
 * succeed, with its state and the last lines of its log.
 */
export async function runCommandOnCluster(
  cluster: ConnectedCluster,
  args: readonly string[],
  label: string,
  write: (text: string) => void,
  command: string,
): Promise<void> {
  const { client, settings } = cluster;
  const id = submissionId(label);
  await client.submit({
    submissionId: id,
    entrypoint: jobEntrypoint(settings, args),
    cpus: settings.cpusPerRun,
    gpus: settings.gpusPerRun,
    memory: 0,
    envVars: jobEnvironment(settings, command),
    metadata: { 'distill-lab': args[0] ?? 'command', run: label },
  });
  write(`submitted as Ray job ${id} to ${client.url} (${resourcesText(settings)}); data folder ${settings.storage}\n`);
  let stop = false;
  const interrupt = () => {
    stop = true;
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  let shown = 0;
  try {
    for (;;) {
      if (stop) {
        await stopJobs(client, [id], (line) => write(`${line}\n`));
        stop = false;
      }
      const info = await client.info(id);
      const ended = TERMINAL_STATES.includes(info.status);
      const logs = ended ? await finalLogs(client, id) : await client.logs(id);
      if (logs.length > shown) {
        write(logs.slice(shown));
        shown = logs.length;
      }
      if (ended) {
        if (info.status === 'SUCCEEDED') return;
        throw new Error(
          `Ray job ${id} ended ${info.status} (${jobEndMessage(info)}); last lines of its log:\n  ` +
            logTail(logs, FAILURE_TAIL_LINES, readableLogLine).join('\n  '),
        );
      }
      await sleep(POLL_MS);
    }
  } finally {
    process.removeListener('SIGINT', interrupt);
    process.removeListener('SIGTERM', interrupt);
  }
}
