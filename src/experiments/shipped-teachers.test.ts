import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { MINATAR_GAMES } from '../env/minatar';
import { loadTeacher } from '../train/teacher-file';
import { reevaluateTeacher } from './teacher-run';
import { shippedTeacherPath } from './teacher-scores';

for (const game of MINATAR_GAMES) {
  test(`the shipped ${game} teacher scores what was recorded when it was trained`, () => {
    const path = shippedTeacherPath('minatar', game);
    assert.ok(existsSync(path), `${path} is missing: train it with the command in data/teachers/README.md`);
    const teacher = loadTeacher(path);
    try {
      const recorded = teacher.meta.finalEvaluation;
      assert.equal(teacher.meta.envId, `minatar/${game}`);
      assert.ok(recorded.episodes > 0, 'the recorded evaluation finished no episode');
      assert.deepEqual(reevaluateTeacher(teacher), recorded);
    } finally {
      teacher.dispose();
    }
  });
}
