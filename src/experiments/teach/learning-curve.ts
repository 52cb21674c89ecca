/** A teacher's learning curve as a result table (Arrow + CSV): one row per evaluation. */
import { table } from 'arquero';
import { type TablePaths, type TableSchema, writeTable } from '../../tables';
import type { EvaluationRow } from '../../train/trainer-common';

export const LEARNING_CURVE_TABLE = 'learning-curve';

export const LEARNING_CURVE_SCHEMA: TableSchema = {
  suite: 'utf8',
  game: 'utf8',
  seed: 'int32',
  step: 'int32',
  episodes: 'int32',
  updates: 'int32',
  epsilon: 'float64',
  eval_episodes: 'int32',
  eval_return: 'float64',
  train_return: 'float64',
  loss: 'float64',
  seconds: 'float64',
};

/** Writes the curve into `dir` as learning-curve.{arrow,csv}, replacing what was there. */
export function writeLearningCurve(
  dir: string,
  run: { suite: string; game: string; seed: number },
  rows: readonly EvaluationRow[],
): TablePaths {
  const column = <T>(pick: (row: EvaluationRow) => T): T[] => rows.map(pick);
  const curve = table({
    suite: column(() => run.suite),
    game: column(() => run.game),
    seed: column(() => run.seed),
    step: column((r) => r.step),
    episodes: column((r) => r.episodes),
    updates: column((r) => r.updates),
    epsilon: column((r) => r.epsilon),
    eval_episodes: column((r) => r.evalEpisodes),
    eval_return: column((r) => r.evalReturn),
    train_return: column((r) => r.trainReturn),
    loss: column((r) => r.loss),
    seconds: column((r) => r.seconds),
  });
  return writeTable(LEARNING_CURVE_TABLE, curve, LEARNING_CURVE_SCHEMA, dir);
}
