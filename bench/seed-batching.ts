/**
 * What training S seeds of a variant in one computation would save on this machine: seeds per hour for S = 1, 5, 10
 * on three routes, each against the one-seed reference measured in the same run (medians of several rounds).
 *   - separate runs: today's route, one process per seed, two at a time on two cores (`reproduce --jobs 2`),
 *     projected from the measured one-seed loop;
 *   - fused graph: the proposed student's update and acting forward pass for S seeds in one call each
 *     (`createSeedBatchUpdater` / `createSeedBatchForward`: weights with a leading seed axis, batched matrix
 *     products), plus the one-seed loop's remaining time (environments, labels, memories) per seed;
 *   - floor: the update's floating-point operations for S seeds at the best matrix-product throughput measured
 *     here, the bound no batching can beat.
 *   TF_NUM_INTRAOP_THREADS=1 TF_NUM_INTEROP_THREADS=1 npx tsx bench/seed-batching.ts [--rounds 5]
 */
import { parseArgs } from 'node:util';
import {
  createSeedBatchForward,
  createSeedBatchUpdater,
  createStudentForward,
  createStudentUpdater,
  type SeedBatchForward,
  type SeedBatchUpdater,
  type StudentForward,
  type StudentUpdateOptions,
  type StudentUpdater,
} from '../src/distill/student-routes';
import { MINATAR_GAMES, makeMinatarEnv } from '../src/env/minatar';
import { distillConfig } from '../src/experiments/reproduce/presets';
import { MINATAR_DQN, type QNetwork } from '../src/nn/qnetwork';
import { RmsProp } from '../src/nn/rmsprop';
import { createStudent, DEFAULT_STUDENT_HIDDEN } from '../src/nn/students';
import { backendInfo, tf } from '../src/nn/tf';
import type { ReplayBatch } from '../src/replay';
import { Rng } from '../src/util/rng';
import { standInDistiller, standInTeachers } from './stand-in-distiller';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const rounds = Number(values.rounds);
const BATCH = 32;
const UPDATE_EVERY = 4;
const FILTERS = 16;
const KERNEL = 3;
const SEEDS = [1, 5, 10] as const;

const specs = MINATAR_GAMES.map((game) => makeMinatarEnv(game).spec);
const channels = specs.map((s) => s.observationShape[2]);
const side = specs[0].observationShape[0] - KERNEL + 1;
const numActions = specs[0].numActions;
const dense = [side * side * FILTERS, ...DEFAULT_STUDENT_HIDDEN.minatar.proposed, numActions];

/** Multiply-adds of one row's forward pass (the game's convolution, then the shared layers), averaged over games. */
function forwardMacsPerRow(): number {
  const conv = channels.reduce((sum, c) => sum + side * side * KERNEL * KERNEL * c * FILTERS, 0) / channels.length;
  let layers = 0;
  for (let i = 0; i + 1 < dense.length; i++) layers += dense[i] * dense[i + 1];
  return conv + layers;
}

/** FLOPs of one seed's update: forward, and a backward pass of about twice its cost, over every game's batch. */
const updateFlops = 3 * 2 * forwardMacsPerRow() * BATCH * specs.length;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Median milliseconds of `run` over `rounds` rounds of `reps` calls each (after a warm-up). */
function timeMs(run: () => void, reps: number): number {
  for (let i = 0; i < 3; i++) run();
  return median(
    Array.from({ length: rounds }, () => {
      const started = performance.now();
      for (let i = 0; i < reps; i++) run();
      return (performance.now() - started) / reps;
    }),
  );
}

/** S proposed students of the five games (stand-in teachers' torsos), each with its own weights and optimizer. */
function seedStudents(seeds: number, teachers: readonly QNetwork[]): StudentUpdateOptions[] {
  return Array.from({ length: seeds }, (_, s) => {
    const games = specs.map((spec) => ({
      name: spec.game,
      observationShape: spec.observationShape,
      legalActions: spec.legalActions,
    }));
    const options = {
      games,
      numActions,
      inputScale: 1,
      convs: MINATAR_DQN.convs,
      hidden: DEFAULT_STUDENT_HIDDEN.minatar.proposed,
      teachers,
      freezeTorso: false,
    };
    const student = createStudent('proposed', options, new Rng(s));
    const optimizer = new RmsProp(student.trainableVariables, {
      learningRate: 2.5e-3,
      decay: 0.95,
      epsilon: 0.01,
      centered: true,
    });
    return { student, optimizer, batchSize: BATCH, tau: 0.01, inputScale: 1, convs: MINATAR_DQN.convs, denseLayers: 3 };
  });
}

/** One random batch per game, as a memory would hand them out. */
function randomBatches(rng: Rng, rows: number): ReplayBatch[] {
  return specs.map((spec) => {
    const frame = spec.observationShape.reduce((a, b) => a * b, 1);
    return {
      size: rows,
      indices: new Int32Array(rows),
      weights: new Float32Array(rows).fill(1),
      observations: new Uint8Array(rows * frame).map(() => (rng.random() < 0.1 ? 1 : 0)),
      teacherQ: new Float32Array(rows * numActions).map(() => rng.random() * 2 - 1),
      stateValues: new Float32Array(rows),
      actions: new Uint8Array(rows),
      rewards: new Float32Array(rows),
      terminals: new Uint8Array(rows),
      legalMask: new Uint8Array(numActions),
    };
  });
}

/** Milliseconds of one update and one acting forward pass: one seed on its own graph route, or S in a seed batch. */
function routeMs(seeds: number | null, teachers: readonly QNetwork[]): { update: number; forward: number } {
  const students = seedStudents(seeds ?? 1, teachers);
  const rng = new Rng(1);
  const batches = students.map(() => randomBatches(rng, BATCH));
  const observations = students.map(() => randomBatches(rng, 1).map((b) => b.observations));
  const solo = seeds === null;
  const updater = solo ? createStudentUpdater(students[0], 'graph') : createSeedBatchUpdater(students);
  const forward = solo ? createStudentForward(students[0], 'graph') : createSeedBatchForward(students);
  const result = {
    update: timeMs(
      () => (solo ? (updater as StudentUpdater).update(batches[0]) : (updater as SeedBatchUpdater).update(batches)),
      5,
    ),
    forward: timeMs(
      () =>
        solo
          ? (forward as StudentForward).forward(observations[0], 1)
          : (forward as SeedBatchForward).forward(observations, 1),
      50,
    ),
  };
  updater.dispose();
  forward.dispose();
  for (const s of students) {
    s.student.dispose();
    s.optimizer.dispose();
  }
  return result;
}

/** The best float32 matrix-product throughput measured on the student's largest layer (GFLOP/s). */
function gemmGflops(): number {
  const [m, k, n] = [BATCH * specs.length, dense[0], dense[1]];
  const a = tf.randomNormal([m, k]);
  const b = tf.randomNormal([k, n]);
  // Disposed by hand: tf.tidy around a host read costs more than the product itself here.
  const ms = timeMs(() => {
    const c = tf.matMul(a, b);
    c.dataSync();
    c.dispose();
  }, 20);
  tf.dispose([a, b]);
  return (2 * m * k * n) / (ms * 1e6);
}

/** One seed's whole loop (acting, labels, updates; evaluation left out): milliseconds per update and the update's share. */
function oneSeedLoop(): { perUpdate: number; update: number } {
  const teachers = standInTeachers();
  const updates = 300;
  const config = distillConfig('minatar', 'quick', { architecture: 'proposed', sampler: 'uniform' }, 0, [
    { totalUpdates: updates, learningStarts: 1_000, evaluation: { every: updates }, checkpointEvery: updates },
  ]);
  const samples = Array.from({ length: Math.max(1, Math.floor(rounds / 2)) }, () => {
    const distiller = standInDistiller(config, teachers);
    const started = performance.now();
    const { timing } = distiller.run();
    const wall = performance.now() - started;
    distiller.dispose();
    // The filling before the first update is the same for any budget: per update, only the learning phase.
    const fill =
      (config.learningStarts / UPDATE_EVERY) * (timing.act / (updates + config.learningStarts / UPDATE_EVERY));
    // The one evaluation at the end is not part of an update's cost either.
    const learning = wall - fill * 1000 - timing.evaluation * 1000;
    return { perUpdate: learning / updates, update: (timing.update * 1000) / updates };
  });
  for (const t of teachers) tf.dispose([...t.variables]);
  return { perUpdate: median(samples.map((s) => s.perUpdate)), update: median(samples.map((s) => s.update)) };
}

const perHour = (msPerUpdate: number, seeds: number) => (seeds * 3_600_000) / msPerUpdate;

function main(): void {
  const threads = `${process.env.TF_NUM_INTRAOP_THREADS ?? 'default'} intra-op thread(s)`;
  console.log(`backend: ${backendInfo.description}; ${threads}; medians of ${rounds} rounds`);
  const loop = oneSeedLoop();
  const teachers = standInTeachers();
  const single = routeMs(null, teachers);
  const gflops = gemmGflops();
  // Acting, labels and memory work per update besides the update and the 4 acting forward passes.
  const rest = Math.max(0, loop.perUpdate - loop.update - UPDATE_EVERY * single.forward);
  console.log(
    `one seed: ${loop.perUpdate.toFixed(2)} ms per update in the loop (update ${loop.update.toFixed(2)} ms, ` +
      `graph call alone ${single.update.toFixed(2)} ms; acting forward ${single.forward.toFixed(3)} ms); ` +
      `update ≈ ${(updateFlops / 1e6).toFixed(0)} MFLOP, best matrix product ${gflops.toFixed(1)} GFLOP/s`,
  );
  console.log('| seeds | separate runs, 2 at a time | fused graph | floor | seed-updates/h separate | fused | floor |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const seeds of SEEDS) {
    // Wall per update of the whole batch, as a multiple of one seed's.
    const separate = Math.ceil(seeds / 2) * loop.perUpdate;
    const batch = routeMs(seeds, teachers);
    const fused = batch.update + UPDATE_EVERY * batch.forward + seeds * rest;
    const floor = (seeds * updateFlops) / (gflops * 1e6);
    const ratio = (ms: number) => `${(ms / loop.perUpdate).toFixed(2)}×`;
    console.log(
      `| ${seeds} | ${ratio(separate)} | ${ratio(fused)} | ${ratio(floor)} | ` +
        `${perHour(separate, seeds).toFixed(0)} | ${perHour(fused, seeds).toFixed(0)} | ${perHour(floor, seeds).toFixed(0)} |`,
    );
  }
  console.log("(× one seed's wall per update; seed-updates/h: updates per hour summed over the seeds)");
  for (const t of teachers) tf.dispose([...t.variables]);
}

main();
