/**
 * Atari speed: agent steps per second of AtariVecEnv (Breakout, random legal actions, DQN training
 * protocol without episodic life) at 1, 2 and 8 environments, against ale_py's AtariVectorEnv with the
 * same settings in the same run (.venv python, runs interleaved with ours). Threads: min(envs, cores).
 * Medians of 5 runs after a warm-up. Also per CPU-second (all threads of each process): on a shared
 * machine the wall-clock rate depends on the other load, the CPU rate much less.
 * `npx tsx bench/envs/atari.ts` alone, or through bench/envs/index.ts.
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { AtariVecEnv } from '../../src/env/atari';
import { VENV_PYTHON } from '../../src/env/atari/reference';
import { Rng } from '../../src/util/rng';
import { median } from '../../src/util/timing';

export interface AtariBenchRow {
  envs: number;
  threads: number;
  /** Agent steps per wall-clock second. */
  ours: number;
  aleVector: number;
  /** Agent steps per CPU-second of the whole process. */
  oursPerCpu: number;
  aleVectorPerCpu: number;
}

interface Timing {
  wall: number;
  cpu: number;
}

const SIZES = [1, 2, 8];
const RUNS = 5;
/** Agent steps per timed run, whatever the number of environments. */
const AGENT_STEPS = 2400;

/** The Python side as a line protocol, so its runs interleave with ours under the same machine load. */
function startReference(): { time(envs: number, threads: number, steps: number): Promise<Timing>; stop(): void } {
  const child = spawn(VENV_PYTHON, [join(__dirname, 'atari_reference.py')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const answers = createInterface({ input: child.stdout });
  const waiting: ((timing: Timing) => void)[] = [];
  answers.on('line', (line) => {
    const [wall, cpu] = line.split(' ').map(Number);
    waiting.shift()?.({ wall, cpu });
  });
  return {
    time(envs, threads, steps) {
      return new Promise((resolve) => {
        waiting.push(resolve);
        child.stdin.write(`${envs} ${threads} ${steps}\n`);
      });
    },
    stop() {
      child.stdin.end();
    },
  };
}

async function timeOurs(vec: AtariVecEnv, actions: Int32Array[], steps: number): Promise<Timing> {
  const start = process.hrtime.bigint();
  const startCpu = process.cpuUsage();
  for (let t = 0; t < steps; t++) await vec.step(actions[t % actions.length]);
  const cpu = process.cpuUsage(startCpu);
  return { wall: Number(process.hrtime.bigint() - start) / 1e9, cpu: (cpu.user + cpu.system) / 1e6 };
}

export async function measureAtari(): Promise<AtariBenchRow[]> {
  const reference = startReference();
  const rows: AtariBenchRow[] = [];
  try {
    for (const envs of SIZES) {
      const threads = Math.min(envs, availableParallelism());
      const steps = AGENT_STEPS / envs;
      const vec = new AtariVecEnv('breakout', envs, { seed: 1, numThreads: threads, episodicLife: false });
      const legal = vec.spec.legalActions;
      const rng = new Rng(2);
      const actions = Array.from({ length: 1024 }, () =>
        Int32Array.from({ length: envs }, () => legal[rng.int(legal.length)]),
      );
      await vec.reset();
      await timeOurs(vec, actions, steps / 4);
      await reference.time(envs, threads, steps / 4);
      const ours: Timing[] = [];
      const theirs: Timing[] = [];
      for (let run = 0; run < RUNS; run++) {
        ours.push(await timeOurs(vec, actions, steps));
        theirs.push(await reference.time(envs, threads, steps));
      }
      vec.close();
      const rate = (timings: Timing[], key: keyof Timing) => AGENT_STEPS / median(timings.map((t) => t[key]));
      rows.push({
        envs,
        threads,
        ours: rate(ours, 'wall'),
        aleVector: rate(theirs, 'wall'),
        oursPerCpu: rate(ours, 'cpu'),
        aleVectorPerCpu: rate(theirs, 'cpu'),
      });
    }
  } finally {
    reference.stop();
  }
  return rows;
}

export function formatAtariTable(rows: readonly AtariBenchRow[]): string {
  const lines = [
    '| envs | threads | ours steps/s | ale_py AtariVectorEnv steps/s | ratio | ours steps/CPU-s | theirs steps/CPU-s | ratio |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const cells = (a: number, b: number) => `${Math.round(a)} | ${Math.round(b)} | ${(a / b).toFixed(2)}`;
  for (const r of rows) {
    lines.push(
      `| ${r.envs} | ${r.threads} | ${cells(r.ours, r.aleVector)} | ${cells(r.oursPerCpu, r.aleVectorPerCpu)} |`,
    );
  }
  return lines.join('\n');
}

export async function benchAtari(): Promise<string> {
  const title =
    'Atari (Breakout): random legal actions, frame skip 4, 84×84×4, no-op starts, clipped rewards; medians of 5';
  return `${title}\n${formatAtariTable(await measureAtari())}`;
}

if (require.main === module) {
  benchAtari()
    .then((table) => console.log(table))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
