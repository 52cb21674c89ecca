/**
 * `reproduce --plan`: every run of a plan with its resolved settings, whether it is done or part-trained, and
 * the time it would take at speeds measured on this machine (the wall-clock seconds that runs of the same
 * suite, student and sampler recorded in their curves), with its compute in CPU-hours and GPU-hours: those
 * seconds times the CPUs (TensorFlow threads) and GPUs the measured runs held, as their config.json records (a
 * run without that record counts as holding every core of this machine). Nothing is trained, measured or written.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { readTable, tablePaths } from '../../tables';
import { formatDuration } from '../../util/duration';
import { dataFolder } from '../../util/paths';
import type { Suite } from '../common/suites';
import { DISTILL_CURVE_TABLE, distillRunDirectory, isRunDone, type PlannedRun } from './run';

/** `value` as dotted keys and leaf values: { a: { b: 1 } } → [['a.b', 1]]. */
export function flattenSettings(value: unknown, prefix = ''): [string, unknown][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [[prefix, value]];
  return Object.entries(value).flatMap(([key, inner]) => flattenSettings(inner, prefix ? `${prefix}.${key}` : key));
}

/** The settings every run shares, and each run's own (keys whose values differ between runs). */
export function splitSettings(configs: readonly object[]): { shared: string[]; own: string[][] } {
  const flat = configs.map((c) => new Map(flattenSettings(c).map(([k, v]) => [k, JSON.stringify(v)])));
  const keys = [...new Set(flat.flatMap((f) => [...f.keys()]))];
  const varies = (key: string) => new Set(flat.map((f) => f.get(key))).size > 1;
  const show = (f: Map<string, string | undefined>, key: string) => `${key}=${f.get(key) ?? '–'}`;
  return {
    shared: keys.filter((k) => !varies(k)).map((k) => show(flat[0], k)),
    own: flat.map((f) =>
      keys
        .filter(varies)
        .filter((k) => f.has(k))
        .map((k) => show(f, k)),
    ),
  };
}

/** The speed key of a run: what its seconds per update depend on most. */
function speedKey(architecture: string, sampler: string, games: number): string {
  return `${architecture}/${sampler}/${games}`;
}

/** What runs of one kind measured: seconds per update, and the CPUs and GPUs the runs held meanwhile. */
export interface MeasuredRate {
  readonly secondsPerUpdate: number;
  readonly cpus: number;
  readonly gpus: number;
}

/** Seconds per update (acting and evaluations included) of every run with a curve under data/runs/distill/SUITE. */
export function measuredSpeeds(suite: Suite): Map<string, number> {
  return new Map([...measuredRates(suite)].map(([key, rate]) => [key, rate.secondsPerUpdate]));
}

/** The median seconds per update of each kind of run, with the CPUs and GPUs of the run that measured it. */
export function measuredRates(suite: Suite): Map<string, MeasuredRate> {
  const root = join(dataFolder(), 'runs', 'distill', suite);
  const samples = new Map<string, MeasuredRate[]>();
  if (!existsSync(root)) return new Map();
  for (const preset of readdirSync(root)) {
    const presetDir = join(root, preset);
    for (const name of existsSync(presetDir) ? readdirSync(presetDir) : []) {
      const dir = join(presetDir, name);
      const configPath = join(dir, 'config.json');
      if (!existsSync(configPath) || !existsSync(tablePaths(DISTILL_CURVE_TABLE, dir).arrow)) continue;
      const run = JSON.parse(readFileSync(configPath, 'utf8')) as Partial<PlannedRun> & {
        fingerprint?: { valueRanges?: unknown[] };
        runtime?: {
          backendKind?: string;
          threads?: { TF_NUM_INTRAOP_THREADS?: string | null };
          cores?: number;
          seedBatch?: number;
        };
      };
      const rows = readTable(DISTILL_CURVE_TABLE, ['updates', 'seconds', 'game'], dir).objects() as {
        updates: number;
        seconds: number;
      }[];
      const last = rows[rows.length - 1];
      if (!run.variant || !last || !(last.updates > 0 && last.seconds > 0)) continue;
      const games = run.fingerprint?.valueRanges?.length ?? 0;
      const key = speedKey(run.variant.architecture, run.variant.sampler, games);
      const threads = Number(run.runtime?.threads?.TF_NUM_INTRAOP_THREADS);
      const cpus = Number.isInteger(threads) && threads > 0 ? threads : (run.runtime?.cores ?? availableParallelism());
      const gpus = run.runtime?.backendKind === 'native-gpu' ? 1 : 0;
      // A run trained in a seed batch shared its process's time with the batch's other seeds.
      const secondsPerUpdate = last.seconds / last.updates / (run.runtime?.seedBatch ?? 1);
      samples.set(key, [...(samples.get(key) ?? []), { secondsPerUpdate, cpus, gpus }]);
    }
  }
  const median = (values: MeasuredRate[]) =>
    [...values].sort((a, b) => a.secondsPerUpdate - b.secondsPerUpdate)[Math.floor(values.length / 2)];
  return new Map([...samples].map(([key, values]) => [key, median(values)]));
}

/** Updates a run has behind it: all when done, its curve's last evaluation when part-trained, else 0. */
function updatesDone(run: PlannedRun): number {
  if (isRunDone(run)) return run.config.totalUpdates;
  const dir = distillRunDirectory(run);
  if (!existsSync(tablePaths(DISTILL_CURVE_TABLE, dir).arrow)) return 0;
  const rows = readTable(DISTILL_CURVE_TABLE, ['updates'], dir).objects() as { updates: number }[];
  return rows.reduce((most, r) => Math.max(most, r.updates), 0);
}

/** Hours with the digits that matter: 0.004, 0.25, 12.3, 1,234. */
function hours(value: number): string {
  if (value === 0) return '0';
  if (value < 0.01) return value.toPrecision(1);
  return value < 100 ? value.toPrecision(3) : Math.round(value).toLocaleString('en-US');
}

/** The lines `--plan` prints. */
export function planPreview(
  runs: readonly PlannedRun[],
  games: readonly string[],
  jobs: number,
  speeds: ReadonlyMap<string, MeasuredRate>,
): string[] {
  const { shared, own } = splitSettings(runs.map((r) => r.config));
  const lines = [
    `${runs.length} runs on ${games.join(', ')}; settings every run shares:`,
    `  ${shared.join(' ')}`,
    '',
    '| run | status | its own settings | projected | CPU-h | GPU-h |',
    '| --- | --- | --- | ---: | ---: | ---: |',
  ];
  let total = 0;
  let cpuHours = 0;
  let gpuHours = 0;
  let unmeasured = 0;
  runs.forEach((run, i) => {
    const done = updatesDone(run);
    const left = run.config.totalUpdates - done;
    const status =
      done === run.config.totalUpdates
        ? 'done'
        : done > 0
          ? `resumes at ${done}/${run.config.totalUpdates}`
          : 'to train';
    const rate = speeds.get(speedKey(run.variant.architecture, run.variant.sampler, games.length));
    let projected = '–';
    let compute = '– | –';
    if (left > 0 && rate === undefined) {
      unmeasured++;
      projected = 'unmeasured';
      compute = 'unmeasured | unmeasured';
    } else if (left > 0 && rate !== undefined) {
      const seconds = left * rate.secondsPerUpdate;
      total += seconds;
      cpuHours += (seconds * rate.cpus) / 3600;
      gpuHours += (seconds * rate.gpus) / 3600;
      projected = formatDuration(seconds);
      compute = `${hours((seconds * rate.cpus) / 3600)} | ${hours((seconds * rate.gpus) / 3600)}`;
    }
    lines.push(`| ${run.name} | ${status} | ${own[i].join(' ') || '–'} | ${projected} | ${compute} |`);
  });
  lines.push(
    '',
    `projected: ${formatDuration(total / jobs)} with ${jobs} runs at a time; compute ${hours(cpuHours)} CPU-hours, ` +
      `${hours(gpuHours)} GPU-hours (measured seconds per update × the CPUs and GPUs the measured runs held)` +
      (unmeasured > 0
        ? `, plus ${unmeasured} runs of variants never timed here (train one, e.g. --only with --seeds 1, to measure)`
        : ''),
  );
  return lines;
}
