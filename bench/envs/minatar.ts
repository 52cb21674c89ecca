/**
 * MinAtar speed: steps per second of a random policy over each game's minimal action set, observation
 * written every step (sticky 0.1, ramping on), for ours single env, ours 32-env VecEnv and the Python
 * reference single env (minatar 1.0.15 via .venv, act() + state() per step). Medians of several runs, per
 * wall-clock second and per CPU-second of the process (on a shared machine the wall-clock rate depends on
 * the other load, the CPU rate much less). `npx tsx bench/envs/minatar.ts` alone, or through index.ts.
 */

import { MINATAR_GAMES, MinatarEnv, MinatarVecEnv } from '../../src/env/minatar';
import { callReference } from '../../src/env/minatar/reference/reference';
import { observationSize } from '../../src/env/types';
import { Rng } from '../../src/util/rng';
import { median } from '../../src/util/timing';

/** Steps per wall-clock second and per CPU-second. */
export interface Rate {
  wall: number;
  cpu: number;
}

export interface MinatarBenchRow {
  game: string;
  single: Rate;
  vec32: Rate;
  reference: Rate;
}

const ACTION_TABLE = 1 << 16;
const VEC_ENVS = 32;
const WARMUPS = 3;

/** A fixed table of random legal actions, so drawing the policy costs the same on every run. */
function actionTable(legal: readonly number[], seed: number): Uint8Array {
  const rng = new Rng(seed);
  return Uint8Array.from({ length: ACTION_TABLE }, () => legal[rng.int(legal.length)]);
}

/** Median rates of `runs` timed calls of `fn` (each `steps` steps) after the warm-ups. */
function measure(fn: () => void, steps: number, runs: number): Rate {
  for (let i = 0; i < WARMUPS; i++) fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const startCpu = process.cpuUsage();
    fn();
    const used = process.cpuUsage(startCpu);
    wall.push(steps / (Number(process.hrtime.bigint() - start) / 1e9));
    cpu.push(steps / ((used.user + used.system) / 1e6));
  }
  return { wall: median(wall), cpu: median(cpu) };
}

function singleRate(game: string, steps: number, runs: number): Rate {
  const env = new MinatarEnv(game, { seed: 1 });
  const actions = actionTable(env.spec.legalActions, 2);
  const obs = new Uint8Array(observationSize(env.spec));
  env.reset(obs);
  const run = (): void => {
    for (let t = 0; t < steps; t++) {
      if (env.step(actions[t & (ACTION_TABLE - 1)], obs).terminal) env.reset(obs);
    }
  };
  return measure(run, steps, runs);
}

function vecRate(game: string, steps: number, runs: number): Rate {
  const vec = new MinatarVecEnv(game, VEC_ENVS, { seed: 1 });
  const table = actionTable(vec.spec.legalActions, 3);
  const actions = new Uint8Array(VEC_ENVS);
  vec.reset();
  const batches = Math.ceil(steps / VEC_ENVS);
  const run = (): void => {
    for (let b = 0, k = 0; b < batches; b++) {
      for (let i = 0; i < VEC_ENVS; i++, k++) actions[i] = table[k & (ACTION_TABLE - 1)];
      vec.step(actions);
    }
  };
  return measure(run, batches * VEC_ENVS, runs);
}

export function benchMinatar(options = { steps: 1_000_000, referenceSteps: 100_000, runs: 5 }): MinatarBenchRow[] {
  return MINATAR_GAMES.map((game) => ({
    game,
    single: singleRate(game, options.steps, options.runs),
    vec32: vecRate(game, options.steps, options.runs),
    reference: callReference<Rate>('bench', { game, seed: 1, steps: options.referenceSteps, runs: 3 }),
  }));
}

export function formatMinatarTable(rows: readonly MinatarBenchRow[]): string {
  const n = (v: number): string => Math.round(v).toLocaleString('en-US');
  const lines = [
    '| game | ours single | ours VecEnv×32 | reference | single / ref | vec / ref | single / ref per CPU-s |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    const ratio = (a: number, b: number): string => (a / b).toFixed(1) + '×';
    lines.push(
      `| ${r.game} | ${n(r.single.wall)} | ${n(r.vec32.wall)} | ${n(r.reference.wall)} | ` +
        `${ratio(r.single.wall, r.reference.wall)} | ${ratio(r.vec32.wall, r.reference.wall)} | ` +
        `${ratio(r.single.cpu, r.reference.cpu)} |`,
    );
  }
  return lines.join('\n');
}

export function benchMinatarTable(): string {
  const title = 'MinAtar: steps/s, random policy over the minimal action set, observation written every step; medians';
  return `${title}\n${formatMinatarTable(benchMinatar())}`;
}

if (require.main === module) console.log(benchMinatarTable());
