/**
 * Stage one of the pipeline (notebook 02): each game's teacher plays to measure [V_min, V_max], the
 * range H-PR partitions, and Figure 2's state distributions: the teacher's V_T of the states visited by
 * three policies of increasing ability. The paper's Net-1..3 are networks from different points of
 * training; here they are the teacher itself with ε = 1 (random play), 0.5 and 0.05, which orders
 * ability the same way, needs no extra checkpoints and is repeatable from the seed.
 */
import { table } from 'arquero';
import type { Suite } from '../experiments/teacher-config';
import { makeSuiteEnv } from '../experiments/teacher-run';
import { readTable, type TableSchema, writeTable } from '../tables';
import { argMax, type Teacher } from '../train/teacher-file';
import { Rng } from '../util/rng';
import type { GameSetup } from './config';
import { binShares, type PlayBudget, valueRange, visitedStateValues } from './state-values';
import type { SuiteTeachers } from './teachers';

export const VALUE_RANGE_TABLE = 'value-ranges';
export const STATE_DISTRIBUTION_TABLE = 'state-distribution';

export const VALUE_RANGE_SCHEMA: TableSchema = {
  game: 'utf8',
  v_min: 'float64',
  v_max: 'float64',
  steps: 'int32',
  epsilon: 'float64',
};
export const STATE_DISTRIBUTION_SCHEMA: TableSchema = {
  game: 'utf8',
  policy: 'utf8',
  epsilon: 'float64',
  bin: 'int32',
  bin_low: 'float64',
  bin_high: 'float64',
  share: 'float64',
};

/** Figure 2's policies: the teacher, ε-greedy, from random to the evaluation protocol's ε. */
export const FIGURE2_POLICIES = [
  { policy: 'Net-1 (random, ε = 1)', epsilon: 1 },
  { policy: 'Net-2 (teacher, ε = 0.5)', epsilon: 0.5 },
  { policy: 'Net-3 (teacher, ε = 0.05)', epsilon: 0.05 },
] as const;
const FIGURE2_BINS = 10;

/** Measures every game's range and Figure 2's distributions, writes both tables into `dir`, returns the ranges. */
export function measureValueRanges(
  suite: Suite,
  teachers: SuiteTeachers,
  play: PlayBudget,
  seed: number,
  dir: string,
  log: (line: string) => void = () => {},
): [number, number][] {
  const rng = new Rng(seed);
  const ranges: [number, number][] = [];
  const distribution: Record<string, unknown>[] = [];
  teachers.games.forEach((game, g) => {
    const teacher = teachers.teachers[g] as Teacher;
    const makeEnv = (s: number) => makeSuiteEnv(suite, game.spec.game, s);
    const play1 = (epsilon: number) =>
      visitedStateValues(game.spec, makeEnv, teacher.qValues, (_, q) => argMax(q), { ...play, epsilon }, rng);
    const visited = FIGURE2_POLICIES.map(({ epsilon }) => play1(epsilon));
    // The range comes from the play at the evaluation protocol's ε, which Net-3 already is.
    const sameAsRange = FIGURE2_POLICIES.findIndex(({ epsilon }) => epsilon === play.epsilon);
    const range = valueRange(sameAsRange >= 0 ? visited[sameAsRange] : play1(play.epsilon));
    ranges.push(range);
    log(
      `  ${game.spec.game}: V_T in [${range[0].toFixed(3)}, ${range[1].toFixed(3)}] (${g + 1}/${teachers.games.length})`,
    );
    const width = (range[1] - range[0]) / FIGURE2_BINS;
    FIGURE2_POLICIES.forEach(({ policy, epsilon }, p) => {
      binShares(visited[p], range, FIGURE2_BINS).forEach((share, bin) => {
        distribution.push({
          game: game.spec.game,
          policy,
          epsilon,
          bin,
          bin_low: range[0] + bin * width,
          bin_high: range[0] + (bin + 1) * width,
          share,
        });
      });
    });
  });
  const names = teachers.games.map((g) => g.spec.game);
  writeTable(
    VALUE_RANGE_TABLE,
    table({
      game: names,
      v_min: ranges.map((r) => r[0]),
      v_max: ranges.map((r) => r[1]),
      steps: names.map(() => play.steps),
      epsilon: names.map(() => play.epsilon),
    }),
    VALUE_RANGE_SCHEMA,
    dir,
  );
  writeTable(
    STATE_DISTRIBUTION_TABLE,
    table(columns(distribution, Object.keys(STATE_DISTRIBUTION_SCHEMA))),
    STATE_DISTRIBUTION_SCHEMA,
    dir,
  );
  return ranges;
}

/** The ranges written by `measureValueRanges`, in the order of `games`; an error names a game the table lacks. */
export function readValueRanges(games: readonly GameSetup[], dir: string): [number, number][] {
  const rows = readTable(VALUE_RANGE_TABLE, Object.keys(VALUE_RANGE_SCHEMA), dir).objects() as {
    game: string;
    v_min: number;
    v_max: number;
  }[];
  return games.map(({ spec }) => {
    const row = rows.find((r) => r.game === spec.game);
    if (!row)
      throw new RangeError(`${dir}: the value-range table has no row for ${spec.game}; delete it to measure again`);
    return [row.v_min, row.v_max];
  });
}

function columns(rows: readonly Record<string, unknown>[], names: readonly string[]): Record<string, unknown[]> {
  return Object.fromEntries(names.map((name) => [name, rows.map((r) => r[name])]));
}
