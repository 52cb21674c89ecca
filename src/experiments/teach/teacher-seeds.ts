/**
 * Every seed of a teacher budget, side by side: each finished run's evaluation.json (and its snapshots') as
 * one table, every seed's learning curve as another, and which seed is the median one, the seed that ships.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ColumnTable } from 'arquero';
import { readTable, type TableSchema } from '../../tables';
import { dataFolder } from '../../util/paths';
import type { PresetName } from '../common/preset-env';
import type { Suite } from '../common/suites';
import { LEARNING_CURVE_SCHEMA, LEARNING_CURVE_TABLE } from './learning-curve';
import type { TeacherAlgorithm } from './teacher-config';
import {
  EVALUATION_COLUMNS,
  EVALUATION_FILE,
  evaluationColumns,
  readTeacherEvaluation,
  type TeacherEvaluation,
  tableOf,
} from './teacher-evaluation';
import { snapshotFolders, TEACHER_FILE } from './teacher-run';

export interface SeedRun {
  readonly game: string;
  readonly seed: number;
  readonly folder: string;
  /** `final`, then the snapshots by name (p05, p25). */
  readonly stages: readonly { readonly stage: string; readonly evaluation: TeacherEvaluation }[];
}

/** The finished runs (teacher and evaluation.json present) of `algorithm-preset-seedS` under data/runs/teachers. */
export function finishedSeedRuns(
  suite: Suite,
  games: readonly string[],
  algorithm: TeacherAlgorithm,
  preset: PresetName,
): SeedRun[] {
  const pattern = new RegExp(`^${algorithm}-${preset}-seed(\\d+)$`);
  return games.flatMap((game) => {
    const root = join(dataFolder(), 'runs', 'teachers', suite, game);
    if (!existsSync(root)) return [];
    return readdirSync(root)
      .map((name) => ({ name, match: pattern.exec(name) }))
      .filter(
        ({ name, match }) =>
          match !== null && existsSync(join(root, name, EVALUATION_FILE)) && existsSync(join(root, name, TEACHER_FILE)),
      )
      .map(({ name, match }) => {
        const folder = join(root, name);
        const stages = [
          { stage: 'final', evaluation: readTeacherEvaluation(folder, suite, game) },
          ...snapshotFolders(folder).map(([stage, snapshot]) => ({
            stage,
            evaluation: readTeacherEvaluation(snapshot, suite, game),
          })),
        ];
        return { game, seed: Number(match?.[1]), folder, stages };
      })
      .sort((a, b) => a.seed - b.seed);
  });
}

/** The median seed by final mean return (of an even count, the lower of the two middle ones). */
export function medianSeed(runs: readonly { readonly seed: number; readonly meanReturn: number }[]): number {
  if (runs.length === 0) throw new RangeError('the median seed of no runs is undefined');
  const sorted = [...runs].sort((a, b) => a.meanReturn - b.meanReturn || a.seed - b.seed);
  return sorted[Math.floor((sorted.length - 1) / 2)].seed;
}

export const TEACHER_SEEDS_TABLE = 'teacher-seeds-minatar';

export const TEACHER_SEEDS_SCHEMA: TableSchema = {
  game: 'utf8',
  seed: 'int32',
  stage: 'utf8',
  shipped: 'bool',
  ...EVALUATION_COLUMNS,
};

/** One row per run and stage; `shipped` marks each game's median seed. */
export function teacherSeedsTable(runs: readonly SeedRun[]): ColumnTable {
  const shipped = new Map<string, number>();
  for (const game of new Set(runs.map((r) => r.game))) {
    const ofGame = runs.filter((r) => r.game === game);
    shipped.set(game, medianSeed(ofGame.map((r) => ({ seed: r.seed, meanReturn: r.stages[0].evaluation.meanReturn }))));
  }
  const rows = runs.flatMap((run) =>
    run.stages.map(({ stage, evaluation: e }) => ({
      game: run.game,
      seed: run.seed,
      stage,
      shipped: shipped.get(run.game) === run.seed,
      ...evaluationColumns(e),
    })),
  );
  return tableOf(TEACHER_SEEDS_SCHEMA, rows);
}

/** The final networks of `teacherSeedsTable` as a Markdown table (docs/teachers.md quotes it; a test checks the quote). */
export function teacherSeedsMarkdown(seeds: ColumnTable): string {
  const f = (v: unknown) => (typeof v === 'number' ? v.toFixed(2) : 'n/a');
  const lines = [
    '| game | seed | frames | episodes | mean return [95 % CI] | without no-op starts [95 % CI] | random policy | published DQN 5 M | shipped |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const r of seeds.objects() as Record<string, unknown>[]) {
    if (r.stage !== 'final') continue;
    lines.push(
      `| ${r.game} | ${r.seed} | ${r.frames} | ${r.episodes} | ${f(r.mean_return)} [${f(r.ci95_low)}, ${f(r.ci95_high)}] | ` +
        `${f(r.without_noop_starts_return)} [${f(r.without_noop_starts_ci95_low)}, ${f(r.without_noop_starts_ci95_high)}] | ` +
        `${f(r.random_return)} | ${f(r.published_dqn_5m)} | ${r.shipped ? 'yes' : ''} |`,
    );
  }
  return lines.join('\n');
}

export const TEACHER_CURVES_TABLE = 'teacher-curves-minatar';

/** Every run's learning curve without its wall-clock seconds (which stay in the run folders), stacked. */
export const TEACHER_CURVES_SCHEMA: TableSchema = Object.fromEntries(
  Object.entries(LEARNING_CURVE_SCHEMA).filter(([name]) => name !== 'seconds'),
);

export function teacherCurvesTable(runs: readonly SeedRun[]): ColumnTable {
  if (runs.length === 0) throw new RangeError('no finished run: there is no learning curve to stack');
  const columns = Object.keys(TEACHER_CURVES_SCHEMA);
  return runs
    .map((run) => readTable(LEARNING_CURVE_TABLE, columns, run.folder).select(...columns))
    .reduce((all, curve) => all.concat(curve));
}
