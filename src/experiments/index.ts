/** The experiments layer's public API: presets, suites, teacher runs, the `reproduce` pipeline and its tables. */

export { measureBackendSpeed } from './backend/backend-speed';
export { BACKEND_SPEED_SCHEMA, BACKEND_SPEED_TABLE } from './backend/backend-speed-table';
export { DEFAULT_PRESET, isPresetName, PRESET_NAMES, type PresetName, presetFromEnv } from './common/preset-env';
export { gamesOf, SUITES, type Suite } from './common/suites';
export { FIGURES } from './figures';
export { CLAIMS_TABLE, readClaims, readValueShifts } from './reproduce/claims';
export { CURVE_RISE_TABLE, curveRiseByCut, curveRiseTable } from './reproduce/curve-rise';
export {
  showAndExport,
  showClaimSentences,
  showClaims,
  showMarkdown,
  writeFinishedCurves,
  writeFinishedResults,
} from './reproduce/notebook';
export type { Pipeline, PipelineOptions } from './reproduce/pipeline';
export { type ReproducePlan, type RunVariant, reproducePlan } from './reproduce/presets';
export {
  curveRows,
  pipelineFigures,
  preparePipeline,
  type ReproduceOptions,
  type ReproduceResult,
  reproduce,
  resultDirectories,
  trainRuns,
} from './reproduce/reproduce';
export {
  AGGREGATES_TABLE,
  ARCHITECTURES_TABLE,
  DISTILL_CURVES_TABLE,
  RETURNS_TABLE,
  THRESHOLDS_TABLE,
} from './reproduce/reproduce-tables';
export { architectureSummary, resultsSummary, thresholdSummary } from './reproduce/summary';
export { loadSuiteTeachers, type SuiteTeachers } from './reproduce/teachers';
export { STATE_DISTRIBUTION_TABLE, VALUE_RANGE_TABLE } from './reproduce/value-ranges';
export {
  TEACHER_ALGORITHMS,
  type TeacherAlgorithm,
  type TeacherRunConfig,
  teacherConfig,
} from './teach/teacher-config';
export { readTeacherEvaluation, type TeacherEvaluation } from './teach/teacher-evaluation';
export { teacherFrames, tileHorizontally } from './teach/teacher-play';
export { runDirectory, type TeachOptions, type TeachResult, teach } from './teach/teacher-run';
export {
  shippedMinatarGames,
  shippedTeacherPath,
  shippedTeacherScores,
  TEACHER_SCORES_SCHEMA,
  TEACHER_SCORES_TABLE,
  teacherScoresTable,
} from './teach/teacher-scores';
export { TEACHER_CURVES_SCHEMA, TEACHER_CURVES_TABLE, TEACHER_SEEDS_TABLE } from './teach/teacher-seeds';
