/**
 * The `reproduce` command: `distill-lab reproduce --suite minatar --preset quick` runs the whole pipeline
 * with a progress bar per run in training, resumes after a kill (Ctrl-C stops at once; the same command
 * continues) and ends by printing where the tables and figures are. `distill-run` (hidden) is the child
 * process that trains one run for `--jobs`. Registered on the program by src/cli.ts.
 */
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { MultiBar, type SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { isPresetName, PRESET_NAMES, type PresetName } from '../experiments/preset-env';
import { parseOverride, SUITES, type Suite } from '../experiments/teacher-config';
import { displayPath } from '../util/paths';
import { PROGRESS_EVERY } from './distiller';
import { findRun, type RunMessage } from './parallel-runs';
import { variantName } from './presets';
import { preparePipeline, reproduce } from './reproduce';
import { runDistillation } from './run';

interface ReproduceFlags {
  suite: string;
  preset: string;
  set: string[];
  games?: string;
  teachers?: string;
  figures: boolean;
  jobs: string;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

async function runReproduce(flags: ReproduceFlags, argv: readonly string[]): Promise<void> {
  if (!(SUITES as readonly string[]).includes(flags.suite)) {
    throw new RangeError(`unknown suite '${flags.suite}': expected one of ${SUITES.join(', ')}`);
  }
  if (!isPresetName(flags.preset))
    throw new RangeError(`unknown preset '${flags.preset}': expected one of ${PRESET_NAMES.join(', ')}`);
  const jobs = Number(flags.jobs);
  if (!(Number.isInteger(jobs) && jobs >= 1)) throw new RangeError(`--jobs ${flags.jobs} is not an integer >= 1`);
  let stop = false;
  const interrupt = () => {
    stop = true;
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  const bars = new MultiBar({
    format: '{name} {bar} {value}/{total} updates | ε {eps}',
    barsize: 24,
    hideCursor: true,
  });
  const running = new Map<number, SingleBar>();
  const log = (line: string) => {
    if (running.size > 0) bars.log(`${line}\n`);
    else process.stdout.write(`${line}\n`);
  };
  try {
    const result = await reproduce({
      suite: flags.suite as Suite,
      preset: flags.preset as PresetName,
      overrides: flags.set.map(parseOverride),
      games: flags.games?.split(','),
      teachersRoot: flags.teachers,
      figures: flags.figures,
      jobs,
      command: ['distill-lab', ...argv.slice(2)].join(' '),
      log,
      onRunProgress: (index, count, run, p) => {
        const name = `run ${index + 1}/${count} ${variantName(run.variant, run.seed)}`;
        if (!process.stdout.isTTY) {
          // No terminal to redraw bars in (a log file, CI): a line at every tenth of a run.
          const tenth = Math.max(1, Math.floor(p.totalUpdates / 10));
          if (p.updates % tenth < PROGRESS_EVERY || p.updates === p.totalUpdates)
            log(`${name}: ${p.updates}/${p.totalUpdates} updates, ε ${p.epsilon.toFixed(3)}`);
          return;
        }
        const values = { name: name.padEnd(40), eps: p.epsilon.toFixed(3) };
        const bar = running.get(index) ?? bars.create(p.totalUpdates, 0, values);
        running.set(index, bar);
        bar.update(p.updates, values);
        if (p.updates >= p.totalUpdates) {
          bars.remove(bar);
          running.delete(index);
        }
      },
      shouldStop: () => stop,
    });
    bars.stop();
    running.clear();
    if (!result.finished) {
      process.stdout.write('stopped; run the same command again to resume\n');
      process.exitCode = 130;
      return;
    }
    const folders = (paths: readonly string[]) => [...new Set(paths.map((p) => displayPath(dirname(p))))].join(', ');
    const figures = result.figures.filter((f) => f.endsWith('.png'));
    process.stdout.write(
      `done: ${result.trained} runs trained, ${result.skipped} already done\n` +
        `tables: ${folders(result.tables)}\n` +
        (figures.length > 0
          ? `figures: ${figures.length} (PNG, SVG and interactive HTML each) in ${folders(figures)}\n`
          : ''),
    );
  } finally {
    process.removeListener('SIGINT', interrupt);
    process.removeListener('SIGTERM', interrupt);
  }
}

/** Adds `reproduce` to the program. */
export function registerReproduceCommand(cli: Command, argv: readonly string[]): void {
  cli
    .command('reproduce')
    .description("run the paper's experiments from the teachers: value ranges, distillation runs, tables, figures")
    .option('--suite <suite>', `game suite: ${SUITES.join(' | ')}`, 'minatar')
    .option('--preset <preset>', `budget: ${PRESET_NAMES.join(' | ')}`, 'quick')
    .option('--set <key=value>', 'override a value of every run, e.g. --set tau=0.1', collect, [])
    .option('--games <list>', 'comma-separated subset of the suite (default: all)')
    .option('--teachers <dir>', 'folder holding GAME/teacher.dlck (default: the shipped teachers)')
    .option('--no-figures', 'skip the PNG/SVG/HTML export (needs Chromium)')
    .option('--jobs <n>', 'runs trained at once, one child process each', String(availableParallelism()))
    .action((flags: ReproduceFlags) => runReproduce(flags, argv));
  cli
    .command('distill-run', { hidden: true })
    .description('train one run of a reproduce plan (the child process of reproduce --jobs)')
    .requiredOption('--suite <suite>')
    .requiredOption('--preset <preset>')
    .requiredOption('--run <name>')
    .option('--games <list>')
    .option('--teachers <dir>')
    .option('--set-json <object>', 'an override as JSON', collect, [])
    .action((flags: DistillRunFlags) => runOne(flags, argv));
}

interface DistillRunFlags {
  suite: Suite;
  preset: PresetName;
  run: string;
  games?: string;
  teachers?: string;
  setJson: string[];
}

/** One run of the plan, reporting to the parent process (if any) over IPC; a kill leaves its checkpoint. */
function runOne(flags: DistillRunFlags, argv: readonly string[]): void {
  const send = (message: RunMessage) => process.send?.(message);
  const pipeline = preparePipeline({
    suite: flags.suite,
    preset: flags.preset,
    overrides: flags.setJson.map((o) => JSON.parse(o) as Record<string, unknown>),
    games: flags.games?.split(','),
    teachersRoot: flags.teachers,
  });
  const index = findRun(pipeline, flags.run);
  const result = runDistillation(pipeline.runs[index], pipeline.configs[index], pipeline.teachers, pipeline.games, {
    command: ['distill-lab', ...argv.slice(2)].join(' '),
    hooks: { onProgress: (progress) => send({ type: 'progress', progress }) },
  });
  send({ type: 'result', skipped: result.skipped, finished: result.finished });
}
