/**
 * The teachers of a suite as distillation inputs: each game's network, score and file, read with the
 * teacher loop's own loader; a missing file stays a null teacher so that the run's checks name it (with
 * the command that makes it) before anything is built.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GameSetup } from '../../distill/config';
import type { QNetworkSpec } from '../../nn/qnetwork';
import { loadTeacher, type Teacher, teacherMismatch } from '../../train/teacher-file';
import { suiteSpec } from '../common/suite-envs';
import { gamesOf, type Suite } from '../common/suites';
import { EVALUATION_FILE, readTeacherEvaluation } from '../teach/teacher-evaluation';
import { shippedTeacherDirectory, snapshotFolders, TEACHER_FILE } from '../teach/teacher-run';

/** A network from an earlier stage of a teacher's training (snapshots/pNN: NN % of its steps), by its file. */
export interface TeacherStage {
  readonly name: string;
  readonly path: string;
}

export interface SuiteTeachers {
  /** One per game, value ranges not yet measured. */
  readonly games: readonly GameSetup[];
  /** The loaded teachers (null where a file is missing), in the order of `games`. */
  readonly teachers: readonly (Teacher | null)[];
  /** Each teacher's snapshots, earliest first (empty when it has none). */
  readonly stages: readonly (readonly TeacherStage[])[];
  /** Each teacher's 95 % interval of its score (evaluation.json's ci95), in the order of `games`; null without a teacher. */
  readonly teacherCi95: readonly (readonly [number, number] | null)[];
  /** The teachers' shared architecture and input scaling. */
  readonly teacherNetwork: QNetworkSpec;
  readonly inputScale: number;
  /**
   * SHA-256 over every loaded teacher's file and evaluation.json, in game order: what a run's results depend on
   * besides its configuration, so that a run made with other teachers is never taken for this one.
   */
  readonly digest: string;
}

/** Folder of `game`'s teacher: the shipped one, or ROOT/GAME when a root is given. */
export function teacherFolder(suite: Suite, game: string, root?: string): string {
  return root === undefined ? shippedTeacherDirectory(suite, game) : join(root, game);
}

/** Path of `game`'s teacher file. */
export function teacherPath(suite: Suite, game: string, root?: string): string {
  return join(teacherFolder(suite, game, root), TEACHER_FILE);
}

/** Loads every game's teacher and checks that they share one network and input scaling. */
export function loadSuiteTeachers(
  suite: Suite,
  games: readonly string[] = gamesOf(suite),
  root?: string,
): SuiteTeachers {
  const paths = games.map((game) => teacherPath(suite, game, root));
  const teachers = paths.map((path) => (existsSync(path) ? loadTeacher(path) : null));
  const teacherCi95: ([number, number] | null)[] = games.map(() => null);
  const setups: GameSetup[] = games.map((game, i) => {
    const spec = suiteSpec(suite, game);
    const teacher = teachers[i];
    let teacherScore: number | null = null;
    if (teacher) {
      const mismatch = teacherMismatch(teacher.meta, spec);
      if (mismatch !== null) throw new RangeError(`${paths[i]}: ${mismatch}`);
      // The 100 % line: the recorded evaluation over whole episodes, refused when missing, for another game, or
      // for another network than the one beside it.
      const folder = teacherFolder(suite, game, root);
      const evaluation = readTeacherEvaluation(folder, suite, game);
      if (evaluation.frames !== teacher.meta.trainedSteps) {
        throw new RangeError(
          `${join(folder, EVALUATION_FILE)} scores a network trained for ${evaluation.frames} frames, but ${paths[i]} was ` +
            `trained for ${teacher.meta.trainedSteps}; score it again with: distill-lab evaluate-teacher --suite ${suite} --game ${game} --teacher-dir ${folder} --write`,
        );
      }
      teacherScore = evaluation.meanReturn;
      teacherCi95[i] = [evaluation.ci95[0], evaluation.ci95[1]];
    }
    return {
      spec,
      teacher: teacher?.network ?? null,
      teacherPath: `${paths[i]} (make it with: distill-lab teach --suite ${suite} --game ${game} --preset full --ship)`,
      teacherScore,
      valueRange: null,
    };
  });
  const loaded = teachers.filter((t): t is Teacher => t !== null);
  if (loaded.length === 0)
    throw new RangeError(`no ${suite} teacher found: ${setups.map((s) => s.teacherPath).join('; ')}`);
  const first = loaded[0];
  for (const t of loaded) {
    if (
      JSON.stringify(t.meta.network) !== JSON.stringify(first.meta.network) ||
      t.meta.inputScale !== first.meta.inputScale
    ) {
      throw new RangeError(
        `teachers must share one network and input scale: ${t.meta.envId} has ${JSON.stringify(t.meta.network)} ×${t.meta.inputScale}, ` +
          `${first.meta.envId} has ${JSON.stringify(first.meta.network)} ×${first.meta.inputScale}`,
      );
    }
  }
  const stages = games.map((game) =>
    snapshotFolders(teacherFolder(suite, game, root)).map(([name, folder]) => ({
      name,
      path: join(folder, TEACHER_FILE),
    })),
  );
  const hash = createHash('sha256');
  games.forEach((game, i) => {
    if (teachers[i] === null) return;
    hash.update(`${game}\n`);
    hash.update(readFileSync(paths[i]));
    hash.update(readFileSync(join(teacherFolder(suite, game, root), EVALUATION_FILE)));
  });
  return {
    games: setups,
    teachers,
    teacherCi95,
    stages,
    teacherNetwork: first.meta.network,
    inputScale: first.meta.inputScale,
    digest: hash.digest('hex'),
  };
}
