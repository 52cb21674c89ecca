/** The shipped teachers' scores beside a uniformly random policy's, both under the paper's evaluation protocol. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type ColumnTable, table } from 'arquero';
import { MINATAR_GAMES } from '../env/minatar';
import type { TableSchema } from '../tables';
import { evaluatePolicy } from '../train/evaluate';
import { loadTeacher } from '../train/teacher-file';
import { Rng } from '../util/rng';
import type { Suite } from './teacher-config';
import { makeSuiteEnv, reevaluateTeacher, shippedTeacherDirectory, suiteSpec, TEACHER_FILE } from './teacher-run';

export interface TeacherScore {
  readonly game: string;
  readonly trainedSteps: number;
  readonly evaluationSteps: number;
  /** The score stored with the teacher when it was trained. */
  readonly recorded: number | null;
  /** The same evaluation run again now (equal to `recorded` when nothing has drifted). */
  readonly reevaluated: number | null;
  /** A uniformly random policy under the same protocol, budget and seed. */
  readonly random: number | null;
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

export function randomPolicyScore(suite: Suite, game: string, steps: number, seed: number): number | null {
  const spec = suiteSpec(suite, game);
  const config = { every: 1, steps, epsilon: 1, maxNoops: 30 };
  const result = evaluatePolicy(
    spec,
    (s) => makeSuiteEnv(suite, game, s),
    () => 0,
    config,
    new Rng(seed),
  );
  return result.meanReturn;
}

/** Loads every shipped MinAtar teacher, re-runs its evaluation and a random policy's. */
export function shippedTeacherScores(games: readonly string[] = shippedMinatarGames()): TeacherScore[] {
  return games.map((game) => {
    const teacher = loadTeacher(shippedTeacherPath('minatar', game));
    try {
      const recorded = teacher.meta.finalEvaluation;
      return {
        game,
        trainedSteps: teacher.meta.trainedSteps,
        evaluationSteps: recorded.steps,
        recorded: recorded.meanReturn,
        reevaluated: reevaluateTeacher(teacher).meanReturn,
        random: randomPolicyScore('minatar', game, recorded.steps, recorded.seed),
        command: teacher.meta.command,
      };
    } finally {
      teacher.dispose();
    }
  });
}

export const TEACHER_SCORES_TABLE = 'teacher-scores-minatar';

export const TEACHER_SCORES_SCHEMA: TableSchema = {
  game: 'utf8',
  trained_steps: 'int32',
  evaluation_steps: 'int32',
  recorded_return: 'float64',
  reevaluated_return: 'float64',
  random_return: 'float64',
  command: 'utf8',
};

export function teacherScoresTable(rows: readonly TeacherScore[]): ColumnTable {
  return table({
    game: rows.map((r) => r.game),
    trained_steps: rows.map((r) => r.trainedSteps),
    evaluation_steps: rows.map((r) => r.evaluationSteps),
    recorded_return: rows.map((r) => r.recorded),
    reevaluated_return: rows.map((r) => r.reevaluated),
    random_return: rows.map((r) => r.random),
    command: rows.map((r) => r.command),
  });
}
