import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readScalarEvents, TENSORBOARD_DIR } from '../../log/tensorboard';
import { DqnAgent } from '../../train/dqn-agent';
import { loadTeacher } from '../../train/teacher-file';
import type { TrainerProgress } from '../../train/trainer-common';
import { parseOverride } from '../common/overrides';
import { teacherConfig } from './teacher-config';
import { readTeacherEvaluation } from './teacher-evaluation';
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
  'evaluation.finalEpisodes=3',
].map(parseOverride);
const config = teacherConfig('minatar', 'breakout', 'smoke', 3, SMALL, 'dqn');

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

  assert.deepEqual(second.evaluation, uninterrupted.evaluation);
  for (const file of [
    'teacher.dlck',
    'evaluation.json',
    'config.json',
    'command.txt',
    'learning-curve.arrow',
    'learning-curve.csv',
  ]) {
    assert.ok(existsSync(join(shipped, file)), `${file} was not shipped`);
  }
  const teacher = loadTeacher(join(shipped, 'teacher.dlck'));
  const evaluation = readTeacherEvaluation(shipped, 'minatar', 'breakout');
  assert.deepEqual(evaluation, uninterrupted.evaluation);
  assert.equal(evaluation.episodes, 3);
  assert.equal(evaluation.algorithm, 'dqn');
  assert.equal(evaluation.frames, 600);
  assert.deepEqual(reevaluateTeacher(teacher), teacher.meta.finalEvaluation);
  assert.equal(teacher.meta.finalEvaluation.meanReturn, evaluation.meanReturn);
  assert.equal(teacher.meta.command, 'test');
  teacher.dispose();
});

const TEACHER_TAGS = [
  'eval/final_score',
  'eval/score',
  'train/episode_return',
  'train/epsilon',
  'train/learning_rate',
  'train/loss',
];

/** The tags of a run's TensorBoard events, sorted. */
const tagsOf = (runDir: string) =>
  [...new Set(readScalarEvents(join(runDir, TENSORBOARD_DIR)).map((e) => e.tag))].sort();

test('a teacher run writes its scalars to RUN/tensorboard at the environment step, as float32', () => {
  const runDir = join(dir, 'tensorboard');
  const reports: TrainerProgress[] = [];
  // An evaluation at every progress report: both then average the same updates' losses.
  const everyReport = teacherConfig(
    'minatar',
    'breakout',
    'smoke',
    3,
    [...SMALL, parseOverride('evaluation.every=100')],
    'dqn',
  );
  const result = teach(everyReport, { runDir, hooks: { onProgress: (p) => reports.push(p) } });
  const events = readScalarEvents(join(runDir, TENSORBOARD_DIR));
  assert.deepEqual(tagsOf(runDir), TEACHER_TAGS);
  const series = (tag: string) => events.filter((e) => e.tag === tag).map((e) => [e.step, e.value]);
  const expected = (values: [number, number | null][]) =>
    values.filter(([, v]) => v !== null).map(([step, v]) => [step, Math.fround(v as number)]);
  assert.deepEqual(
    reports.map((p) => p.step),
    [100, 200, 300, 400, 500, 600],
  );
  assert.deepEqual(series('train/loss'), expected(reports.map((p) => [p.step, p.loss])));
  // No update before learningStarts = 100; then the mean loss since the previous report.
  assert.equal(reports[0].loss, null);
  assert.deepEqual(
    reports.map((p) => p.loss),
    result.evaluations.map((r) => r.loss),
  );
  assert.deepEqual(series('train/episode_return'), expected(reports.map((p) => [p.step, p.recentReturn])));
  assert.deepEqual(series('train/epsilon'), expected(reports.map((p) => [p.step, p.epsilon])));
  assert.deepEqual(
    series('train/learning_rate'),
    expected(
      reports.map((p) => [p.step, everyReport.algorithm === 'dqn' ? everyReport.dqn.optimizer.learningRate : null]),
    ),
  );
  assert.deepEqual(series('eval/score'), expected(result.evaluations.map((r) => [r.step, r.evalReturn])));
  assert.deepEqual(series('eval/final_score'), expected([[600, result.evaluation?.meanReturn ?? null]]));
});

test('--resume without a checkpoint says so', () => {
  const empty = join(dir, 'empty');
  assert.throws(() => teach(config, { runDir: empty, resume: true }), {
    message: `--resume: no checkpoint at ${join(empty, 'checkpoint.dlck')}; start the run without --resume`,
  });
});

test('a PQN run keeps snapshots at 5 % and 25 % of its steps, each evaluated, and ships them; a resume repeats itself', () => {
  const pqn = teacherConfig('minatar', 'breakout', 'smoke', 2);
  assert.equal(pqn.algorithm, 'pqn');
  const runDir = join(dir, 'pqn');
  const shipped = join(dir, 'pqn-shipped');
  const result = teach(pqn, { runDir, shipTo: shipped, command: 'pqn test' });
  assert.equal(result.finished, true);
  assert.equal(result.step, 2_048);
  assert.deepEqual(
    result.evaluations.map((r) => r.step),
    [1_024, 2_048],
  );
  for (const [stage, frames] of [
    ['p05', 256],
    ['p25', 512],
  ] as const) {
    const snapshot = readTeacherEvaluation(join(shipped, 'snapshots', stage), 'minatar', 'breakout');
    assert.equal(snapshot.frames, frames, stage);
    assert.equal(snapshot.algorithm, 'pqn');
  }
  // Two resumes from the same checkpoint (stopped after the first rollout) end identically.
  const resumed = ['a', 'b'].map((name) => {
    const folder = join(dir, `pqn-resume-${name}`);
    teach(pqn, { runDir: folder, hooks: { shouldStop: (step) => step >= 1_024 } });
    return teach(pqn, { runDir: folder, resume: true });
  });
  assert.equal(resumed[0].startStep, 1_024);
  assert.deepEqual(tagsOf(runDir), TEACHER_TAGS);
  // The resumed run appended to the stopped run's log.
  const scores = readScalarEvents(join(dir, 'pqn-resume-a', TENSORBOARD_DIR)).filter((e) => e.tag === 'eval/score');
  assert.deepEqual(
    scores.map((e) => e.step),
    [1_024, 2_048],
  );
  assert.deepEqual(resumed[0].evaluation, resumed[1].evaluation);
  assert.deepEqual(
    resumed[0].evaluations.map(({ seconds: _, ...row }) => row),
    resumed[1].evaluations.map(({ seconds: _, ...row }) => row),
  );
});

test('a teacher run whose loss blows up (DQN at learning rate 1) stops with DivergenceError and writes no teacher', (t) => {
  const runDir = join(dir, 'diverged');
  const shipTo = join(dir, 'diverged-shipped');
  // `teach --preset smoke --algorithm dqn --set optimizer.learningRate=1 --set loss=mse`, made smaller: the loss
  // jumps from about 0.004 to about 1000 at the second update (to 1e9 by the third, left to run).
  const blowUp = [...SMALL, parseOverride('optimizer.learningRate=1'), parseOverride('loss=mse')];
  const diverging = teacherConfig('minatar', 'breakout', 'smoke', 3, blowUp, 'dqn');
  assert.deepEqual(diverging.algorithm === 'dqn' && diverging.dqn.divergence, {
    factor: 1000,
    window: 100,
    minLoss: 1,
  });
  const losses: number[] = [];
  const update = DqnAgent.prototype.update;
  t.mock.method(DqnAgent.prototype, 'update', function (this: DqnAgent, batch: Parameters<DqnAgent['update']>[0]) {
    losses.push(update.call(this, batch));
    return losses[losses.length - 1];
  });
  assert.throws(
    () => teach(diverging, { runDir, shipTo }),
    (error: Error) => {
      assert.equal(error.name, 'DivergenceError');
      assert.equal(
        error.message,
        `training diverged at update 2: its loss ${losses[1]} is above 1000 × the mean of the previous loss ` +
          `(${Number(losses[0].toPrecision(4))}); training stopped. No checkpoint had been written yet. Lower the ` +
          'learning rate (the same settings are likely to diverge again), or raise divergence.factor if such jumps ' +
          'are expected.',
      );
      return true;
    },
  );
  assert.equal(losses.length, 2);
  assert.equal(existsSync(join(runDir, 'teacher.dlck')), false);
  assert.equal(existsSync(shipTo), false);
});
