import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { qNetwork } from '../nn/qnetwork';
import { tf } from '../nn/tf';
import { Rng } from '../util/rng';
import { writeCheckpoint } from './checkpoint-file';
import { CORRIDOR_SPEC } from './corridor-env';
import { loadTeacher, saveTeacher, TEACHER_REMEDY, type TeacherMeta, teacherMismatch } from './teacher-file';

const dir = mkdtempSync(join(tmpdir(), 'teacher-file-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const SPEC = { convs: [{ filters: 2, kernel: 3, stride: 1 }], hidden: [4] };
const META: TeacherMeta = {
  envId: CORRIDOR_SPEC.id,
  suite: 'minatar',
  game: 'corridor',
  observationShape: CORRIDOR_SPEC.observationShape,
  legalActions: CORRIDOR_SPEC.legalActions,
  network: SPEC,
  inputScale: 0.5,
  trainedSteps: 10,
  finalEvaluation: {
    protocol: { seed: 1, episodes: 2, epsilon: 0.05, maxNoops: 30, maxEpisodeSteps: 100 },
    episodes: 2,
    meanReturn: 1,
    ci95: [0, 2],
    truncatedEpisodes: 0,
  },
  run: { any: 'thing' },
  command: 'distill-lab teach …',
};

test('a saved teacher reloads with the same weights and Q-values', () => {
  const network = qNetwork('online', SPEC, CORRIDOR_SPEC.observationShape, 3, new Rng(4));
  const path = join(dir, 'teacher.dlck');
  saveTeacher(path, network, META);
  const teacher = loadTeacher(path);
  assert.deepEqual(teacher.meta, META);
  const observation = new Uint8Array(50).map((_, i) => i % 2);
  // The teacher scales its input by inputScale itself.
  const scaled = tf.tensor4d(
    Float32Array.from(observation, (v) => v * 0.5),
    [1, 5, 5, 2],
  );
  const expected = network.apply(scaled).dataSync() as Float32Array;
  assert.deepEqual(teacher.qValues(observation), expected);
  assert.equal(teacher.greedyAction(observation), expected.indexOf(Math.max(...expected)));
  assert.equal(teacherMismatch(teacher.meta, CORRIDOR_SPEC), null);
  assert.equal(
    teacherMismatch(teacher.meta, { ...CORRIDOR_SPEC, legalActions: [0, 1] }),
    "teacher's actions [0,1,2] differ from the environment's [0,1]",
  );
  teacher.dispose();
});

test('a teacher file whose weights do not fit its network names the variable', () => {
  const path = join(dir, 'bad.dlck');
  writeCheckpoint(path, 'teacher', { meta: META, arrays: { 'online/online/torso/conv0/kernel': new Float32Array(3) } });
  assert.throws(() => loadTeacher(path), {
    message: `${path}: network variables do not match (missing: online/torso/conv0/bias, online/head/dense0/kernel, online/head/dense0/bias, online/head/dense1/kernel, online/head/dense1/bias; unexpected: none)`,
  });
});

test('a damaged or format-1 teacher file is refused, saying how to get a good one', () => {
  const network = qNetwork('online', SPEC, CORRIDOR_SPEC.observationShape, 3, new Rng(4));
  const path = join(dir, 'damaged.dlck');
  saveTeacher(path, network, META);
  tf.dispose([...network.variables]);
  const bytes = readFileSync(path);
  bytes[bytes.length - 1] ^= 0x01;
  writeFileSync(path, bytes);
  assert.throws(() => loadTeacher(path), {
    message:
      `${path}: corrupt checkpoint (its contents do not match the SHA-256 recorded in it): retrain the teacher ` +
      "(the command is in command.txt beside it), or for a shipped teacher restore the repository's copy " +
      '(git checkout -- data/teachers)',
  });
  writeFileSync(path, Buffer.concat([Buffer.from('DLCKPT1\n', 'latin1'), bytes.subarray(40)]));
  assert.throws(() => loadTeacher(path), {
    message:
      `${path}: checkpoint of format 1, written without a checksum by an earlier version; this version reads ` +
      `only checksummed files (format 2): ${TEACHER_REMEDY}`,
  });
});
