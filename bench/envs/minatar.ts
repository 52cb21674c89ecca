/**
 * MinAtar speed: steps per second of a random policy over each game's minimal action set, observation
 * written every step (sticky 0.1, ramping on), for ours single env, ours 32-env VecEnv and the Python
 * reference single env (minatar 1.0.15 via .venv, act() + state() per step). Medians of several runs.
 */

import { MINATAR_GAMES, MinatarEnv, MinatarVecEnv } from '../../src/env/minatar';
import { callReference } from '../../src/env/minatar/reference/reference';
import { observationSize } from '../../src/env/types';
import { Rng } from '../../src/util/rng';
import { median, timeCalls } from '../../src/util/timing';

export interface MinatarBenchRow {
  game: string;
  single: number;
  vec32: number;
  reference: number;
}

const ACTION_TABLE = 1 << 16;
const VEC_ENVS = 32;

/** A fixed table of random legal actions, so drawing the policy costs the same on every run. */
function actionTable(legal: readonly number[], seed: number): Uint8Array {
  const rng = new Rng(seed);
  return Uint8Array.from({ length: ACTION_TABLE }, () => legal[rng.int(legal.length)]);
}

function singleRate(game: string, steps: number, runs: number): number {
  const env = new MinatarEnv(game, { seed: 1 });
  const actions = actionTable(env.spec.legalActions, 2);
  const obs = new Uint8Array(observationSize(env.spec));
  env.reset(obs);
  const times = timeCalls(() => {
    for (let t = 0; t < steps; t++) {
      if (env.step(actions[t & (ACTION_TABLE - 1)], obs).terminal) env.reset(obs);
    }
  }, runs);
  return steps / (median(times) / 1000);
}

function vecRate(game: string, steps: number, runs: number): number {
  const vec = new MinatarVecEnv(game, VEC_ENVS, { seed: 1 });
  const table = actionTable(vec.spec.legalActions, 3);
  const actions = new Uint8Array(VEC_ENVS);
  vec.reset();
  const batches = Math.ceil(steps / VEC_ENVS);
  const times = timeCalls(() => {
    for (let b = 0, k = 0; b < batches; b++) {
      for (let i = 0; i < VEC_ENVS; i++, k++) actions[i] = table[k & (ACTION_TABLE - 1)];
      vec.step(actions);
    }
  }, runs);
  return (batches * VEC_ENVS) / (median(times) / 1000);
}

export function benchMinatar(options = { steps: 1_000_000, referenceSteps: 100_000, runs: 5 }): MinatarBenchRow[] {
  return MINATAR_GAMES.map((game) => ({
    game,
    single: singleRate(game, options.steps, options.runs),
    vec32: vecRate(game, options.steps, options.runs),
    reference: callReference<{ stepsPerSecond: number }>('bench', {
      game,
      seed: 1,
      steps: options.referenceSteps,
      runs: 3,
    }).stepsPerSecond,
  }));
}

export function formatMinatarTable(rows: readonly MinatarBenchRow[]): string {
  const n = (v: number): string => Math.round(v).toLocaleString('en-US');
  const lines = [
    '| game | ours single (steps/s) | ours VecEnv×32 (steps/s) | reference (steps/s) | single / ref | vec / ref |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    const ratio = (v: number): string => (v / r.reference).toFixed(1) + '×';
    lines.push(
      `| ${r.game} | ${n(r.single)} | ${n(r.vec32)} | ${n(r.reference)} | ${ratio(r.single)} | ${ratio(r.vec32)} |`,
    );
  }
  return lines.join('\n');
}
