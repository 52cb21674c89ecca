import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { evaluateTeacher, readTeacherEvaluation, scoreEpisodes, writeTeacherEvaluation } from './teacher-evaluation';

const dir = mkdtempSync(join(tmpdir(), 'teacher-evaluation-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const protocol = { seed: 4, episodes: 8, epsilon: 0.05, maxNoops: 30, maxEpisodeSteps: 100_000 };

test('evaluation.json holds the score with its interval, a random policy under the same protocol, the published DQN', () => {
  const alwaysFirst = (_: Uint8Array, n: number, out: Int32Array) => out.fill(0, 0, n);
  const evaluation = evaluateTeacher(
    { suite: 'minatar', game: 'breakout', algorithm: 'pqn', frames: 123 },
    alwaysFirst,
    protocol,
  );
  assert.equal(evaluation.episodes, 8);
  assert.ok(evaluation.ci95[0] <= evaluation.meanReturn && evaluation.meanReturn <= evaluation.ci95[1]);
  assert.deepEqual(evaluation.published.dqn5M, 10);
  assert.equal(evaluation.randomPolicyReturn, scoreEpisodes('minatar', 'breakout', null, protocol).meanReturn);
  assert.deepEqual(
    evaluation.withoutNoopStarts,
    scoreEpisodes('minatar', 'breakout', alwaysFirst, { ...protocol, maxNoops: 0 }),
  );
  const folder = join(dir, 'breakout');
  mkdirSync(folder);
  writeTeacherEvaluation(folder, evaluation);
  assert.deepEqual(readTeacherEvaluation(folder, 'minatar', 'breakout'), evaluation);
  assert.throws(() => readTeacherEvaluation(folder, 'minatar', 'freeway'), {
    message: new RegExp(
      `^${join(folder, 'evaluation.json')} is the evaluation of minatar/breakout, expected minatar/freeway; make it with: distill-lab teach --suite minatar --game freeway --preset full --ship`,
    ),
  });
});

test('a missing or broken evaluation.json is refused with the file and the command that makes it', () => {
  const empty = join(dir, 'empty');
  mkdirSync(empty);
  assert.throws(() => readTeacherEvaluation(empty, 'minatar', 'seaquest'), {
    message: new RegExp(
      `^${join(empty, 'evaluation.json')} is missing: the teacher's score is unknown; make it with: distill-lab teach --suite minatar --game seaquest --preset full --ship`,
    ),
  });
  writeFileSync(
    join(empty, 'evaluation.json'),
    JSON.stringify({ suite: 'minatar', game: 'seaquest', meanReturn: null }),
  );
  assert.throws(() => readTeacherEvaluation(empty, 'minatar', 'seaquest'), {
    message: /evaluation\.json has no finite meanReturn with a ci95 \[lo, hi\]/,
  });
});
