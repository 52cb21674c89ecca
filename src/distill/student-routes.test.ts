import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { UpdateRoute } from '../nn/exported-graph';
import { type QNetworkSpec, qNetwork } from '../nn/qnetwork';
import { RmsProp } from '../nn/rmsprop';
import { createStudent, type ProposedStudentOptions, type StudentArchitecture, type StudentGame } from '../nn/students';
import type { ReplayBatch } from '../replay';
import { Rng } from '../util/rng';
import { SeedBatchRoutes } from './seed-batch-routes';
import {
  createStudentForward,
  createStudentUpdater,
  defaultStudentRoute,
  type StudentUpdateOptions,
} from './student-routes';

const TEACHER: QNetworkSpec = { convs: [{ filters: 4, kernel: 3, stride: 1 }], hidden: [16] };
const NUM_ACTIONS = 6;
const BATCH = 5;
// Five games, as the exported MinAtar student graphs expect: channel counts and legal actions differ, as in MinAtar.
const GAMES: StudentGame[] = [
  { name: 'a', observationShape: [6, 6, 2], legalActions: [0, 1, 2, 3, 4, 5] },
  { name: 'b', observationShape: [6, 6, 4], legalActions: [0, 2, 4] },
  { name: 'c', observationShape: [6, 6, 3], legalActions: [1, 3] },
  { name: 'd', observationShape: [6, 6, 4], legalActions: [0, 1, 5] },
  { name: 'e', observationShape: [6, 6, 1], legalActions: [2, 3, 4, 5] },
];
const HIDDEN: Record<StudentArchitecture, number[]> = { proposed: [16, 8], dist: [16], amn: [16, 8] };

function studentSetup(
  architecture: StudentArchitecture,
  route: UpdateRoute,
  games = GAMES,
  freezeTorso = false,
  seed = 7,
) {
  const options: ProposedStudentOptions = {
    games,
    numActions: NUM_ACTIONS,
    inputScale: 0.5,
    convs: TEACHER.convs,
    hidden: HIDDEN[architecture],
    teachers: games.map((g, i) =>
      qNetwork(`t${i}`, TEACHER, g.observationShape, g.legalActions.length, new Rng(30 + i)),
    ),
    freezeTorso,
  };
  const student = createStudent(architecture, options, new Rng(seed));
  const optimizer = new RmsProp(student.trainableVariables, {
    learningRate: 1e-2,
    decay: 0.95,
    epsilon: 0.01,
    centered: true,
  });
  const updateOptions: StudentUpdateOptions = {
    student,
    optimizer,
    batchSize: BATCH,
    inputScale: options.inputScale,
    tau: 0.1,
    convs: TEACHER.convs,
    denseLayers: HIDDEN[architecture].length + 1,
  };
  const dispose = () => {
    student.dispose();
    optimizer.dispose();
    for (const t of options.teachers) for (const v of t.variables) v.dispose();
  };
  return { student, optimizer, updateOptions, updater: createStudentUpdater(updateOptions, route), dispose };
}

function randomBatches(rng: Rng): ReplayBatch[] {
  return GAMES.map((game) => {
    const frame = game.observationShape.reduce((a: number, b) => a * b, 1);
    return {
      size: BATCH,
      indices: new Int32Array(BATCH),
      weights: new Float32Array(BATCH).map(() => 0.2 + 0.8 * rng.random()),
      observations: new Uint8Array(BATCH * frame).map(() => (rng.random() < 0.3 ? 1 : 0)),
      teacherQ: new Float32Array(BATCH * NUM_ACTIONS).map(() => rng.random() * 2 - 1),
      stateValues: new Float32Array(BATCH),
      actions: new Uint8Array(BATCH),
      rewards: new Float32Array(BATCH),
      terminals: new Uint8Array(BATCH),
      legalMask: new Uint8Array(NUM_ACTIONS),
    };
  });
}

function worstRelative(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1e-3, Math.abs(b[i])));
  return worst;
}

for (const architecture of ['proposed', 'dist', 'amn'] as const) {
  test(`${architecture}: the graph update equals the eager one (loss, q_S, weights, RMSProp slots)`, () => {
    const graph = studentSetup(architecture, 'graph');
    const eager = studentSetup(architecture, 'eager');
    const initial = graph.student.variables.map((v) => v.dataSync().slice());
    try {
      assert.equal(graph.updater.route, 'graph');
      assert.equal(defaultStudentRoute(eager.updateOptions), 'graph');
      const rng = new Rng(12);
      for (let u = 0; u < 4; u++) {
        const batches = randomBatches(rng);
        const fromGraph = graph.updater.update(batches);
        const fromEager = eager.updater.update(batches);
        assert.ok(fromEager.loss > 0);
        assert.ok(Math.abs(fromGraph.loss - fromEager.loss) <= 1e-5 * fromEager.loss, `update ${u}: loss`);
        assert.equal(fromGraph.studentQ.length, GAMES.length * BATCH * NUM_ACTIONS);
        assert.ok(worstRelative(fromGraph.studentQ, fromEager.studentQ) < 1e-4, `update ${u}: q_S`);
      }
      let moved = 0;
      graph.student.variables.forEach((v, i) => {
        assert.ok(worstRelative(v.dataSync(), eager.student.variables[i].dataSync()) < 1e-4, `variable ${i}`);
        moved = Math.max(moved, worstRelative(v.dataSync(), initial[i]));
      });
      // The weights did move: a graph that returned its inputs would pass the comparison above otherwise.
      assert.ok(moved > 1e-2);
      const [g, e] = [graph.optimizer.getState(), eager.optimizer.getState()];
      assert.equal(g.steps, 4);
      assert.ok(worstRelative(g.meanSquare, e.meanSquare) < 1e-4);
      assert.ok(worstRelative(g.meanGradient as Float32Array, e.meanGradient as Float32Array) < 1e-4);
    } finally {
      graph.dispose();
      eager.dispose();
    }
  });
}

for (const architecture of ['proposed', 'dist', 'amn'] as const) {
  test(`${architecture}: the graph forward pass equals the eager one`, () => {
    const { updateOptions, dispose } = studentSetup(architecture, 'eager');
    const graph = createStudentForward(updateOptions, 'graph');
    const eager = createStudentForward(updateOptions, 'eager');
    try {
      assert.equal(defaultStudentRoute(updateOptions, 'forward'), 'graph');
      const rng = new Rng(5);
      // The same rows for every game, then per game, some none (a game whose evaluation episodes have ended).
      for (const rows of [1, 3, [0, 2, 0, 1, 3]]) {
        const counts = GAMES.map((_, g) => (typeof rows === 'number' ? rows : rows[g]));
        const observations = GAMES.map((game, g) =>
          new Uint8Array(counts[g] * game.observationShape.reduce((a: number, b) => a * b, 1)).map(() =>
            rng.random() < 0.3 ? 1 : 0,
          ),
        );
        const q = graph.forward(observations, rows);
        assert.equal(q.length, counts.reduce((a, b) => a + b, 0) * NUM_ACTIONS);
        assert.ok(worstRelative(q, eager.forward(observations, rows)) < 1e-5, `rows ${rows}`);
      }
      assert.throws(
        () =>
          graph.forward(
            GAMES.map(() => new Uint8Array(0)),
            [0, 1],
          ),
        /a row count .* for each of 5 games, got \[0,1\]/,
      );
      assert.throws(() => graph.forward([], 1), /observations of 5 games, got 0/);
    } finally {
      graph.dispose();
      eager.dispose();
      dispose();
    }
  });
}

test('students without an exported graph take the eager route, and asking for the graph says why', () => {
  const fewerGames = studentSetup('amn', 'eager', GAMES.slice(0, 2));
  const frozen = studentSetup('proposed', 'eager', GAMES, true);
  try {
    assert.equal(defaultStudentRoute(fewerGames.updateOptions), 'eager');
    assert.equal(defaultStudentRoute(frozen.updateOptions), 'eager');
    // A frozen torso changes the update only: its forward pass has a graph.
    assert.equal(defaultStudentRoute(frozen.updateOptions, 'forward'), 'graph');
    assert.equal(defaultStudentRoute(fewerGames.updateOptions, 'forward'), 'eager');
    assert.throws(
      () => createStudentForward(fewerGames.updateOptions, 'graph'),
      /no forward graph for a amn student of 2/,
    );
    assert.throws(() => createStudentUpdater(fewerGames.updateOptions, 'graph'), /amn student of 2 games.*eager route/);
    assert.throws(() => createStudentUpdater(frozen.updateOptions, 'graph'), /frozen torso/);
  } finally {
    fewerGames.dispose();
    frozen.dispose();
  }
});

const SEEDS = 3;
// Batched matrix products add in another order than one seed's: the seeds agree with their solo runs to float rounding.
const SEED_BATCH_TOLERANCE = 1e-4;

for (const architecture of ['proposed', 'dist', 'amn'] as const) {
  test(`${architecture}: a seed batch's one update equals each seed's own update (to ${SEED_BATCH_TOLERANCE} relative)`, () => {
    const solo = Array.from({ length: SEEDS }, (_, s) => studentSetup(architecture, 'graph', GAMES, false, 40 + s));
    const batched = Array.from({ length: SEEDS }, (_, s) => studentSetup(architecture, 'graph', GAMES, false, 40 + s));
    const batch = new SeedBatchRoutes(batched.map((b) => b.updateOptions));
    try {
      const rng = new Rng(3);
      for (let u = 0; u < 3; u++) {
        const batches = solo.map(() => randomBatches(rng));
        const fromSolo = solo.map((run, s) => run.updater.update(batches[s]));
        const fromBatch = batch.update(batches);
        fromSolo.forEach((own, s) => {
          assert.ok(
            Math.abs(fromBatch[s].loss - own.loss) <= SEED_BATCH_TOLERANCE * own.loss,
            `update ${u} seed ${s}: loss`,
          );
          assert.ok(
            worstRelative(fromBatch[s].studentQ, own.studentQ) < SEED_BATCH_TOLERANCE,
            `update ${u} seed ${s}: q_S`,
          );
        });
      }
      // The seeds' own students hear of the batch's steps when it syncs (before evaluations and checkpoints).
      assert.equal(batched[0].optimizer.getState().steps, 0);
      batch.sync();
      solo.forEach((run, s) => {
        run.student.variables.forEach((v, i) => {
          const other = batched[s].student.variables[i].dataSync();
          assert.ok(worstRelative(other, v.dataSync()) < SEED_BATCH_TOLERANCE, `seed ${s} variable ${i}`);
        });
        assert.ok(
          worstRelative(batched[s].optimizer.getState().meanSquare, run.optimizer.getState().meanSquare) <
            SEED_BATCH_TOLERANCE,
        );
        assert.equal(batched[s].optimizer.getState().steps, 3);
      });
      // The seeds differ (a batch that applied seed 0's step to all would pass the loss checks of identical seeds).
      assert.ok(
        worstRelative(batched[1].student.variables[0].dataSync(), batched[0].student.variables[0].dataSync()) > 1e-2,
      );
      // Rows per game, some none, as an evaluation's late steps send.
      const rows = [2, 0, 1, 0, 2];
      const observations = solo.map(() =>
        GAMES.map((game, g) =>
          new Uint8Array(rows[g] * game.observationShape.reduce((a: number, b) => a * b, 1)).map(() =>
            rng.random() < 0.3 ? 1 : 0,
          ),
        ),
      );
      const q = batch.forward(observations, rows);
      solo.forEach((_, s) => {
        const own = createStudentForward(batched[s].updateOptions, 'graph');
        assert.equal(q[s].length, 5 * NUM_ACTIONS);
        assert.ok(worstRelative(q[s], own.forward(observations[s], rows)) < SEED_BATCH_TOLERANCE, `forward seed ${s}`);
        own.dispose();
      });
    } finally {
      batch.dispose();
      for (const run of [...solo, ...batched]) run.dispose();
    }
  });
}
