/**
 * The shipped teachers' scores as recorded in their evaluation.json (mean return, 95 % interval, a random
 * policy's, the published DQN figure), the same evaluation run again now, and the snapshots' scores.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type ColumnTable, table } from 'arquero';
import { MINATAR_GAMES } from '../env/minatar';
import type { TableSchema } from '../tables';
import { loadTeacher } from '../train/teacher-file';
import type { Suite } from './teacher-config';
import { readTeacherEvaluation, scoreEpisodes, type TeacherEvaluation } from './teacher-evaluation';
import { shippedTeacherDirectory, snapshotFolders, TEACHER_FILE } from './teacher-run';

export interface TeacherScore {
  readonly game: string;
  /** `final`, or the snapshot's folder name (p05: 5 % of the run's steps). */
  readonly stage: string;
  readonly evaluation: TeacherEvaluation;
  /** The recorded evaluation run again now (equal to `evaluation.meanReturn` when nothing has drifted); null when not re-run. */
  readonly reevaluated: number | null;
  readonly command: string;
}

/** Path of a shipped teacher file. */
export function shippedTeacherPath(suite: Suite, game: string): string {
  return join(shippedTeacherDirectory(suite, game), TEACHER_FILE);
}

/** The MinAtar games that have a shipped teacher. */
export function shippedMinatarGames(): string[] {
  return MINATAR_GAMES.filter((game) => existsSync(shippedTeacherPath('minatar', game)));
}

/** A shipped teacher's stages, earliest first, ending with the final network: [stage name, folder]. */
export function teacherStages(suite: Suite, game: string): [string, string][] {
  const folder = shippedTeacherDirectory(suite, game);
  return [...snapshotFolders(folder), ['final', folder]];
}

/** Every stage of every shipped MinAtar teacher, re-evaluated when `reevaluate` (minutes for Freeway's 2,500-step episodes). */
export function shippedTeacherScores(
  games: readonly string[] = shippedMinatarGames(),
  reevaluate = true,
): TeacherScore[] {
  return games.flatMap((game) =>
    teacherStages('minatar', game).map(([stage, folder]) => {
      const evaluation = readTeacherEvaluation(folder, 'minatar', game);
      const teacher = loadTeacher(join(folder, TEACHER_FILE));
      try {
        return {
          game,
          stage,
          evaluation,
          // The recorded protocol of evaluation.json, played again.
          reevaluated: reevaluate
            ? scoreEpisodes('minatar', game, teacher.greedyActions, evaluation.protocol).meanReturn
            : null,
          command: teacher.meta.command,
        };
      } finally {
        teacher.dispose();
      }
    }),
  );
}

export const TEACHER_SCORES_TABLE = 'teacher-scores-minatar';

export const TEACHER_SCORES_SCHEMA: TableSchema = {
  game: 'utf8',
  stage: 'utf8',
  algorithm: 'utf8',
  frames: 'int32',
  episodes: 'int32',
  mean_return: 'float64',
  ci95_low: 'float64',
  ci95_high: 'float64',
  reevaluated_return: 'float64',
  random_return: 'float64',
  without_noop_starts_return: 'float64',
  published_dqn_5m: 'float64',
  command: 'utf8',
};

export function teacherScoresTable(rows: readonly TeacherScore[]): ColumnTable {
  return table({
    game: rows.map((r) => r.game),
    stage: rows.map((r) => r.stage),
    algorithm: rows.map((r) => r.evaluation.algorithm),
    frames: rows.map((r) => r.evaluation.frames),
    episodes: rows.map((r) => r.evaluation.episodes),
    mean_return: rows.map((r) => r.evaluation.meanReturn),
    ci95_low: rows.map((r) => r.evaluation.ci95[0]),
    ci95_high: rows.map((r) => r.evaluation.ci95[1]),
    reevaluated_return: rows.map((r) => r.reevaluated),
    random_return: rows.map((r) => r.evaluation.randomPolicyReturn),
    without_noop_starts_return: rows.map((r) => r.evaluation.withoutNoopStarts.meanReturn),
    published_dqn_5m: rows.map((r) => r.evaluation.published.dqn5M),
    command: rows.map((r) => r.command),
  });
}
