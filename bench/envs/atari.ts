/**
 * Atari speed: agent steps per second of AtariVecEnv (Breakout, random legal actions, DQN training
 * protocol without episodic life) at 1, 2 and 8 environments, against ale_py's AtariVectorEnv with the
 * same settings in the same run (.venv python, runs interleaved with ours). Threads: min(envs, cores).
 * Medians of 5 runs after a warm-up. `npx tsx bench/envs/atari.ts` alone, or through bench/envs/index.ts.
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { AtariVecEnv } from '../../src/env/atari';
import { VENV_PYTHON } from '../../src/env/atari/reference';
import { Rng } from '../../src/util/rng';
import { median } from '../timing';

export interface AtariBenchRow {
  envs: number;
  threads: number;
  ours: number;
  aleVector: number;
}

const SIZES = [1, 2, 8];
const RUNS = 5;
/** Agent steps per timed run, whatever the number of environments. */
const AGENT_STEPS = 2400;

/** The Python side as a line protocol, so its runs interleave with ours under the same machine load. */
function startReference(): { time(envs: number, threads: number, steps: number): Promise<number>; stop(): void } {
  const child = spawn(VENV_PYTHON, [join(__dirname, 'atari_reference.py')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const answers = createInterface({ input: child.stdout });
  const waiting: ((seconds: number) => void)[] = [];
  answers.on('line', (line) => waiting.shift()?.(Number(line)));
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

async function timeOurs(vec: AtariVecEnv, actions: Int32Array[], steps: number): Promise<number> {
  const start = process.hrtime.bigint();
  for (let t = 0; t < steps; t++) await vec.step(actions[t % actions.length]);
  return Number(process.hrtime.bigint() - start) / 1e9;
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
      const actions = Array.from({ length: 1024 }, () => Int32Array.from({ length: envs }, () => legal[rng.int(legal.length)]));
      await vec.reset();
      await timeOurs(vec, actions, steps / 4);
      await reference.time(envs, threads, steps / 4);
      const ours: number[] = [];
      const theirs: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        ours.push(AGENT_STEPS / (await timeOurs(vec, actions, steps)));
        theirs.push(AGENT_STEPS / (await reference.time(envs, threads, steps)));
      }
      vec.close();
      rows.push({ envs, threads, ours: median(ours), aleVector: median(theirs) });
    }
  } finally {
    reference.stop();
  }
  return rows;
}

export function formatAtariTable(rows: readonly AtariBenchRow[]): string {
  const lines = ['| envs | threads | ours (agent steps/s) | ale_py AtariVectorEnv | ours / theirs |', '| ---: | ---: | ---: | ---: | ---: |'];
  for (const r of rows) {
    lines.push(`| ${r.envs} | ${r.threads} | ${Math.round(r.ours)} | ${Math.round(r.aleVector)} | ${(r.ours / r.aleVector).toFixed(2)} |`);
  }
  return lines.join('\n');
}

export async function benchAtari(): Promise<string> {
  const title = 'Atari (Breakout): random legal actions, frame skip 4, 84×84×4, no-op starts, clipped rewards; medians of 5';
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
