import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../util/rng';
import { parameterCount } from '../layers';
import { distillationKl } from '../losses';
import { type QNetwork, qNetwork } from '../qnetwork';
import { type Tensor2D, type Tensor4D, tf, type Variable } from '../tf';
import { createStudent, exploratoryAction, greedyLegalAction, type StudentGame } from './index';

// A small suite: two 4×4 games with 1 and 2 channels, 3 actions in all, one 2-filter 3×3 convolution
// (features 2×2×2 = 8) and a 4-unit hidden layer.
const convs = [{ filters: 2, kernel: 3, stride: 1 }];
const games: StudentGame[] = [
  { name: 'a', observationShape: [4, 4, 1], legalActions: [0, 1] },
  { name: 'b', observationShape: [4, 4, 2], legalActions: [1, 2] },
];
const teachers = (): QNetwork[] =>
  games.map((g, i) =>
    qNetwork(`teacher${i}`, { convs, hidden: [5] }, g.observationShape, g.legalActions.length, new Rng(10 + i)),
  );
const options = (freezeTorso = false) => ({
  games,
  numActions: 3,
  inputScale: 1,
  convs,
  hidden: [4],
  teachers: teachers(),
  freezeTorso,
});
const observations = (game: number, batch: number): Tensor4D => {
  const [h, w, c] = games[game].observationShape;
  const values = Array.from({ length: batch * h * w * c }, (_, i) => ((i * 7) % 3 === 0 ? 1 : 0));
  return tf.tensor4d(values, [batch, h, w, c], 'int32');
};

test('parameter counts by hand for the small suite', () => {
  // Torso a: 3·3·1·2 + 2 = 20; torso b (and any torso reading the padded 2 channels): 3·3·2·2 + 2 = 38.
  // Hidden 8→4: 36. Shared output 4→3: 15. DIST per game: 36 + output 4→2: 10.
  assert.equal(createStudent('proposed', options(), new Rng(1)).parameterCount(), 20 + 38 + 36 + 15);
  assert.equal(createStudent('dist', options(), new Rng(1)).parameterCount(), 38 + 2 * (36 + 10));
  assert.equal(createStudent('amn', options(), new Rng(1)).parameterCount(), 38 + 36 + 15);
  // Teachers: torso + 8→5 (45) + 5→2 (12).
  assert.equal(parameterCount(teachers().flatMap((t) => t.variables)), 20 + 45 + 12 + (38 + 45 + 12));
});

test('every student maps each game to [batch, numActions] and names its variables uniquely', () => {
  for (const architecture of ['proposed', 'dist', 'amn']) {
    const student = createStudent(architecture, options(), new Rng(2));
    assert.deepEqual(student.forward(0, observations(0, 3)).shape, [3, 3]);
    assert.deepEqual(student.forward(1, observations(1, 2)).shape, [2, 3]);
    assert.equal(new Set(student.variableNames).size, student.variables.length);
    assert.deepEqual(Array.from(student.legalMask(1).dataSync()), [0, 1, 1]);
    assert.throws(
      () => student.forward(0, observations(1, 1)),
      /a: observations must be \[batch, 4, 4, 1\], got \[1, 4, 4, 2\]/,
    );
    assert.throws(() => student.forward(2, observations(0, 1)), /game index must be an integer in \[0, 2\), got 2/);
  }
});

test("forwardAll equals each game's forward, stacked in game order, and checks every batch", () => {
  for (const architecture of ['proposed', 'dist', 'amn']) {
    const student = createStudent(architecture, options(), new Rng(3));
    const xs = [observations(0, 3), observations(1, 2)];
    const all = student.forwardAll(xs);
    assert.deepEqual(all.shape, [5, 3]);
    const separate = tf.concat([student.forward(0, xs[0]), student.forward(1, xs[1])]).dataSync();
    const together = all.dataSync();
    for (let i = 0; i < separate.length; i++) {
      assert.ok(Math.abs(together[i] - separate[i]) < 1e-6, `${architecture} [${i}] ${together[i]} vs ${separate[i]}`);
    }
    assert.throws(() => student.forwardAll([xs[0]]), /one batch of observations per game \(2\), got 1/);
    assert.throws(() => student.forwardAll([xs[1], xs[0]]), /a: observations must be \[batch, 4, 4, 1\]/);
  }
});

test("proposed student's torsos start exactly at the teachers' weights, as copies", () => {
  const opts = options();
  const student = createStudent('proposed', opts, new Rng(3));
  assert.deepEqual(student.variableNames.slice(0, 4), [
    'proposed/a/torso/conv0/kernel',
    'proposed/a/torso/conv0/bias',
    'proposed/b/torso/conv0/kernel',
    'proposed/b/torso/conv0/bias',
  ]);
  const teacherTorsoValues = opts.teachers.flatMap((t) => t.torso.variables.map((v) => Array.from(v.dataSync())));
  assert.deepEqual(
    student.variables.slice(0, 4).map((v) => Array.from(v.dataSync())),
    teacherTorsoValues,
  );
  // Training the student's copy leaves the teacher unchanged.
  student.variables[0].assign(tf.zerosLike(student.variables[0]));
  assert.deepEqual(Array.from(opts.teachers[0].torso.variables[0].dataSync()), teacherTorsoValues[0]);
});

test('freezeTorso keeps the torsos out of the trainable variables only', () => {
  const frozen = createStudent('proposed', options(true), new Rng(4));
  assert.equal(frozen.variables.length, 8);
  assert.equal(frozen.trainableVariables.length, 4);
  assert.ok(
    frozen.trainableVariables.every((v) =>
      frozen.variableNames[frozen.variables.indexOf(v)].startsWith('proposed/shared/'),
    ),
  );
  assert.equal(createStudent('proposed', options(false), new Rng(4)).trainableVariables.length, 8);
});

/** Gradients of game 0's eq. 4 loss with respect to the variables it reaches, by variable name. */
function lossGradients(architecture: string): Record<string, Float32Array> {
  const student = createStudent(architecture, options(), new Rng(5));
  const teacherQ = tf.tensor2d([
    [1, -1, 9],
    [0, 2, 9],
  ]);
  const reached = student.variables.filter((_, i) => !/\/b\//.test(student.variableNames[i]));
  const { grads } = tf.variableGrads(
    () =>
      distillationKl(
        teacherQ,
        student.forward(0, observations(0, 2)),
        0.5,
        tf.tile(student.legalMask(0), [2, 1]) as Tensor2D,
      ).mean(),
    reached as Variable[],
  );
  const out: Record<string, Float32Array> = {};
  reached.forEach((v) => {
    out[student.variableNames[student.variables.indexOf(v)]] = grads[v.name].dataSync() as Float32Array;
  });
  return out;
}

test('an illegal action gets zero gradient through the shared output', () => {
  for (const [architecture, prefix] of [
    ['proposed', 'proposed/shared/dense1'],
    ['amn', 'amn/shared/head/dense1'],
  ]) {
    const grads = lossGradients(architecture);
    const kernel = grads[`${prefix}/kernel`]; // [4 hidden, 3 actions]; game a lacks action 2
    const bias = grads[`${prefix}/bias`];
    for (let h = 0; h < 4; h++) assert.equal(kernel[h * 3 + 2], 0, `${architecture} kernel[${h}, 2]`);
    assert.equal(bias[2], 0);
    assert.ok(bias[0] !== 0 && bias[1] !== 0, `${architecture}: legal actions learn (${bias})`);
  }
});

test('zero-padded channels give the shared filters no gradient from a game that lacks them', () => {
  // Game a has 1 channel, padded to 2: the kernel [3, 3, 2 in, 2 out] gets gradient on input channel 0 only.
  const kernel = lossGradients('dist')['dist/shared/torso/conv0/kernel'];
  for (let i = 0; i < kernel.length; i++) {
    const inChannel = Math.floor(i / 2) % 2;
    if (inChannel === 1) assert.equal(kernel[i], 0, `entry ${i}`);
  }
  assert.ok(kernel.some((g) => g !== 0));
});

test("DIST answers only on the game's own actions", () => {
  const q = createStudent('dist', options(), new Rng(6)).forward(1, observations(1, 2)).arraySync() as number[][];
  assert.deepEqual(
    q.map((row) => row[0]),
    [0, 0],
  );
  assert.ok(q.every((row) => row[1] !== 0 && row[2] !== 0));
});

test('action choice never picks an illegal action', () => {
  assert.equal(greedyLegalAction([1, 0, 99], [0, 1]), 0);
  assert.equal(greedyLegalAction([5, 3, 4, 9, 1, 2], [1, 2], 3), 2); // second row [9, 1, 2]: 9 is illegal
  const rng = new Rng(7);
  const counts = [0, 0, 0];
  for (let i = 0; i < 1000; i++) counts[exploratoryAction([0, 1], 1, rng) as number]++;
  assert.equal(counts[2], 0);
  assert.ok(counts[0] > 400 && counts[1] > 400, String(counts));
  assert.equal(exploratoryAction([0, 1], 0, rng), null); // ε = 0: always greedy
  let explored = 0;
  for (let i = 0; i < 10_000; i++) if (exploratoryAction([0, 1], 0.25, rng) !== null) explored++;
  assert.ok(Math.abs(explored / 10_000 - 0.25) < 0.02, `explored ${explored} of 10000 at ε = 0.25`);
  assert.throws(() => exploratoryAction([0], 1.5, rng), /epsilon must be in \[0, 1\], got 1.5/);
});

test('bad configurations fail before anything is built', () => {
  assert.throws(
    () => createStudent('gated', options(), new Rng(1)),
    /unknown student architecture 'gated': expected one of proposed, dist, amn/,
  );
  assert.throws(
    () => createStudent('proposed', { ...options(), teachers: teachers().slice(1) }, new Rng(1)),
    /2 games, 1 teachers/,
  );
  const wide = games.map((g, i) =>
    qNetwork(
      `w${i}`,
      { convs: [{ filters: 3, kernel: 3, stride: 1 }], hidden: [5] },
      g.observationShape,
      2,
      new Rng(1),
    ),
  );
  assert.throws(
    () => createStudent('proposed', { ...options(), teachers: wide }, new Rng(1)),
    /a: the teacher's convolutional layers have shapes \[3, 3, 1, 3\] \[3\], the student's need \[3, 3, 1, 2\] \[2\]/,
  );
  const mixed = [games[0], { name: 'c', observationShape: [5, 5, 1] as const, legalActions: [0] }];
  assert.throws(
    () => createStudent('amn', { ...options(), games: mixed }, new Rng(1)),
    /one frame size: c is 5×5, a is 4×4/,
  );
  assert.throws(
    () => createStudent('amn', { ...options(), games: [{ ...games[0], legalActions: [1, 0] }] }, new Rng(1)),
    /a: legalActions must be ascending/,
  );
});
