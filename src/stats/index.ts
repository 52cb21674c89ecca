/** Statistics for the paper's tables and figures and rliable's recommended aggregates. */
export { geometricMean, interquartileMean, mean, percentOfTeacher, quantile, trimmedMean } from './aggregate';
export { type BootstrapOptions, type IntervalEstimate, stratifiedBootstrap, stratifiedResample } from './bootstrap';
export { pairwiseImprovement, probabilityOfImprovement } from './improvement';
export { checkScoreMatrix, gameColumn, type ScoreMatrix } from './score-matrix';
export {
  drawTeacherScore,
  type NullableInterval,
  percentInterval,
  type TeacherScore,
  teacherHalfWidth,
  teacherStratifiedBootstrap,
} from './teacher-interval';
export { type LearningCurve, updatesRatio, updatesToThreshold } from './threshold';
