/**
 * The `distill-lab` command line: the same functions the notebooks call.
 *   distill-lab demo
 *   distill-lab teach --suite minatar --game breakout --preset quick --seed 0 [--resume] [--set key=value]… [--cluster HOST:8265]
 *   distill-lab teachers [--no-reevaluate]
 *   distill-lab evaluate-teacher --suite minatar --game breakout --teacher-dir DIR [--episodes 200] [--write]
 *   distill-lab teacher-seeds [--preset full] [--ship]
 *   distill-lab reproduce --suite minatar --preset quick [--cluster HOST:8265 --storage DIR]
 *   distill-lab status --suite minatar --preset quick [--storage DIR]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SingleBar } from 'cli-progress';
import { Command } from 'commander';
import { MINATAR_GAMES } from './env/minatar';
import { registerStatusCommand, runTeachOnCluster } from './experiments/cluster/cli';
import { applyStorage, clusterSettings } from './experiments/cluster/cluster-runs';
import { addClusterOptions } from './experiments/cluster/flags';
import { parseOverride } from './experiments/common/overrides';
import { PRESET_NAMES, type PresetName } from './experiments/common/preset-env';
import { SUITES, type Suite } from './experiments/common/suites';
import { registerReproduceCommand } from './experiments/reproduce/cli';
import {
  ALGORITHM_SOURCES,
  runTotalSteps,
  TEACHER_ALGORITHMS,
  type TeacherAlgorithm,
  teacherConfig,
} from './experiments/teach/teacher-config';
import { EVALUATION_FILE, evaluateTeacher, writeTeacherEvaluation } from './experiments/teach/teacher-evaluation';
import {
  finalProtocol,
  runDirectory,
  shippedTeacherDirectory,
  shipTeacher,
  TEACHER_FILE,
  teach,
} from './experiments/teach/teacher-run';
import { shippedTeacherScores } from './experiments/teach/teacher-scores';
import {
  finishedSeedRuns,
  TEACHER_CURVES_SCHEMA,
  TEACHER_CURVES_TABLE,
  TEACHER_SEEDS_SCHEMA,
  TEACHER_SEEDS_TABLE,
  teacherCurvesTable,
  teacherSeedsMarkdown,
  teacherSeedsTable,
} from './experiments/teach/teacher-seeds';
import { backendInfo } from './nn/tf';
import { writeTable } from './tables';
import { CORRIDOR_DQN, CORRIDOR_SPEC, CorridorEnv } from './train/corridor-env';
import { defaultUpdateRoute } from './train/dqn-agent';
import { DqnTrainer } from './train/dqn-trainer';
import { defaultPqnRoute } from './train/pqn-trainer';
import { loadTeacher } from './train/teacher-file';
import { envsFrom, type StepTiming, type TrainerProgress } from './train/trainer-common';
import { MAX_SEED } from './util/config-checks';
import { formatDuration } from './util/duration';
import { dataFolder, displayPath, tablesDir } from './util/paths';
import { stoppedExitCode, stopSignal, watchStopSignals } from './util/stop-signals';

/**
 * How far a run has come, with speeds over the last RATE_WINDOW progress reports: a redrawn bar on a
 * terminal; without one (a log file, CI), a line at every tenth of the run.
 */
class ProgressBar {
  private readonly bar: SingleBar | null;
  private readonly recent: { time: number; step: number; updates: number }[] = [];
  private static readonly RATE_WINDOW = 20;
  private tenthsLogged = 0;

  constructor(
    private readonly total: number,
    private readonly label: string,
  ) {
    this.bar = process.stdout.isTTY
      ? new SingleBar({
          format: `${label} {bar} {percentage}% | {value}/{total} steps | {sps} steps/s | {ups} updates/s | return {ret} | ε {eps} | left {left}`,
          barsize: 24,
          hideCursor: true,
          // The terminal test is on stdout: draw there (stderr may be the start-up noise guard's, not a TTY).
          stream: process.stdout,
        })
      : null;
    this.bar?.start(total, 0, { sps: '–', ups: '–', ret: '–', eps: '–', left: '–' });
  }

  update(p: TrainerProgress): void {
    this.recent.push({ time: performance.now(), step: p.step, updates: p.updates });
    if (this.recent.length > ProgressBar.RATE_WINDOW) this.recent.shift();
    const first = this.recent[0];
    const seconds = (performance.now() - first.time) / 1000;
    const stepsPerSecond = seconds > 0 ? (p.step - first.step) / seconds : Number.NaN;
    const updatesPerSecond = seconds > 0 ? (p.updates - first.updates) / seconds : Number.NaN;
    const rate = (value: number) => (Number.isFinite(value) ? value.toFixed(0) : '–');
    const values = {
      sps: rate(stepsPerSecond),
      ups: rate(updatesPerSecond),
      ret: p.recentReturn === null ? '–' : p.recentReturn.toFixed(2),
      eps: p.epsilon.toFixed(3),
      left: formatDuration((p.totalSteps - p.step) / stepsPerSecond),
    };
    if (this.bar) {
      this.bar.update(p.step, values);
      return;
    }
    const tenths = Math.floor((10 * p.step) / this.total);
    if (tenths <= this.tenthsLogged) return;
    this.tenthsLogged = tenths;
    process.stdout.write(
      `${this.label}: ${p.step}/${this.total} steps | ${values.sps} steps/s | ${values.ups} updates/s | ` +
        `return ${values.ret} | ε ${values.eps} | left ${values.left}\n`,
    );
  }

  stop(): void {
    this.bar?.stop();
  }
}

/** Where the time went, one line. */
export function timingSummary(timing: StepTiming): string {
  const parts = Object.entries(timing) as [keyof StepTiming, number][];
  const total = parts.reduce((a, [, v]) => a + v, 0);
  return parts.map(([k, v]) => `${k} ${v.toFixed(1)} s (${((100 * v) / total).toFixed(0)} %)`).join(', ');
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** A `--seed` flag, in the range every configuration's seed takes (MAX_SEED: the tables store seeds as int32). */
function parseSeed(value: string): number {
  const seed = Number(value);
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= MAX_SEED)) {
    throw new RangeError(`--seed ${value} is not an integer in [0, ${MAX_SEED}]`);
  }
  return seed;
}

interface TeachFlags {
  suite: string;
  game: string;
  algorithm?: string;
  preset: string;
  seed: string;
  resume?: boolean;
  set: string[];
  runDir?: string;
  ship?: boolean;
  cluster?: string;
  storage?: string;
  clusterRoot?: string;
  cpusPerRun?: string;
  gpusPerRun?: string;
}

function runTeach(flags: TeachFlags, argv: readonly string[]): Promise<void> | undefined {
  const config = teacherConfig(
    flags.suite,
    flags.game,
    flags.preset,
    parseSeed(flags.seed),
    flags.set.map(parseOverride),
    flags.algorithm,
  );
  // On a Ray cluster: the same command as a job, once every flag is checked here.
  if (flags.cluster !== undefined)
    return runTeachOnCluster(flags, argv, {
      suite: config.suite,
      label: `teach-${config.suite}-${config.game}-${config.algorithm}-${config.preset}-seed${parseSeed(flags.seed)}`,
    });
  clusterSettings(flags, config.suite, null); // refuses the cluster-only flags without --cluster
  applyStorage(flags.storage);
  const runDir = flags.runDir ?? runDirectory(config);
  const command = ['distill-lab', ...argv.slice(2)].join(' ');
  const route =
    config.algorithm === 'dqn' ? defaultUpdateRoute(config.dqn.network) : defaultPqnRoute(config.pqn.network);
  process.stdout.write(
    `backend: ${backendInfo.description}; algorithm: ${config.algorithm} (${ALGORITHM_SOURCES[config.algorithm]}); ` +
      `updates: ${route === 'graph' ? 'TensorFlow graph calls' : 'eager tfjs kernels'}\n` +
      `run: ${displayPath(runDir)}\n`,
  );
  const bar = new ProgressBar(runTotalSteps(config), `${config.suite}/${config.game}`);
  const started = performance.now();
  // SIGINT (Ctrl-C) or SIGTERM stops the run at its next step, as a kill would: the checkpoint stays.
  watchStopSignals();
  let result: ReturnType<typeof teach>;
  try {
    result = teach(config, {
      runDir,
      resume: flags.resume,
      command,
      shipTo: flags.ship ? shippedTeacherDirectory(config.suite, config.game) : undefined,
      hooks: {
        onProgress: (p) => bar.update(p),
        shouldStop: () => stopSignal() !== null,
      },
    });
  } finally {
    bar.stop();
  }
  const signal = stopSignal();
  if (!result.finished && signal !== null) {
    process.stdout.write(
      flags.resume
        ? 'stopped; run the same command again to resume\n'
        : 'stopped; run the same command with --resume to continue\n',
    );
    process.exitCode = stoppedExitCode(signal);
    return;
  }
  const seconds = (performance.now() - started) / 1000;
  const steps = result.step - result.startStep;
  const last = result.evaluations[result.evaluations.length - 1];
  process.stdout.write(
    `${steps} steps in ${seconds.toFixed(1)} s: ${(steps / seconds).toFixed(0)} steps/s overall\n` +
      `time: ${timingSummary(result.timing)}\n` +
      `learning curve: ${displayPath(`${runDir}/learning-curve.csv`)}; TensorBoard: ${displayPath(`${runDir}/tensorboard`)}` +
      (last ? ` (last evaluation at step ${last.step}: ${last.evalReturn ?? 'no finished episode'})` : '') +
      '\n',
  );
  if (result.teacherPath && result.evaluation) {
    const e = result.evaluation;
    const published = e.published.dqn5M === null ? '' : `; published DQN at 5 M frames ≈ ${e.published.dqn5M}`;
    process.stdout.write(
      `teacher: ${displayPath(result.teacherPath)}\nfinal evaluation (${e.episodes} episodes, seed ${e.protocol.seed}): ` +
        `mean return ${e.meanReturn.toFixed(2)} [95 % CI ${e.ci95[0].toFixed(2)}, ${e.ci95[1].toFixed(2)}]; ` +
        `random policy ${e.randomPolicyReturn.toFixed(2)}; without no-op starts ${e.withoutNoopStarts.meanReturn.toFixed(2)}${published}\n`,
    );
    if (flags.ship)
      process.stdout.write(`shipped to ${displayPath(shippedTeacherDirectory(config.suite, config.game))}\n`);
  }
}

/** `demo`: the backend, then a small DQN learning the corridor game for a few seconds. */
function runDemo(): void {
  process.stdout.write(`distill-lab demo\nbackend: ${backendInfo.description}\n`);
  const trainer = DqnTrainer.create(
    CORRIDOR_DQN,
    CORRIDOR_SPEC,
    envsFrom((seed) => new CorridorEnv(seed)),
    null,
  );
  const bar = new ProgressBar(CORRIDOR_DQN.totalSteps, 'corridor');
  const rows: string[] = [];
  try {
    trainer.run({
      onProgress: (p) => bar.update(p),
      onEvaluation: (row) =>
        rows.push(
          `  step ${row.step}: evaluation return ${row.evalReturn?.toFixed(2) ?? 'n/a'} (1 = always reaches the goal)`,
        ),
    });
  } finally {
    bar.stop();
    trainer.dispose();
  }
  process.stdout.write(
    `${rows.join('\n')}\nNext: distill-lab teach --suite minatar --game breakout --preset smoke --seed 0\n`,
  );
}

/** `teachers`: every stage of the shipped teachers, from their evaluation.json, re-evaluated unless --no-reevaluate. */
function runTeachers(flags: { reevaluate: boolean }): void {
  const rows = shippedTeacherScores(undefined, flags.reevaluate);
  const f = (v: number | null) => (v === null ? 'n/a' : v.toFixed(2));
  const lines = [
    '| game | stage | algorithm | frames | episodes | mean return [95 % CI] | re-evaluated | random policy | without no-op starts [95 % CI] | published DQN 5 M |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => {
      const e = r.evaluation;
      return (
        `| ${r.game} | ${r.stage} | ${e.algorithm} | ${e.frames} | ${e.episodes} | ${f(e.meanReturn)} [${f(e.ci95[0])}, ${f(e.ci95[1])}] | ` +
        `${f(r.reevaluated)} | ${f(e.randomPolicyReturn)} | ${f(e.withoutNoopStarts.meanReturn)} ` +
        `[${f(e.withoutNoopStarts.ci95[0])}, ${f(e.withoutNoopStarts.ci95[1])}] | ${f(e.published.dqn5M)} |`
      );
    }),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

interface EvaluateTeacherFlags {
  suite: string;
  game: string;
  teacherDir: string;
  episodes?: string;
  epsilon?: string;
  maxNoops?: string;
  seed?: string;
  write?: boolean;
}

/** A whole number from a flag, or an error naming the flag, the value and the range. */
function integerFlag(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!(Number.isInteger(n) && n >= min && n <= max))
    throw new RangeError(`${name} ${value} is not an integer in [${min}, ${max}]`);
  return n;
}

/** `evaluate-teacher`: a teacher file's score over whole episodes; --write stores it as the folder's evaluation.json. */
function runEvaluateTeacher(flags: EvaluateTeacherFlags): void {
  const path = join(flags.teacherDir, TEACHER_FILE);
  if (!existsSync(path)) throw new RangeError(`${path} does not exist: expected a folder holding a teacher.dlck`);
  // Defaults: the protocol recorded with the teacher, else the suite's final evaluation with seed 0.
  const suiteDefault = finalProtocol(teacherConfig(flags.suite, flags.game, 'full', 0));
  const teacher = loadTeacher(path);
  try {
    if (teacher.meta.suite !== flags.suite || teacher.meta.game !== flags.game) {
      throw new RangeError(
        `${path} is a ${teacher.meta.suite}/${teacher.meta.game} teacher, not ${flags.suite}/${flags.game}`,
      );
    }
    const recorded = teacher.meta.finalEvaluation?.protocol ?? suiteDefault;
    const epsilon = flags.epsilon === undefined ? recorded.epsilon : Number(flags.epsilon);
    if (!(epsilon >= 0 && epsilon <= 1)) throw new RangeError(`--epsilon ${flags.epsilon} is not a number in [0, 1]`);
    const protocol = {
      seed: flags.seed === undefined ? recorded.seed : parseSeed(flags.seed),
      episodes:
        flags.episodes === undefined ? recorded.episodes : integerFlag('--episodes', flags.episodes, 2, 100_000),
      epsilon,
      maxNoops:
        flags.maxNoops === undefined ? recorded.maxNoops : integerFlag('--max-noops', flags.maxNoops, 0, 10_000),
      maxEpisodeSteps: recorded.maxEpisodeSteps,
    };
    const run = teacher.meta.run as { algorithm?: TeacherAlgorithm } | null;
    const evaluation = evaluateTeacher(
      {
        suite: flags.suite as Suite,
        game: flags.game,
        algorithm: run?.algorithm ?? 'dqn',
        frames: teacher.meta.trainedSteps,
      },
      teacher.greedyActions,
      protocol,
    );
    const [lo, hi] = evaluation.ci95;
    process.stdout.write(
      `${flags.suite}/${flags.game}: mean return ${evaluation.meanReturn.toFixed(2)} [95 % CI ${lo.toFixed(2)}, ${hi.toFixed(2)}] ` +
        `over ${evaluation.episodes} episodes (${evaluation.truncatedEpisodes} cut); random policy ${evaluation.randomPolicyReturn.toFixed(2)}; ` +
        `without no-op starts ${evaluation.withoutNoopStarts.meanReturn.toFixed(2)}\n`,
    );
    if (flags.write) {
      writeTeacherEvaluation(flags.teacherDir, evaluation);
      process.stdout.write(`written: ${displayPath(join(flags.teacherDir, EVALUATION_FILE))}\n`);
    }
  } finally {
    teacher.dispose();
  }
}

interface TeacherSeedsFlags {
  algorithm: string;
  preset: string;
  ship?: boolean;
}

/** `teacher-seeds`: every finished seed of a MinAtar teacher budget, the tables, and optionally the median seeds shipped. */
function runTeacherSeeds(flags: TeacherSeedsFlags): void {
  if (!(TEACHER_ALGORITHMS as readonly string[]).includes(flags.algorithm)) {
    throw new RangeError(`unknown algorithm '${flags.algorithm}': expected one of ${TEACHER_ALGORITHMS.join(', ')}`);
  }
  if (!(PRESET_NAMES as readonly string[]).includes(flags.preset)) {
    throw new RangeError(`unknown preset '${flags.preset}': expected one of ${PRESET_NAMES.join(', ')}`);
  }
  const runs = finishedSeedRuns(
    'minatar',
    MINATAR_GAMES,
    flags.algorithm as TeacherAlgorithm,
    flags.preset as PresetName,
  );
  if (runs.length === 0) {
    throw new RangeError(
      `no finished ${flags.algorithm}-${flags.preset}-seedS run under ${displayPath(join(dataFolder(), 'runs', 'teachers', 'minatar'))}; ` +
        `train one with: distill-lab teach --suite minatar --game breakout --preset ${flags.preset} --algorithm ${flags.algorithm} --seed 0`,
    );
  }
  const seeds = teacherSeedsTable(runs);
  writeTable(TEACHER_SEEDS_TABLE, seeds, TEACHER_SEEDS_SCHEMA);
  writeTable(TEACHER_CURVES_TABLE, teacherCurvesTable(runs), TEACHER_CURVES_SCHEMA);
  const lines = [teacherSeedsMarkdown(seeds)];
  process.stdout.write(
    `${lines.join('\n')}\ntables: ${TEACHER_SEEDS_TABLE}, ${TEACHER_CURVES_TABLE} in ${displayPath(tablesDir())}\n`,
  );
  if (flags.ship) {
    for (const row of seeds.objects() as { game: string; seed: number; stage: string; shipped: boolean }[]) {
      if (row.stage !== 'final' || !row.shipped) continue;
      const run = runs.find((r) => r.game === row.game && r.seed === row.seed);
      if (!run) continue;
      shipTeacher(run.folder, shippedTeacherDirectory('minatar', row.game));
      process.stdout.write(
        `shipped ${row.game} seed ${row.seed} (the median of ${runs.filter((r) => r.game === row.game).length})\n`,
      );
    }
  }
}

export function program(argv: readonly string[]): Command {
  const cli = new Command('distill-lab').description('Knowledge transfer for deep RL (Yin & Pan 2017), in TypeScript');
  cli.command('demo').description('print the tensor backend and train a small DQN for a few seconds').action(runDemo);
  cli
    .command('teachers')
    .description(
      "the shipped MinAtar teachers' scores (each stage of training) beside a random policy's and the published DQN's",
    )
    .option('--no-reevaluate', 'print the recorded scores without playing the evaluations again')
    .action(runTeachers);
  const teach = cli
    .command('teach')
    .description('train a single-game teacher (DQN or PQN)')
    .requiredOption('--suite <suite>', `game suite: ${SUITES.join(' | ')}`)
    .requiredOption('--game <game>', 'game name (an unknown one lists the choices)')
    .option(
      '--algorithm <algorithm>',
      `${TEACHER_ALGORITHMS.join(' | ')} (default: pqn on MinAtar, dqn for --preset paper and for Atari)`,
    )
    .option('--preset <preset>', `budget: ${PRESET_NAMES.join(' | ')}`, 'quick')
    .option('--seed <seed>', `seed of every generator of the run, in [0, ${MAX_SEED}]`, '0')
    .option('--resume', 'continue the run from its checkpoint')
    .option(
      '--set <key=value>',
      'override a configuration value, e.g. --set gamma=0.95 --set epsilon.end=0.01',
      collect,
      [],
    )
    .option('--run-dir <dir>', 'folder of the run (default data/runs/teachers/SUITE/GAME/ALGORITHM-PRESET-seedS)')
    .option('--ship', 'copy the finished teacher to data/teachers/SUITE/GAME');
  addClusterOptions(teach, 'the run as a job').action((flags: TeachFlags) => runTeach(flags, argv));
  cli
    .command('evaluate-teacher')
    .description("a teacher's mean return over whole episodes with its 95 % interval, beside a random policy's")
    .requiredOption('--suite <suite>', `game suite: ${SUITES.join(' | ')}`)
    .requiredOption('--game <game>', 'game name')
    .requiredOption('--teacher-dir <dir>', 'folder holding teacher.dlck')
    .option('--episodes <n>', 'evaluation episodes (default: as recorded with the teacher, else 200)')
    .option('--epsilon <ε>', 'ε of the ε-greedy evaluation policy (default: as recorded, else 0.05)')
    .option('--max-noops <k>', 'up to this many random no-ops at each episode start (default: as recorded, else 30)')
    .option('--seed <seed>', `seed of the evaluation's generator, in [0, ${MAX_SEED}] (default: as recorded, else 0)`)
    .option('--write', "write the result as the folder's evaluation.json (distillation's 100 % line)")
    .action(runEvaluateTeacher);
  cli
    .command('teacher-seeds')
    .description(
      "every finished seed of a MinAtar teacher budget: scores with intervals, tables, and --ship for each game's median seed",
    )
    .option('--algorithm <algorithm>', TEACHER_ALGORITHMS.join(' | '), 'pqn')
    .option('--preset <preset>', `budget: ${PRESET_NAMES.join(' | ')}`, 'full')
    .option('--ship', "copy each game's median seed to data/teachers/minatar/GAME")
    .action(runTeacherSeeds);
  registerReproduceCommand(cli, argv);
  registerStatusCommand(cli);
  return cli;
}

export async function main(argv: readonly string[]): Promise<void> {
  await program(argv).parseAsync(argv as string[]);
}
