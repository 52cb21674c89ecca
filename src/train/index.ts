/** The train layer's public API: loading and saving teacher files, and the error a diverging run stops with. */
export { DivergenceError } from './divergence';
export { type FinalEvaluation, loadTeacher, saveTeacher, type Teacher, type TeacherMeta } from './teacher-file';
