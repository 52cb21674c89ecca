/**
 * The shipped teachers' scores as recorded in their evaluation.json (mean return, 95 % interval, a random
 * policy's, the published DQN figure), the same evaluation run again now, and the snapshots' scores.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ColumnTable } from 'arquero';
import { MINATAR_GAMES } from '../../env/minatar';
import type { TableSchema } from '../../tables';
import { loadTeacher } from '../../train/teacher-file';
import type { Suite } from '../common/suites';
import {
  EVALUATION_COLUMNS,
  evaluationColumns,
  readTeacherEvaluation,
  scoreEpisodes,
  type TeacherEvaluation,
  tableOf,
} from './teacher-evaluation';
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
  ...EVALUATION_COLUMNS,
  reevaluated_return: 'float64',
  command: 'utf8',
};

export function teacherScoresTable(rows: readonly TeacherScore[]): ColumnTable {
  return tableOf(
    TEACHER_SCORES_SCHEMA,
    rows.map((r) => ({
      game: r.game,
      stage: r.stage,
      ...evaluationColumns(r.evaluation),
      reevaluated_return: r.reevaluated,
      command: r.command,
    })),
  );
}
