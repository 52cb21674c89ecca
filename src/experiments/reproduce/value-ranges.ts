/**
 * Stage one of the pipeline (notebook 02): each game's teacher plays to measure [V_min, V_max], the
 * range H-PR partitions, and Figure 2's state distributions: the teacher's V_T of the states visited by
 * three policies of increasing ability. The paper's Net-1..3 are networks from different points of
 * training: here the teacher's snapshots (snapshots/pNN, NN % of its training) and the final teacher, all
 * at the evaluation protocol's ε. A teacher without snapshots (an Atari DQN teacher) falls back to itself at
 * ε = 1, 0.5 and 0.05, and the table's policy names say so.
 */
import { table } from 'arquero';
import type { GameSetup } from '../../distill/config';
import { binShares, type PlayBudget, valueRange, visitedStateValues } from '../../distill/state-values';
import { readTable, type TableSchema, writeTable } from '../../tables';
import { argMax, loadTeacher, type Teacher } from '../../train/teacher-file';
import { Rng } from '../../util/rng';
import { makeSuiteEnv } from '../common/suite-envs';
import type { Suite } from '../common/suites';
import type { SuiteTeachers, TeacherStage } from './teachers';

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

/** One of Figure 2's policies: who acts, at which ε, under which name. */
export interface Figure2Policy {
  readonly policy: string;
  readonly epsilon: number;
  readonly actor: Teacher;
}

/** Without snapshots, Net-1 and Net-2 are the teacher itself at ε = 1 (random play) and 0.5. */
const EPSILON_POLICIES = [
  { policy: 'Net-1 (random, ε = 1)', epsilon: 1 },
  { policy: 'Net-2 (teacher, ε = 0.5)', epsilon: 0.5 },
] as const;

/**
 * Figure 2's three policies of a game: its two latest snapshots (loaded here; the caller disposes them) and the
 * final teacher, or the ε fallback. Net-3 is always the teacher at the value-range play's ε.
 */
export function figure2Policies(teacher: Teacher, stages: readonly TeacherStage[], epsilon: number): Figure2Policy[] {
  if (stages.length < 2) {
    return [
      ...EPSILON_POLICIES.map((p) => ({ ...p, actor: teacher })),
      { policy: `Net-3 (teacher, ε = ${epsilon})`, epsilon, actor: teacher },
    ];
  }
  const [early, middle] = stages.slice(-2);
  const share = (stage: TeacherStage) => `${Number(stage.name.slice(1))} % of training`;
  return [
    { policy: `Net-1 (${share(early)}, ε = ${epsilon})`, epsilon, actor: loadTeacher(early.path) },
    { policy: `Net-2 (${share(middle)}, ε = ${epsilon})`, epsilon, actor: loadTeacher(middle.path) },
    { policy: `Net-3 (teacher, ε = ${epsilon})`, epsilon, actor: teacher },
  ];
}
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
    // The states are valued by the final teacher whoever plays: V_T of the states each policy visits.
    const play1 = (actor: Teacher, epsilon: number) =>
      visitedStateValues(
        game.spec,
        makeEnv,
        teacher.qValues,
        actor === teacher ? (_, q) => argMax(q) : (observation) => actor.greedyAction(observation),
        { ...play, epsilon },
        rng,
      );
    const policies = figure2Policies(teacher, teachers.stages[g], play.epsilon);
    const visited = policies.map(({ actor, epsilon }) => play1(actor, epsilon));
    for (const { actor } of policies) if (actor !== teacher) actor.dispose();
    // The range comes from the teacher's play at the evaluation protocol's ε, which Net-3 already is.
    const range = valueRange(visited[2]);
    ranges.push(range);
    log(
      `  ${game.spec.game}: V_T in [${range[0].toFixed(3)}, ${range[1].toFixed(3)}] (${g + 1}/${teachers.games.length})`,
    );
    const width = (range[1] - range[0]) / FIGURE2_BINS;
    policies.forEach(({ policy, epsilon }, p) => {
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
