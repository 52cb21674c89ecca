/**
 * What training S seeds of a variant in one process costs on this machine: the whole distillation loop (acting,
 * teacher labels, memories, updates; evaluation left out), the proposed student with uniform sampling on the five
 * MinAtar games and stand-in teachers, one intra-op thread per process. Each route is timed against one seed's loop
 * in the same run, as seed-updates per hour and as a multiple of one seed's wall per update:
 *   - separate runs: one process per seed, two at a time on two cores (`reproduce --jobs 2`), projected from one seed;
 *   - one seed batch: S seeds in one process (`reproduce --seed-batch S --jobs 1`): one graph call per acting step,
 *     one labelling call per game and one update call for all the seeds (distill/seed-batch-distiller.ts);
 *   - two seed batches side by side: two processes of ⌈S/2⌉ and ⌊S/2⌋ seeds, measured running together
 *     (`--seed-batch ⌈S/2⌉ --jobs 2`, what `reproduce` does with both cores);
 *   - their graph calls alone: what the two processes' graph calls per update cost without the rest of the loop
 *     (graphCallsPerUpdate), measured side by side; the bound no host-side work can beat for these calls;
 *   - FLOP floor: the updates' floating-point operations at the best matrix-product throughput measured here, on two
 *     cores, the bound no batching can beat.
 * A loop's cost per update is the difference of two budgets (U and 3U updates, each in fresh processes) over 2U, so
 * start-up, graph loading and the memory-filling steps before the first update cancel. Medians of several rounds.
 * Then where a seed-update goes in one process of 1, 5 and 10 seeds (acting with the teachers' labels, the update,
 * the environments), from the loop's own timers in this process, and one evaluation (the `full` preset's protocol: 8
 * whole episodes per game) per seed, alone and with its seeds in lockstep (batched-evaluation.ts), from the loop's
 * evaluation timer.
 *   TF_NUM_INTRAOP_THREADS=1 TF_NUM_INTEROP_THREADS=1 npx tsx bench/seed-batching.ts [--rounds 3] [--updates 200]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { DistillConfig } from '../src/distill/config';
import { type DistillResult, type DistillTiming, gameTeacherLabels } from '../src/distill/distiller';
import { SeedBatchDistiller } from '../src/distill/seed-batch-distiller';
import { SeedBatchRoutes } from '../src/distill/seed-batch-routes';
import { MINATAR_GAMES, makeMinatarEnv } from '../src/env/minatar';
import { distillConfig } from '../src/experiments/reproduce/presets';
import { DEFAULT_STUDENT_HIDDEN } from '../src/nn/students';
import { backendInfo, tf } from '../src/nn/tf';
import type { ReplayBatch } from '../src/replay';
import { Rng } from '../src/util/rng';
import { standInDistiller, standInSetup, standInTeachers } from './stand-in-distiller';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    updates: { type: 'string', default: '200' },
    // Internal: a child process that times one seed batch and prints its seconds.
    child: { type: 'string' },
    // Internal: a child process that times a seed batch's graph calls alone and prints them as JSON.
    calls: { type: 'string' },
  },
});
const rounds = Number(values.rounds);
const updates = Number(values.updates);
const BATCH = 32;
const FILTERS = 16;
const KERNEL = 3;
const SEEDS = [5, 10] as const;

const specs = MINATAR_GAMES.map((game) => makeMinatarEnv(game).spec);

/** Multiply-adds of one row's forward pass (the game's convolution, then the shared layers), averaged over games. */
function forwardMacsPerRow(): number {
  const side = specs[0].observationShape[0] - KERNEL + 1;
  const dense = [side * side * FILTERS, ...DEFAULT_STUDENT_HIDDEN.minatar.proposed, specs[0].numActions];
  const channels = specs.map((s) => s.observationShape[2]);
  const conv = channels.reduce((sum, c) => sum + side * side * KERNEL * KERNEL * c * FILTERS, 0) / channels.length;
  let layers = 0;
  for (let i = 0; i + 1 < dense.length; i++) layers += dense[i] * dense[i + 1];
  return conv + layers;
}

/** FLOPs of one seed's update: forward, and a backward pass of about twice its cost, over every game's batch. */
const updateFlops = 3 * 2 * forwardMacsPerRow() * BATCH * specs.length;

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** The quick preset's proposed-uniform run of `seed` at a budget of `total` updates, evaluated once at the end. */
function config(seed: number, total: number) {
  return distillConfig('minatar', 'quick', { architecture: 'proposed', sampler: 'uniform' }, seed, [
    {
      totalUpdates: total,
      learningStarts: 1_000,
      evaluation: { every: total, episodes: 1, maxEpisodeSteps: 10 },
      checkpointEvery: total,
    },
  ]);
}

/** The loop of `seeds` seeds (a solo run for 1) of `configOf(seed)`: its wall seconds and its timers' (seed 0's). */
function loopSeconds(
  seeds: number,
  configOf: (seed: number) => DistillConfig,
): { wall: number; timing: DistillTiming } {
  const teachers = standInTeachers();
  const started = performance.now();
  let results: DistillResult[];
  if (seeds === 1) {
    const distiller = standInDistiller(configOf(0), teachers);
    results = [distiller.run()];
    distiller.dispose();
  } else {
    const batch = new SeedBatchDistiller(
      Array.from({ length: seeds }, (_, s) => ({
        setup: standInSetup(configOf(s), teachers),
        checkpointPath: null,
        resume: false,
      })),
    );
    results = batch.run();
    batch.dispose();
  }
  const wall = (performance.now() - started) / 1000;
  for (const t of teachers) tf.dispose([...t.variables]);
  // Every seed's timers hold the same wall: the seeds acted, updated and were evaluated together.
  return { wall, timing: results[0].timing };
}

/** Seconds of one evaluation per seed, for `seeds` seeds evaluated together (alone for 1), after a single update. */
function evaluationSecondsPerSeed(seeds: number): number {
  const once = (seed: number) =>
    distillConfig('minatar', 'quick', { architecture: 'proposed', sampler: 'uniform' }, seed, [
      { totalUpdates: 1, learningStarts: 1_000, evaluation: { every: 1, episodes: 8 }, checkpointEvery: 1 },
    ]);
  return loopSeconds(seeds, once).timing.evaluation / seeds;
}

/**
 * Where a seed's update goes, in milliseconds per seed-update, for `seeds` seeds in one process (this one, not a fresh
 * one: its first short budget may carry the graphs' loading, which the medians absorb): acting with the teachers'
 * labels and the storing of experiences; the update (sampling, the graph call, new priorities); and the rest
 * (environment steps). From the loop's own timers at two budgets, as `msPerUpdate`.
 */
function partsPerSeedUpdate(seeds: number): { act: number; update: number; rest: number } {
  const at = (total: number) => loopSeconds(seeds, (seed) => config(seed, total));
  const short = at(updates);
  const long = at(3 * updates);
  const per = (a: number, b: number) => ((b - a) * 1000) / (2 * updates) / seeds;
  const act = per(short.timing.act, long.timing.act);
  const update = per(short.timing.update, long.timing.update);
  return { act, update, rest: per(short.wall, long.wall) - act - update };
}

/** A batch of `rows` rows of game `g` with random observations and labels: the graph's cost does not depend on them. */
function randomBatch(g: number, rows: number, rng: Rng): ReplayBatch {
  const spec = specs[g];
  const frame = spec.observationShape.reduce((a, b) => a * b, 1);
  const legalMask = new Uint8Array(spec.numActions);
  for (const a of spec.legalActions) legalMask[a] = 1;
  return {
    size: rows,
    indices: new Int32Array(rows),
    weights: new Float32Array(rows).fill(1),
    observations: Uint8Array.from({ length: rows * frame }, () => (rng.random() < 0.1 ? 1 : 0)),
    teacherQ: Float32Array.from({ length: rows * spec.numActions }, () => rng.random()),
    stateValues: new Float32Array(rows),
    actions: new Uint8Array(rows),
    rewards: new Float32Array(rows),
    terminals: new Uint8Array(rows),
    legalMask,
  };
}

/** The graph calls of an update: the update call, the acting calls and the labelling calls. */
const CALL_PARTS = ['update', 'act', 'label'] as const;
type CallPart = (typeof CALL_PARTS)[number];

/** Milliseconds per update of the graph calls alone, part by part. */
type GraphCalls = Record<CallPart, number>;

/** A GraphCalls of `value(part)` for each part. */
const partsOf = (value: (part: CallPart) => number) =>
  Object.fromEntries(CALL_PARTS.map((part) => [part, value(part)])) as GraphCalls;

/** Cycles each process runs before it says it is ready (graphs loaded, caches warm). */
const WARMUP_CYCLES = 20;
/** Seconds every process of a side-by-side measurement times its cycles, all together. */
const CALL_SECONDS = 4;

/** Blocks until the parent writes a line to this process's standard input: the start of a side-by-side timing. */
function waitForStart(): void {
  const buffer = Buffer.alloc(1);
  while (readSync(0, buffer, 0, 1, null) === 1 && buffer[0] !== 0x0a);
}

/**
 * The graph calls the loop of `seeds` seeds (a solo run's for 1) makes per update, timed without the rest of the
 * loop (environments, ε-greedy choices, memories, sampling, priorities): `updateEvery` acting calls of one row per
 * game and seed, one labelling call per game of the seeds' `updateEvery` new experiences, and one update call.
 * What no host-side work can bring below, for this design of the calls. After its warm-up the process prints `ready`
 * and waits for the start, so that processes side by side time their cycles over the same CALL_SECONDS.
 */
function graphCallsPerUpdate(seeds: number): GraphCalls {
  const teachers = standInTeachers();
  const distillers = Array.from({ length: seeds }, (_, s) => standInDistiller(config(s, 1), teachers));
  const routes = seeds > 1 ? new SeedBatchRoutes(distillers.map((d) => d.updateOptions)) : null;
  const { updateEvery, batchSize } = distillers[0].setup.config;
  const labels = gameTeacherLabels(distillers[0].setup);
  const rng = new Rng(seeds);
  const batches = distillers.map(() => specs.map((_, g) => randomBatch(g, batchSize, rng)));
  const acting = distillers.map(() => specs.map((_, g) => randomBatch(g, 1, rng).observations));
  const pending = specs.map((_, g) => randomBatch(g, seeds * updateEvery, rng));
  const samples: Record<CallPart, number[]> = { update: [], act: [], label: [] };
  const cycle = (): GraphCalls => {
    const t0 = performance.now();
    for (let k = 0; k < updateEvery; k++) {
      if (routes) routes.forward(acting, 1);
      else distillers[0].studentQ(acting[0], 1);
    }
    const t1 = performance.now();
    pending.forEach((batch, g) => {
      labels[g].label(batch.observations, batch.size, batch.teacherQ);
    });
    const t2 = performance.now();
    if (routes) routes.update(batches);
    else distillers[0].updater.update(batches[0]);
    return { act: t1 - t0, label: t2 - t1, update: performance.now() - t2 };
  };
  for (let i = 0; i < WARMUP_CYCLES; i++) cycle();
  process.stdout.write('\nready\n');
  waitForStart();
  const until = performance.now() + CALL_SECONDS * 1000;
  while (performance.now() < until) {
    const times = cycle();
    for (const part of CALL_PARTS) samples[part].push(times[part]);
  }
  routes?.dispose();
  for (const d of distillers) d.dispose();
  for (const t of teachers) tf.dispose([...t.variables]);
  return partsOf((part) => median(samples[part]));
}

/** The sum of the parts: a process's graph calls per update. */
const callsTotal = (calls: GraphCalls) => CALL_PARTS.reduce((sum, part) => sum + calls[part], 0);

/**
 * Fresh processes of this script started together, process i with `--${mode} ${args[i]}`: their standard outputs.
 * A process that prints a line `ready` waits for the start, given once every process is ready.
 */
async function children(mode: 'child' | 'calls', args: readonly string[]): Promise<string[]> {
  let ready = 0;
  const procs: ChildProcess[] = [];
  const child = (arg: string) =>
    new Promise<string>((resolve, reject) => {
      const proc = spawn(process.execPath, [...process.execArgv, process.argv[1], `--${mode}`, arg], {
        stdio: ['pipe', 'pipe', 'inherit'],
        env: { ...process.env, TF_NUM_INTRAOP_THREADS: '1', TF_NUM_INTEROP_THREADS: '1' },
      });
      procs.push(proc);
      let out = '';
      let announced = false;
      proc.stdout?.on('data', (chunk) => {
        out += chunk;
        if (announced || !out.includes('\nready\n')) return;
        announced = true;
        ready++;
        if (ready === args.length) for (const each of procs) each.stdin?.write('start\n');
      });
      proc.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`child exited with ${code}`))));
    });
  return Promise.all(args.map(child));
}

/** Wall seconds of fresh processes started together, process i a loop of `seeds[i]` seeds at `total` updates. */
async function processesSeconds(seeds: readonly number[], total: number): Promise<number> {
  const started = performance.now();
  await children(
    'child',
    seeds.map((count) => `${count},${total}`),
  );
  return (performance.now() - started) / 1000;
}

/** The graph calls per update of processes side by side, process i a seed batch of `seeds[i]` (graphCallsPerUpdate). */
async function graphCallsSideBySide(seeds: readonly number[]): Promise<GraphCalls[]> {
  const outputs = await children('calls', seeds.map(String));
  // The last line: the backend announces itself on standard output first.
  return outputs.map((out) => JSON.parse(out.trim().split('\n').at(-1) as string) as GraphCalls);
}

/**
 * Milliseconds of wall per update: the difference of two budgets, each in fresh processes, so that start-up,
 * graph loading and the filling of the memories cancel.
 */
async function msPerUpdate(seeds: readonly number[]): Promise<number> {
  const short = await processesSeconds(seeds, updates);
  const long = await processesSeconds(seeds, 3 * updates);
  return ((long - short) * 1000) / (2 * updates);
}

/** The best float32 matrix-product throughput measured on the student's largest layer (GFLOP/s). */
function gemmGflops(): number {
  const a = tf.randomNormal([BATCH * specs.length, 1024]);
  const b = tf.randomNormal([1024, DEFAULT_STUDENT_HIDDEN.minatar.proposed[0]]);
  const samples = Array.from({ length: 5 }, () => {
    const started = performance.now();
    for (let i = 0; i < 20; i++) {
      // Disposed by hand: tf.tidy around a host read costs more than the product itself here.
      const c = tf.matMul(a, b);
      c.dataSync();
      c.dispose();
    }
    return (performance.now() - started) / 20;
  });
  tf.dispose([a, b]);
  const [m, k] = a.shape as [number, number];
  return (2 * m * k * (b.shape[1] as number)) / (Math.min(...samples) * 1e6);
}

async function main(): Promise<void> {
  if (values.child) {
    const [seeds, total] = values.child.split(',').map(Number) as [number, number];
    loopSeconds(seeds, (seed) => config(seed, total));
    return;
  }
  if (values.calls) {
    process.stdout.write(`\n${JSON.stringify(graphCallsPerUpdate(Number(values.calls)))}\n`);
    return;
  }
  const threads = `${process.env.TF_NUM_INTRAOP_THREADS ?? 'default'} intra-op thread(s)`;
  console.log(
    `backend: ${backendInfo.description}; ${threads}; budgets ${updates} and ${3 * updates} updates; medians of ${rounds} rounds`,
  );
  const samples: Record<string, number[]> = {};
  const keep = (key: string, value: number) => {
    samples[key] = [...(samples[key] ?? []), value];
  };
  /** The calls of the slower process (it sets the wall), part by part. */
  const keepCalls = (key: string, processes: readonly GraphCalls[]) => {
    const slowest = processes.reduce((a, b) => (callsTotal(b) > callsTotal(a) ? b : a));
    for (const part of CALL_PARTS) keep(`${key} ${part}`, slowest[part]);
  };
  /** A process's graph calls per update, each part the median over rounds. */
  const callsOf = (key: string) => partsOf((part) => median(samples[`${key} ${part}`]));
  const halves = (seeds: number) => [Math.ceil(seeds / 2), Math.floor(seeds / 2)];
  for (let r = 0; r < rounds; r++) {
    keep('1', await msPerUpdate([1]));
    keepCalls('calls 1', await graphCallsSideBySide([1]));
    for (const seeds of SEEDS) {
      keep(`batch ${seeds}`, await msPerUpdate([seeds]));
      keep(`two ${seeds}`, await msPerUpdate(halves(seeds)));
      keepCalls(`calls ${seeds}`, await graphCallsSideBySide(halves(seeds)));
    }
  }
  const one = median(samples['1']);
  const gflops = gemmGflops();
  console.log(
    `one seed: ${one.toFixed(2)} ms per update in the loop; update ≈ ${(updateFlops / 1e6).toFixed(0)} MFLOP per seed, ` +
      `best matrix product ${gflops.toFixed(1)} GFLOP/s per core`,
  );
  console.log(
    '| seeds | separate runs, 2 at a time | one seed batch | two seed batches side by side | their graph calls alone | FLOP floor (2 cores) | seed-updates/h: separate | one batch | two batches |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const perHour = (ms: number, seeds: number) => Math.round((seeds * 3_600_000) / ms).toLocaleString('en-US');
  const ratio = (ms: number) => `${(ms / one).toFixed(2)}×`;
  for (const seeds of SEEDS) {
    const separate = Math.ceil(seeds / 2) * one;
    const batch = median(samples[`batch ${seeds}`]);
    const two = median(samples[`two ${seeds}`]);
    const calls = callsTotal(callsOf(`calls ${seeds}`));
    const floor = (seeds * updateFlops) / (2 * gflops * 1e6);
    console.log(
      `| ${seeds} | ${ratio(separate)} | ${ratio(batch)} | ${ratio(two)} | ${ratio(calls)} | ${ratio(floor)} | ` +
        `${perHour(separate, seeds)} | ${perHour(batch, seeds)} | ${perHour(two, seeds)} |`,
    );
  }
  console.log(
    `(× one seed's wall per update, ${one.toFixed(2)} ms; seed-updates/h: updates per hour summed over the seeds)`,
  );
  console.log(
    "| graph calls per update, ms | update call | acting calls | labelling calls | total | × one seed's loop |",
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  const callRows = [
    ['one seed alone', 'calls 1'],
    ...SEEDS.map((seeds) => [`${halves(seeds).join(' and ')} seeds side by side (slower process)`, `calls ${seeds}`]),
  ];
  for (const [label, key] of callRows) {
    const calls = callsOf(key);
    const cells = [...CALL_PARTS.map((part) => calls[part]), callsTotal(calls)].map((ms) => ms.toFixed(2));
    console.log(`| ${label} | ${cells.join(' | ')} | ${ratio(callsTotal(calls))} |`);
  }
  const parts = [1, ...SEEDS].map((seeds) => {
    const runs = Array.from({ length: rounds }, () => partsPerSeedUpdate(seeds));
    const part = (key: 'act' | 'update' | 'rest') => median(runs.map((r) => r[key]));
    return { seeds, act: part('act'), update: part('update'), rest: part('rest') };
  });
  console.log(
    '| seeds in one process | acting, teacher labels, storing, ms per seed-update | update: sampling, graph call, priorities | environments | total |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: |');
  for (const { seeds, act, update, rest } of parts) {
    const cells = [act, update, rest, act + update + rest].map((ms) => ms.toFixed(2));
    console.log(`| ${seeds} | ${cells.join(' | ')} |`);
  }
  const evaluation = [1, ...SEEDS].map((seeds) => ({
    seeds,
    seconds: median(Array.from({ length: rounds }, () => evaluationSecondsPerSeed(seeds))),
  }));
  console.log('| seeds evaluated together | one evaluation, s per seed | × alone |');
  console.log('| ---: | ---: | ---: |');
  for (const { seeds, seconds } of evaluation) {
    console.log(`| ${seeds} | ${seconds.toFixed(2)} | ${(seconds / evaluation[0].seconds).toFixed(2)}× |`);
  }
}

main();
