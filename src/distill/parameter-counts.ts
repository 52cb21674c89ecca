/**
 * Parameter counts of each architecture's student for a set of games and teachers, beside the teachers'
 * total: the size side of the paper's comparison (printed by `reproduce` and notebook 03).
 */
import { parameterCount } from '../nn/layers';
import { createStudent, type StudentArchitecture } from '../nn/students';
import { Rng } from '../util/rng';
import type { DistillConfig } from './config';
import { type DistillerSetup, studentOptions } from './distiller';

export interface ParameterCounts {
  /** Per architecture, the student's scalar parameters (frozen ones included). */
  readonly students: Readonly<Partial<Record<StudentArchitecture, number>>>;
  /** All teachers together. */
  readonly teachers: number;
}

/** Builds each configuration's student once (weights are irrelevant), counts and disposes it. */
export function parameterCounts(
  configs: readonly DistillConfig[],
  setup: Omit<DistillerSetup, 'makeEnv' | 'config'>,
): ParameterCounts {
  const students: Partial<Record<StudentArchitecture, number>> = {};
  for (const config of configs) {
    if (students[config.architecture] !== undefined) continue;
    const student = createStudent(config.architecture, studentOptions({ ...setup, config }), new Rng(0));
    students[config.architecture] = student.parameterCount();
    student.dispose();
  }
  const teachers = setup.games.reduce((n, g) => n + parameterCount(g.teacher?.variables ?? []), 0);
  return { students, teachers };
}

/** One line: "students: proposed 1,234 parameters, …; the N teachers together: …". */
export function parameterCountsLine(counts: ParameterCounts, teachers: number): string {
  const format = (n: number) => n.toLocaleString('en-US');
  const students = Object.entries(counts.students).map(([a, n]) => `${a} ${format(n)}`);
  return `students: ${students.join(', ')} parameters; the ${teachers} teachers together: ${format(counts.teachers)}`;
}
