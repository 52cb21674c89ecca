import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadTeacher } from '../train/teacher-file';
import { parseOverride, teacherConfig } from './teacher-config';
import { reevaluateTeacher, teach } from './teacher-run';

const dir = mkdtempSync(join(tmpdir(), 'teacher-run-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const SMALL = [
  'totalSteps=600',
  'learningStarts=100',
  'batchSize=8',
  'evaluation.every=200',
  'evaluation.steps=150',
  'checkpointEvery=200',
].map(parseOverride);
const config = teacherConfig('minatar', 'breakout', 'smoke', 3, SMALL);

/** The learning curve's CSV without its last column (training seconds, which no two runs share). */
function curveWithoutSeconds(runDir: string): string {
  const lines = readFileSync(join(runDir, 'learning-curve.csv'), 'utf8').trim().split('\n');
  assert.equal(lines[0].split(',').at(-1), 'seconds');
  return lines.map((line) => line.slice(0, line.lastIndexOf(','))).join('\n');
}

test('teach --resume after a stop writes the same learning curve and teacher as an uninterrupted run', () => {
  const whole = join(dir, 'whole');
  const shipped = join(dir, 'shipped');
  const uninterrupted = teach(config, { runDir: whole, shipTo: shipped, command: 'test' });
  assert.equal(uninterrupted.finished, true);
  assert.deepEqual(
    uninterrupted.evaluations.map((r) => r.step),
    [200, 400, 600],
  );

  const split = join(dir, 'split');
  const first = teach(config, { runDir: split, hooks: { shouldStop: (step) => step === 450 } });
  assert.equal(first.finished, false);
  assert.throws(() => teach(config, { runDir: split }), {
    message: `${split} already holds a run (checkpoint.dlck); pass --resume to continue it, or remove the folder to start over`,
  });
  const second = teach(config, { runDir: split, resume: true });
  assert.equal(second.finished, true);
  assert.ok(second.startStep >= 200 && second.startStep <= 450, `resumed at ${second.startStep}`);
  assert.equal(curveWithoutSeconds(split), curveWithoutSeconds(whole));

  assert.deepEqual(second.finalEvaluation, uninterrupted.finalEvaluation);
  for (const file of ['teacher.dlck', 'config.json', 'command.txt', 'learning-curve.arrow', 'learning-curve.csv']) {
    assert.ok(existsSync(join(shipped, file)), `${file} was not shipped`);
  }
  const teacher = loadTeacher(join(shipped, 'teacher.dlck'));
  assert.deepEqual(reevaluateTeacher(teacher), uninterrupted.finalEvaluation);
  assert.equal(teacher.meta.command, 'test');
  teacher.dispose();
});

test('--resume without a checkpoint says so', () => {
  const empty = join(dir, 'empty');
  assert.throws(() => teach(config, { runDir: empty, resume: true }), {
    message: `--resume: no checkpoint at ${join(empty, 'checkpoint.dlck')}; start the run without --resume`,
  });
});
