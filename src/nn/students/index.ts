/** The three multi-task students of the paper's comparison, built by name. */
import type { Rng } from '../../util/rng';
import { amnStudent } from './amn';
import { distStudent } from './dist';
import { type ProposedStudentOptions, proposedStudent } from './proposed';
import { STUDENT_ARCHITECTURES, type Student, type StudentArchitecture } from './student';

export { exploratoryAction, greedyLegalAction } from './action';
export { amnStudent } from './amn';
export { distStudent } from './dist';
export { copyTorsoWeights, type ProposedStudentOptions, proposedStudent } from './proposed';
export {
  STUDENT_ARCHITECTURES,
  type Student,
  type StudentArchitecture,
  type StudentGame,
  type StudentOptions,
} from './student';

/**
 * Hidden widths per suite. Atari: the paper's 1028 and 512 (proposed); DIST keeps the teacher's
 * single 512-unit layer per game (Rusu et al.); AMN gets the proposed student's shared stack, so the two
 * differ only in shared vs per-game convolutions. MinAtar scales the same ratios to its 128-unit
 * teacher (Young & Tian): 256 (≈ 2× the teacher's, as 1028 ≈ 2× 512) and 128 (= the teacher's).
 */
export const DEFAULT_STUDENT_HIDDEN: Readonly<
  Record<'minatar' | 'atari', Readonly<Record<StudentArchitecture, readonly number[]>>>
> = {
  minatar: { proposed: [256, 128], dist: [128], amn: [256, 128] },
  atari: { proposed: [1028, 512], dist: [512], amn: [1028, 512] },
};

export function isStudentArchitecture(name: string): name is StudentArchitecture {
  return (STUDENT_ARCHITECTURES as readonly string[]).includes(name);
}

/** The student `architecture` names; `teachers` and `freezeTorso` are used by the proposed one only. */
export function createStudent(architecture: string, options: ProposedStudentOptions, rng: Rng): Student {
  switch (architecture) {
    case 'proposed':
      return proposedStudent(options, rng);
    case 'dist':
      return distStudent(options, rng);
    case 'amn':
      return amnStudent(options, rng);
    default:
      throw new RangeError(
        `unknown student architecture '${architecture}': expected one of ${STUDENT_ARCHITECTURES.join(', ')}`,
      );
  }
}
