/**
 * A distillation run's scalars in its TensorBoard log (`<runDir>/tensorboard`), at the update count (the x axis
 * of the learning curves): every progress report (PROGRESS_EVERY updates) `train/loss`, `train/epsilon`,
 * `train/learning_rate` and, for prioritized samplers, per game `replay/priority_mean/GAME`,
 * `replay/priority_max/GAME`, `replay/is_weight_mean/GAME`, `replay/is_weight_min/GAME`; every evaluation
 * `eval/score/GAME` and `eval/percent_of_teacher/GAME`.
 */
import type { TensorBoardLog } from '../log/tensorboard';
import type { GameSetup } from './config';
import type { DistillHooks } from './distiller';

/** `hooks` (called after) with the run's scalars also written to `log`. */
export function withTensorBoard(
  log: TensorBoardLog,
  games: readonly GameSetup[],
  hooks: DistillHooks = {},
): DistillHooks {
  const names = games.map((g) => g.spec.game);
  return {
    ...hooks,
    onProgress: (p) => {
      log.scalar('train/loss', p.loss, p.updates);
      log.scalar('train/epsilon', p.epsilon, p.updates);
      log.scalar('train/learning_rate', p.learningRate, p.updates);
      p.replay?.forEach((s, g) => {
        log.scalar(`replay/priority_mean/${names[g]}`, s.priorityMean, p.updates);
        log.scalar(`replay/priority_max/${names[g]}`, s.priorityMax, p.updates);
        log.scalar(`replay/is_weight_mean/${names[g]}`, s.weightMean, p.updates);
        log.scalar(`replay/is_weight_min/${names[g]}`, s.weightMin, p.updates);
      });
      hooks.onProgress?.(p);
    },
    onEvaluation: (row, rows) => {
      names.forEach((name, g) => {
        log.scalar(`eval/score/${name}`, row.scores[g], row.updates);
        log.scalar(`eval/percent_of_teacher/${name}`, row.percentOfTeacher[g], row.updates);
      });
      log.flush();
      hooks.onEvaluation?.(row, rows);
    },
  };
}
