import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readTable } from '../../tables';
import { PROJECT_ROOT } from '../../util/paths';
import { readTeacherEvaluation } from './teacher-evaluation';
import { shippedTeacherDirectory } from './teacher-run';
import { medianSeed, TEACHER_SEEDS_SCHEMA, TEACHER_SEEDS_TABLE, teacherSeedsMarkdown } from './teacher-seeds';

test('the shipped seed is the median by final mean return; of an even count, the lower middle one', () => {
  const runs = [
    { seed: 0, meanReturn: 30 },
    { seed: 1, meanReturn: 10 },
    { seed: 2, meanReturn: 20 },
  ];
  assert.equal(medianSeed(runs), 2);
  assert.equal(medianSeed(runs.slice(0, 2)), 1);
  assert.equal(medianSeed([{ seed: 7, meanReturn: 1 }]), 7);
  // Ties are ordered by seed.
  assert.equal(
    medianSeed([
      { seed: 4, meanReturn: 5 },
      { seed: 3, meanReturn: 5 },
      { seed: 9, meanReturn: 6 },
    ]),
    4,
  );
  assert.throws(() => medianSeed([]), { message: 'the median seed of no runs is undefined' });
});

test("docs/teachers.md quotes the committed seed table, and each shipped teacher is its game's median seed", () => {
  const tables = join(PROJECT_ROOT, 'data', 'tables');
  const seeds = readTable(TEACHER_SEEDS_TABLE, Object.keys(TEACHER_SEEDS_SCHEMA), tables);
  const page = readFileSync(join(PROJECT_ROOT, 'docs', 'teachers.md'), 'utf8');
  assert.ok(
    page.includes(teacherSeedsMarkdown(seeds)),
    'docs/teachers.md does not quote `node bin/distill-lab.js teacher-seeds` as data/tables/teacher-seeds-minatar holds it',
  );
  const finals = (
    seeds.objects() as { game: string; seed: number; stage: string; shipped: boolean; mean_return: number }[]
  ).filter((r) => r.stage === 'final');
  for (const game of new Set(finals.map((r) => r.game))) {
    const ofGame = finals.filter((r) => r.game === game);
    const shipped = ofGame.filter((r) => r.shipped);
    assert.equal(shipped.length, 1, `${game}: one shipped seed`);
    assert.equal(shipped[0].seed, medianSeed(ofGame.map((r) => ({ seed: r.seed, meanReturn: r.mean_return }))));
    const evaluation = readTeacherEvaluation(shippedTeacherDirectory('minatar', game), 'minatar', game);
    assert.equal(
      evaluation.meanReturn,
      shipped[0].mean_return,
      `${game}: the shipped evaluation.json is seed ${shipped[0].seed}'s`,
    );
  }
});
