/**
 * The fault matrix of the robustness work, run for real against the command line (`npm run bench:faults`):
 * two writers on one run folder, SIGKILL of a `reproduce --jobs` parent, SIGTERM and SIGINT of `teach`, a flipped
 * byte in a checkpoint, a teacher file and a done.json, a diverging teacher, bad values (nothing written), a
 * table whose CSV was altered, and a stale temporary file. Everything happens in a scratch folder
 * (DISTILL_LAB_DATA_DIR points there; fixture teachers; smoke presets), removed at the end with every child.
 * Prints one Markdown row per fault and "N of M faults handled as expected". Not a test: it reports, it does
 * not assert.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFixtureTeachers } from '../src/experiments/reproduce/teacher-fixtures';
import { PROJECT_ROOT } from '../src/util/paths';
import { isProcessAlive, readLockHolder } from '../src/util/run-lock';

const CLI = join(PROJECT_ROOT, 'bin', 'distill-lab.js');
const scratch = mkdtempSync(join(tmpdir(), 'distill-faults-'));
const data = join(scratch, 'data');
const teachers = join(scratch, 'teachers');
const env: NodeJS.ProcessEnv = {
  ...process.env,
  DISTILL_LAB_DATA_DIR: data,
  DISTILL_LAB_FIGURES_DIR: join(scratch, 'figures'),
};
const stage = join(data, 'runs', 'distill', 'minatar', 'smoke');

interface Row {
  readonly fault: string;
  readonly done: string;
  readonly outcome: string;
  readonly ok: boolean;
}

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

interface Started {
  readonly child: ChildProcess;
  readonly out: { stdout: string; stderr: string };
  readonly exit: Promise<Exit>;
}

const started = new Set<ChildProcess>();

/** A `distill-lab` process in the background, killed (SIGKILL) after `timeoutMs`. */
function start(args: readonly string[], timeoutMs: number): Started {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: PROJECT_ROOT,
    env,
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
  });
  started.add(child);
  const out = { stdout: '', stderr: '' };
  child.stdout?.on('data', (text) => {
    out.stdout += text;
  });
  child.stderr?.on('data', (text) => {
    out.stderr += text;
  });
  const exit = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => {
      started.delete(child);
      resolve({ code, signal });
    }),
  );
  return { child, out, exit };
}

/** A `distill-lab` command run to its end (killed after `timeoutMs`). */
function runSync(args: readonly string[], timeoutMs: number): { exit: Exit; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: PROJECT_ROOT,
    env,
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
  });
  return { exit: { code: result.status, signal: result.signal }, stdout: result.stdout, stderr: result.stderr };
}

async function until(what: string, ready: () => boolean, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** `exit` with a time-out: the child is killed (SIGKILL) if it has not ended by then. */
async function ended(run: Started, timeoutMs: number): Promise<Exit> {
  const timer = setTimeout(() => run.child.kill('SIGKILL'), timeoutMs);
  try {
    return await run.exit;
  } finally {
    clearTimeout(timer);
  }
}

const short = (text: string) => {
  const line = text.split(scratch).join('$TMP').replaceAll('|', '\\|');
  return line.length > 320 ? `${line.slice(0, 317)}…` : line;
};
const exitText = (exit: Exit) => (exit.signal ? `killed by ${exit.signal}` : `exit ${exit.code}`);
/** The first line of the error message (`distill-lab: …` on stderr), else the last line of output. */
function messageLine(stdout: string, stderr: string): string {
  const errLines = stderr.split('\n');
  const at = errLines.findIndex((line) => line.startsWith('distill-lab: '));
  // A message that ends in ':' goes on in the indented line after it (a child's error output).
  if (at >= 0)
    return errLines[at].endsWith(':') && /^\s+\S/.test(errLines[at + 1] ?? '')
      ? `${errLines[at]} ${errLines[at + 1].trim()}`
      : errLines[at];
  const lines = `${stdout}\n${stderr}`.split('\n').filter((line) => line.trim() !== '');
  return lines.at(-1) ?? '(no output)';
}
const outcomeOf = (exit: Exit, stdout: string, stderr: string) =>
  `${exitText(exit)}: ${short(messageLine(stdout, stderr))}`;

const teachArgs = (runDir: string, seed: number, totalSteps: number, ...extra: string[]) => [
  'teach',
  '--suite',
  'minatar',
  '--game',
  'breakout',
  '--preset',
  'smoke',
  '--seed',
  String(seed),
  '--set',
  `totalSteps=${totalSteps}`,
  '--run-dir',
  runDir,
  ...extra,
];
const reproduceArgs = (teachersDir: string, ...extra: string[]) => [
  'reproduce',
  '--preset',
  'smoke',
  '--games',
  'breakout,freeway',
  '--teachers',
  teachersDir,
  '--no-figures',
  ...extra,
];

/** Flips the bits of the byte at `offset` (default: three quarters into the file). */
function flipByte(path: string, offset?: number): number {
  const bytes = readFileSync(path);
  const at = offset ?? Math.floor(bytes.length * 0.75);
  bytes[at] ^= 0xff;
  writeFileSync(path, bytes);
  return at;
}

/** Every file and folder under `dir` with its size and modification time ("" when `dir` is missing). */
function listing(dir: string): string {
  if (!existsSync(dir)) return '';
  const lines: string[] = [];
  const visit = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(folder, entry.name);
      const stat = statSync(path);
      lines.push(`${path} ${entry.isDirectory() ? 'dir' : stat.size} ${stat.mtimeMs}`);
      if (entry.isDirectory()) visit(path);
    }
  };
  visit(dir);
  return lines.join('\n');
}

/** The run folders of the smoke stage (VARIANT-seed0-HASH). */
const runFolders = () =>
  existsSync(stage)
    ? readdirSync(stage)
        .filter((name) => /-seed\d+-[0-9a-f]{10}$/.test(name))
        .map((name) => join(stage, name))
    : [];
/** The PID that holds `folder`'s lock, or null while none (or a half-written one) is there. */
const lockHolder = (folder: string): number | null => {
  const holder = readLockHolder(folder);
  return holder === null || holder === 'unreadable' ? null : holder.pid;
};

/** PIDs of `distill-run` processes of this bench (their command line names the scratch folder). */
function distillRunChildren(): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      if (cmdline.includes('distill-run') && cmdline.some((arg) => arg.includes(scratch)) && isProcessAlive(+name))
        pids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** A PID that no process has now (a process that has ended). */
function deadPid(): number {
  for (;;) {
    const pid = spawnSync('true').pid;
    if (pid !== undefined && !isProcessAlive(pid)) return pid;
  }
}

const rows = new Map<string, Row>();
function record(fault: string, done: string, outcome: string, ok: boolean): void {
  rows.set(fault, { fault, done, outcome, ok });
}
async function attempt(fault: string, done: string, body: () => Promise<void> | void): Promise<void> {
  try {
    await body();
  } catch (error) {
    record(fault, done, `bench error: ${short(error instanceof Error ? error.message : String(error))}`, false);
  }
}

const F1 = '1. two writers on one teacher run folder';
const F2 = '2. SIGKILL of a `reproduce --jobs 2` parent mid-run';
const F3 = '3. SIGTERM of a running `teach`, then `--resume`';
const F4 = '4. SIGINT of a running `teach`';
const F5a = '5a. byte flipped in a run’s checkpoint.dlck';
const F5b = '5b. byte flipped in a teacher file copy';
const F5c = '5c. byte flipped in a done.json';
const F6 = '6. diverging DQN teacher';
const F8 = '8. paired table’s CSV altered';
const F9 = '9. stale `.tmp-PID-*` (dead PID) in a run folder';

async function main(): Promise<void> {
  const t0 = Date.now();
  writeFixtureTeachers(teachers, ['breakout', 'freeway']);

  // 1. Two writers: the second teach, for the same folder, is refused while the first holds its lock. A
  // 6,000-step first run takes about 3 s on an idle machine, which the second command's start can outlast: if
  // the first has ended by the time the second answers, the fault is tried again with a 1,000,000-step first.
  const twoWriters = async (folder: string, firstSteps: number) => {
    const first = start(teachArgs(folder, 0, firstSteps), 300_000);
    try {
      await until('the first teach to lock its folder', () => lockHolder(folder) === first.child.pid);
      const second = runSync(teachArgs(folder, 1, 6000), 120_000);
      const firstRunning = first.child.pid !== undefined && isProcessAlive(first.child.pid);
      return { first: first.child.pid, second, firstRunning };
    } finally {
      first.child.kill('SIGTERM');
      await ended(first, 60_000);
    }
  };
  const f1Done =
    '`teach … --seed 0 --set totalSteps=6000 --run-dir D` in the background, then `teach … --seed 1 … --run-dir D` once it holds the lock';
  await attempt(F1, f1Done, async () => {
    let tried = await twoWriters(join(scratch, 'teach-1'), 6000);
    let done = f1Done;
    if (!tried.firstRunning) {
      const early = short(messageLine(tried.second.stdout, tried.second.stderr));
      tried = await twoWriters(join(scratch, 'teach-1b'), 1_000_000);
      done =
        `${f1Done}; the 6,000-step first ended (it takes about 3 s) before the second answered, which said ` +
        `"${early}"; so again with \`--set totalSteps=1000000\` for the first`;
    }
    const message = messageLine(tried.second.stdout, tried.second.stderr);
    record(
      F1,
      done,
      `${outcomeOf(tried.second.exit, tried.second.stdout, tried.second.stderr)} (first still running: ${tried.firstRunning ? 'yes' : 'no'})`,
      tried.firstRunning &&
        tried.second.exit.code !== 0 &&
        tried.second.exit.code !== null &&
        message.includes('is in use by another distill-lab process') &&
        message.includes(`PID ${tried.first} `),
    );
  });

  // 3. SIGTERM of a teach after its first checkpoint: 143 and how to resume; then 9 and 3's resume.
  const d3 = join(scratch, 'teach-3');
  const tmpName = `.tmp-${deadPid()}-checkpoint.dlck`;
  await attempt(F3, 'SIGTERM to `teach … --set totalSteps=6000` after its first checkpoint', async () => {
    const run = start(teachArgs(d3, 0, 6000), 300_000);
    await until('the first checkpoint', () => existsSync(join(d3, 'checkpoint.dlck')));
    run.child.kill('SIGTERM');
    const exit = await ended(run, 60_000);
    const last = run.out.stdout.trimEnd().split('\n').at(-1) ?? '';
    const stopped = exit.code === 143 && last.startsWith('stopped; run the same command');
    // 9. A temporary file of a dead process in the folder: the resume removes it with a line saying so.
    writeFileSync(join(d3, tmpName), 'left by a killed writer');
    const resumed = start(teachArgs(d3, 0, 6000, '--resume'), 600_000);
    const resumedExit = await ended(resumed, 600_000);
    const finished = resumedExit.code === 0 && existsSync(join(d3, 'teacher.dlck'));
    record(
      F3,
      'SIGTERM to `teach … --set totalSteps=6000` after its first checkpoint; then the same command with `--resume`',
      `${exitText(exit)}: ${short(last)}; resume: ${exitText(resumedExit)}, teacher.dlck ${existsSync(join(d3, 'teacher.dlck')) ? 'written' : 'missing'}` +
        (resumedExit.code === 0 ? '' : ` (${short(messageLine(resumed.out.stdout, resumed.out.stderr))})`),
      stopped && finished,
    );
    const output = `${resumed.out.stdout}\n${resumed.out.stderr}`;
    const line = output.split('\n').find((each) => each.includes('temporary file')) ?? '';
    const gone = !existsSync(join(d3, tmpName));
    record(
      F9,
      `\`${tmpName.replace(/\d+/, 'DEADPID')}\` written into 3's stopped run folder, then \`teach … --resume\``,
      `file ${gone ? 'removed' : 'still there'}; line: ${line === '' ? '(none)' : short(line)}`,
      gone && line.startsWith('removed 1 temporary file'),
    );
  });
  if (!rows.has(F9)) record(F9, 'not reached (fault 3 failed first)', '-', false);

  // 4. SIGINT: exit 130. 5a: then a byte of its checkpoint flipped and the run resumed.
  const d4 = join(scratch, 'teach-4');
  await attempt(F4, 'SIGINT to `teach … --set totalSteps=1000000` after its first checkpoint', async () => {
    const run = start(teachArgs(d4, 0, 1_000_000), 300_000);
    await until('the first checkpoint', () => existsSync(join(d4, 'checkpoint.dlck')));
    run.child.kill('SIGINT');
    const exit = await ended(run, 60_000);
    const last = run.out.stdout.trimEnd().split('\n').at(-1) ?? '';
    record(
      F4,
      'SIGINT to `teach … --set totalSteps=1000000` after its first checkpoint',
      `${exitText(exit)}: ${short(last)}`,
      exit.code === 130 && last.startsWith('stopped;'),
    );
  });
  await attempt(F5a, 'byte flipped in 4’s checkpoint.dlck, then `teach … --resume`', () => {
    const at = flipByte(join(d4, 'checkpoint.dlck'));
    const resumed = runSync(teachArgs(d4, 0, 1_000_000, '--resume'), 120_000);
    const message = messageLine(resumed.stdout, resumed.stderr);
    record(
      F5a,
      `byte ${at} of 4’s stopped run’s checkpoint.dlck flipped, then \`teach … --resume\``,
      outcomeOf(resumed.exit, resumed.stdout, resumed.stderr),
      resumed.exit.code !== 0 &&
        resumed.exit.code !== null &&
        message.includes('corrupt') &&
        message.includes('checkpoint.dlck'),
    );
  });

  // 6. A DQN teacher at learning rate 1 with a squared loss: stopped at an update, no teacher.dlck.
  const d6 = join(scratch, 'teach-6');
  // The smoke preset's own 2,000 DQN steps.
  const divergeArgs = teachArgs(
    d6,
    0,
    2_000,
    '--algorithm',
    'dqn',
    '--set',
    'optimizer.learningRate=1',
    '--set',
    'loss=mse',
  );
  await attempt(F6, '`teach … --preset smoke --algorithm dqn --set optimizer.learningRate=1 --set loss=mse`', () => {
    const run = runSync(divergeArgs, 300_000);
    const message = messageLine(run.stdout, run.stderr);
    const noTeacher = !existsSync(join(d6, 'teacher.dlck'));
    record(
      F6,
      '`teach … --preset smoke --algorithm dqn --set optimizer.learningRate=1 --set loss=mse`',
      `${outcomeOf(run.exit, run.stdout, run.stderr)}; teacher.dlck ${noTeacher ? 'absent' : 'written'}`,
      run.exit.code !== 0 && run.exit.code !== null && /diverged at update \d+/.test(message) && noTeacher,
    );
  });

  // 2. SIGKILL of a reproduce parent while both children train: the children stop by themselves.
  await attempt(F2, 'SIGKILL to `reproduce … --jobs 2` while both children train', async () => {
    const run = start(
      reproduceArgs(
        teachers,
        '--only',
        'proposed-uniform,dist-uniform',
        '--set',
        'totalUpdates=1000000',
        '--jobs',
        '2',
      ),
      300_000,
    );
    await until(
      'both children to lock their runs',
      () => runFolders().filter((folder) => lockHolder(folder) !== null).length === 2,
      180_000,
    );
    const children = runFolders().map((folder) => lockHolder(folder) as number);
    run.child.kill('SIGKILL');
    await ended(run, 30_000);
    const killedAt = Date.now();
    const left = () => [...new Set([...children.filter(isProcessAlive), ...distillRunChildren()])];
    await until('the children to stop', () => left().length === 0, 10_000).catch(() => {});
    const seconds = ((Date.now() - killedAt) / 1000).toFixed(1);
    const survivors = left();
    for (const pid of survivors) process.kill(pid, 'SIGKILL');
    record(
      F2,
      'SIGKILL to `reproduce --preset smoke --games breakout,freeway --teachers T --no-figures --jobs 2 --only proposed-uniform,dist-uniform --set totalUpdates=1000000` once both `distill-run` children held their run’s lock',
      survivors.length === 0
        ? `parent killed by SIGKILL; both children (PIDs ${children.join(', ')}) gone ${seconds} s later, no \`distill-run\` left`
        : `${survivors.length} \`distill-run\` child(ren) still running after ${seconds} s (killed by the bench)`,
      survivors.length === 0,
    );
  });

  // A finished smoke reproduce (two runs): its done.json (5c) and its tables (8).
  const finishedArgs = reproduceArgs(teachers, '--only', 'proposed-uniform,dist-uniform', '--jobs', '2');
  let finishedError: string | null = null;
  const finished = runSync(finishedArgs, 600_000);
  if (finished.exit.code !== 0)
    finishedError = `the smoke reproduce failed: ${outcomeOf(finished.exit, finished.stdout, finished.stderr)}`;
  const doneFiles = runFolders()
    .map((folder) => join(folder, 'done.json'))
    .filter((path) => existsSync(path));

  await attempt(F5c, 'a digit of a finished run’s done.json changed, then the same `reproduce`', () => {
    if (finishedError !== null) throw new Error(finishedError);
    if (doneFiles.length === 0) throw new Error('no done.json after the smoke reproduce');
    const path = doneFiles[0];
    const text = readFileSync(path, 'utf8');
    const at = text.search(/[0-9](?=[^0-9]*$)/); // the last digit: in a value, after the checksum
    const bytes = Buffer.from(text, 'utf8');
    bytes[at] = bytes[at] === 0x39 ? 0x30 : bytes[at] + 1;
    writeFileSync(path, bytes);
    const again = runSync(finishedArgs, 300_000);
    const message = messageLine(again.stdout, again.stderr);
    record(
      F5c,
      `byte ${at} of a finished run’s done.json (a digit) changed, then the same \`reproduce … --only proposed-uniform,dist-uniform\``,
      outcomeOf(again.exit, again.stdout, again.stderr),
      again.exit.code !== 0 && again.exit.code !== null && message.includes('corrupt') && message.includes('done.json'),
    );
  });

  await attempt(F8, 'a value in a written table’s CSV changed, then `readTable`', () => {
    if (finishedError !== null) throw new Error(finishedError);
    const results = readdirSync(stage).find((name) => name.startsWith('results-'));
    if (results === undefined) throw new Error('no results folder after the smoke reproduce');
    const dir = join(stage, results, 'tables');
    const name = 'table1-architectures';
    const csv = join(dir, `${name}.csv`);
    const text = readFileSync(csv, 'utf8');
    const at = text.search(/[0-9](?=[^0-9]*$)/);
    writeFileSync(
      csv,
      text.slice(0, at) + (text[at] === '9' ? '0' : String(Number(text[at]) + 1)) + text.slice(at + 1),
    );
    const read = spawnSync(
      process.execPath,
      [
        '-e',
        "require('tsx/cjs/api').register(); require('./src/tables/io').readTable(process.argv[1], [], process.argv[2]); console.log('read')",
        name,
        dir,
      ],
      { cwd: PROJECT_ROOT, env, encoding: 'utf8', timeout: 120_000, killSignal: 'SIGKILL' },
    );
    const error = read.stderr.split('\n').find((line) => line.startsWith('Error: ')) ?? read.stdout.trim();
    record(
      F8,
      `last digit of the finished reproduce’s \`${name}.csv\` changed, then \`readTable('${name}')\` in a child process`,
      `exit ${read.status}: ${short(error)}`,
      read.status !== 0 && error.includes('disagrees with'),
    );
  });

  await attempt(F5b, 'byte flipped in a copy of the fixture teachers’ breakout/teacher.dlck, then `reproduce`', () => {
    const copy = join(scratch, 'teachers-copy');
    cpSync(teachers, copy, { recursive: true });
    const at = flipByte(join(copy, 'breakout', 'teacher.dlck'));
    const run = runSync(reproduceArgs(copy, '--only', 'proposed-uniform', '--jobs', '1'), 300_000);
    const message = messageLine(run.stdout, run.stderr);
    record(
      F5b,
      `byte ${at} of a copy of the fixture teachers’ breakout/teacher.dlck flipped, then \`reproduce … --teachers COPY --only proposed-uniform\``,
      outcomeOf(run.exit, run.stdout, run.stderr),
      run.exit.code !== 0 && run.exit.code !== null && message.includes('corrupt') && message.includes('teacher.dlck'),
    );
  });

  // 7. Bad values: refused before anything is written (the data folder listed before and after).
  const bad: [string, string[], string][] = [
    ['7a', ['--set', 'memoryCapacity=1e12'], 'memoryCapacity'],
    ['7b', ['--set', 'freezeTorso="no"'], 'freezeTorso'],
    ['7c', ['--set', 'totalUpdates=1e20'], 'totalUpdates'],
    ['7d', ['--set', 'sampler.alpha=5'], 'sampler.alpha'],
    ['7e', ['--only', 'nope'], 'nope'],
    ['7f', ['--seeds', '0'], '--seeds'],
  ];
  mkdirSync(data, { recursive: true });
  for (const [id, extra, key] of bad) {
    const fault = `${id}. bad value \`${extra.join(' ')}\``;
    const shown = extra[0] === '--set' ? `--set ${extra[1].replace('"no"', `'"no"'`)}` : extra.join(' ');
    await attempt(fault, `\`reproduce --preset smoke … ${shown}\``, () => {
      const before = listing(data);
      const run = runSync(reproduceArgs(teachers, ...extra), 120_000);
      const unchanged = listing(data) === before;
      const message = messageLine(run.stdout, run.stderr);
      record(
        fault,
        `\`reproduce --preset smoke --games breakout,freeway --teachers T --no-figures ${shown}\``,
        `${outcomeOf(run.exit, run.stdout, run.stderr)}; data folder ${unchanged ? 'unchanged' : 'CHANGED'}`,
        run.exit.code !== 0 && run.exit.code !== null && message.includes(key) && unchanged,
      );
    });
  }

  const order = [F1, F2, F3, F4, F5a, F5b, F5c, F6];
  const sevens = [...rows.keys()].filter((key) => key.startsWith('7'));
  const table = [...order, ...sevens, F8, F9].map(
    (key) => rows.get(key) ?? { fault: key, done: '-', outcome: 'not run', ok: false },
  );
  console.log('| fault | what was done | outcome | as expected? |');
  console.log('| --- | --- | --- | --- |');
  for (const row of table) console.log(`| ${row.fault} | ${row.done} | ${row.outcome} | ${row.ok ? 'yes' : 'no'} |`);
  console.log('');
  console.log(`${table.filter((row) => row.ok).length} of ${table.length} faults handled as expected`);
  console.log(`(${((Date.now() - t0) / 1000).toFixed(0)} s; scratch folder ${scratch}, removed)`);
}

main()
  .catch((error) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  })
  .finally(async () => {
    for (const child of started) child.kill('SIGKILL');
    for (const pid of distillRunChildren()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // ended meanwhile
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 500)); // let the killed children go before their folder
    rmSync(scratch, { recursive: true, force: true });
  });
