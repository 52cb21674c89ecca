/**
 * The `reproduce` command: `distill-lab reproduce --suite minatar --preset quick` runs the whole pipeline
 * with one progress line, resumes after a kill (Ctrl-C stops at once; the same command continues) and
 * ends by printing where the tables and figures are. Registered on the program by src/cli.ts.
 */
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { isPresetName, PRESET_NAMES, type PresetName } from '../experiments/preset-env';
import { parseOverride, SUITES, type Suite } from '../experiments/teacher-config';
import { displayPath } from '../util/paths';
import { variantName } from './presets';
import { reproduce } from './reproduce';

interface ReproduceFlags {
  suite: string;
  preset: string;
  set: string[];
  games?: string;
  teachers?: string;
  figures: boolean;
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
  let stop = false;
  const interrupt = () => {
    stop = true;
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  const bar = new SingleBar({
    format: 'run {run}/{runs} {name} {bar} {value}/{total} updates | ε {eps}',
    barsize: 24,
    hideCursor: true,
  });
  let barRun = -1;
  const log = (line: string) => {
    if (barRun >= 0) {
      bar.stop();
      barRun = -1;
    }
    process.stdout.write(`${line}\n`);
  };
  try {
    const result = await reproduce({
      suite: flags.suite as Suite,
      preset: flags.preset as PresetName,
      overrides: flags.set.map(parseOverride),
      games: flags.games?.split(','),
      teachersRoot: flags.teachers,
      figures: flags.figures,
      command: ['distill-lab', ...argv.slice(2)].join(' '),
      log,
      onRunProgress: (index, count, run, p) => {
        const values = {
          run: index + 1,
          runs: count,
          name: variantName(run.variant, run.seed),
          eps: p.epsilon.toFixed(3),
        };
        if (barRun !== index) {
          if (barRun >= 0) bar.stop();
          bar.start(p.totalUpdates, p.updates, values);
          barRun = index;
        } else bar.update(p.updates, values);
      },
      shouldStop: () => stop,
    });
    if (barRun >= 0) bar.stop();
    if (!result.finished) {
      process.exitCode = 130;
      return;
    }
    const figures = result.figures.filter((f) => f.endsWith('.png'));
    process.stdout.write(
      `done: ${result.trained} runs trained, ${result.skipped} already done\n` +
        `tables: ${[...new Set(result.tables.map((t) => displayPath(t).replace(/\/[^/]*$/, '')))].join(', ')}\n` +
        (figures.length > 0 ? `figures (PNG, SVG, HTML): ${figures.map((f) => displayPath(f)).join(', ')}\n` : ''),
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
    .action((flags: ReproduceFlags) => runReproduce(flags, argv));
}
