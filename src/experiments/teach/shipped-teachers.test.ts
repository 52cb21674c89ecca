import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { MINATAR_GAMES } from '../../env/minatar';
import { loadTeacher } from '../../train/teacher-file';
import { readTeacherEvaluation } from './teacher-evaluation';
import { reevaluateTeacher, shippedTeacherDirectory } from './teacher-run';
import { shippedTeacherPath, teacherStages } from './teacher-scores';

for (const game of MINATAR_GAMES) {
  test(`the shipped ${game} teacher scores what its evaluation.json records, and has two earlier stages`, () => {
    const path = shippedTeacherPath('minatar', game);
    assert.ok(existsSync(path), `${path} is missing: train it with the command in data/teachers/README.md`);
    const evaluation = readTeacherEvaluation(shippedTeacherDirectory('minatar', game), 'minatar', game);
    const teacher = loadTeacher(path);
    try {
      const recorded = teacher.meta.finalEvaluation;
      assert.equal(teacher.meta.envId, `minatar/${game}`);
      assert.equal(evaluation.meanReturn, recorded.meanReturn);
      assert.deepEqual(evaluation.ci95, recorded.ci95);
      assert.deepEqual(evaluation.protocol, recorded.protocol);
      assert.equal(evaluation.frames, teacher.meta.trainedSteps);
      assert.ok(evaluation.episodes >= 100, `${evaluation.episodes} evaluation episodes`);
      assert.deepEqual(reevaluateTeacher(teacher), recorded);
    } finally {
      teacher.dispose();
    }
    const stages = teacherStages('minatar', game);
    assert.deepEqual(
      stages.map(([name]) => name),
      ['p05', 'p25', 'final'],
    );
    const frames = stages.map(([, folder]) => readTeacherEvaluation(folder, 'minatar', game).frames);
    assert.ok(frames[0] < frames[1] && frames[1] < frames[2], `stages at ${frames.join(', ')} frames`);
  });
}
