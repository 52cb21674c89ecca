/**
 * bench/teach: frames per second of PQN teacher training on one MinAtar game (the default MinAtar PQN
 * configuration: 128 environments × 32 steps per rollout, 2 epochs × 32 minibatches of 128), ours
 * (src/train/pqn-trainer.ts on one TensorFlow thread) against the same algorithm and network in PyTorch on
 * PyPI's `minatar` (bench/teach_reference.py, one thread), in rounds that alternate the two because this
 * machine's speed drifts between minutes. Each side times --rollouts rollouts after one untimed warm-up
 * rollout, at the start of a 5 M-frame run (its ε and learning-rate schedules); evaluations, snapshots and
 * checkpoints are left out (the reference has none). Prints per-round and median frames per second by wall
 * time and by process CPU time, the median of the per-round ratios ours / PyTorch, and the minutes each
 * would take for 5 M frames at its median wall speed.
 * Run: npm run bench:teach [-- --game breakout --rounds 3 --rollouts 8]
 * PyTorch comes from `bash scripts/setup.sh --torch --only torch` (which the npm script runs first).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type * as MinatarModule from '../src/env/minatar';
import type * as TeacherConfigModule from '../src/experiments/teach/teacher-config';
import type * as TfModule from '../src/nn/tf';
import { applyThreadPools } from '../src/nn/thread-pools';
import type * as PqnConfigModule from '../src/train/pqn-config';
import type * as PqnTrainerModule from '../src/train/pqn-trainer';
import type { StepTiming } from '../src/train/trainer-common';
import { median } from '../src/util/timing';

const ROOT = join(__dirname, '..');
const PYTHON = join(ROOT, '.venv', 'bin', 'python');
const REFERENCE = join(__dirname, 'teach_reference.py');
const TORCH_SETUP = 'bash scripts/setup.sh --torch --only torch';
const WARMUP_ROLLOUTS = 1;
const PROJECTED_FRAMES = 5_000_000;

/** One side's measurement of one round. */
interface Measurement {
  readonly fps: number;
  readonly fpsCpu: number;
  readonly actSeconds: number;
  readonly updateSeconds: number;
}

function positiveInteger(flag: string, value: string, least: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < least) throw new RangeError(`--${flag} must be an integer ≥ ${least}, got ${value}`);
  return n;
}

/** PyTorch's version in .venv; exits 1 naming the setup command when it (or the venv, or minatar) is missing. */
function torchVersionOrExit(): string {
  if (!existsSync(PYTHON)) {
    console.error(`bench/teach: no .venv: run \`bash scripts/setup.sh\`, then \`${TORCH_SETUP}\` (PyTorch, 5.4 GB)`);
    process.exit(1);
  }
  const probe = (module: string) =>
    spawnSync(PYTHON, ['-c', `import ${module}; print(${module}.__version__)`], { encoding: 'utf8' });
  const torch = probe('torch');
  if (torch.status !== 0) {
    console.error(
      `bench/teach: PyTorch is not installed in .venv: \`${TORCH_SETUP}\` installs it (PyPI's build, 5.4 GB with ` +
        'the NVIDIA libraries it depends on; it runs on the CPU here)',
    );
    process.exit(1);
  }
  if (spawnSync(PYTHON, ['-c', 'import minatar'], { encoding: 'utf8' }).status !== 0) {
    console.error('bench/teach: minatar is not installed in .venv: run `bash scripts/setup.sh --only minatar-ref`');
    process.exit(1);
  }
  return torch.stdout.trim();
}

/** The reference, in its own process (one thread), for one round. */
function runReference(game: string, rollouts: number, totalFrames: number): Measurement {
  const args = [REFERENCE, '--game', game, '--rollouts', String(rollouts), '--warmup', String(WARMUP_ROLLOUTS)];
  args.push('--total-frames', String(totalFrames));
  const out = execFileSync(PYTHON, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
  });
  const lines = out.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as Measurement;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      game: { type: 'string', default: 'breakout' },
      rounds: { type: 'string', default: '3' },
      rollouts: { type: 'string', default: '8' },
      // Our update route: one graph call per rollout's learning phase (the default where exported), or eager kernels.
      route: { type: 'string' },
    },
  });
  if (values.route !== undefined && values.route !== 'graph' && values.route !== 'eager') {
    throw new RangeError(`--route ${values.route}: expected graph or eager`);
  }
  const game = values.game;
  const rounds = positiveInteger('rounds', values.rounds, 1);
  const rollouts = positiveInteger('rollouts', values.rollouts, 1);
  // TensorFlow sizes its pools once, from the environment, when it loads: one thread each, as a MinAtar
  // teacher trains (src/nn/thread-pools.ts); values set by hand win, and are printed.
  applyThreadPools({ TF_NUM_INTRAOP_THREADS: '1', TF_NUM_INTEROP_THREADS: '1' });
  const torchVersion = torchVersionOrExit();

  // Loaded only now, so that the thread pools above are in place before the backend loads.
  const { makeMinatarEnv } = require('../src/env/minatar') as typeof MinatarModule;
  const { teacherConfig } = require('../src/experiments/teach/teacher-config') as typeof TeacherConfigModule;
  const { rolloutSize } = require('../src/train/pqn-config') as typeof PqnConfigModule;
  const { defaultPqnRoute, PqnTrainer } = require('../src/train/pqn-trainer') as typeof PqnTrainerModule;
  const route = values.route as 'graph' | 'eager' | undefined;
  const { backendInfo, tf } = require('../src/nn/tf') as typeof TfModule;

  const base = teacherConfig('minatar', game, 'full', 0);
  if (base.algorithm !== 'pqn') throw new Error(`teacherConfig('minatar', '${game}', 'full') is not a PQN run`);
  const totalSteps = base.pqn.totalSteps;
  const frames = rolloutSize(base.pqn);
  if ((rollouts + WARMUP_ROLLOUTS) * frames >= totalSteps) {
    throw new RangeError(
      `--rollouts must be below ${Math.ceil(totalSteps / frames) - WARMUP_ROLLOUTS} (a ${totalSteps}-frame run), got ${rollouts}`,
    );
  }
  // The run's own schedules; no evaluation, snapshot or checkpoint before its end, which the run never reaches.
  const config = {
    ...base.pqn,
    evaluation: { ...base.pqn.evaluation, every: totalSteps },
    snapshots: [],
    checkpointEvery: totalSteps,
  };
  const probe = makeMinatarEnv(game);
  const spec = probe.spec;
  probe.close();
  const scratch = mkdtempSync(join(tmpdir(), 'bench-teach-'));

  /** Ours, in this process: a fresh trainer timed from the end of its warm-up rollout to the end of the last. */
  const runOurs = (): Measurement => {
    const trainer = PqnTrainer.create(
      config,
      spec,
      (seed) => makeMinatarEnv(game, { seed }),
      join(scratch, 'x.dlck'),
      route ?? defaultPqnRoute(config.network),
    );
    let done = 0;
    let start: { wall: number; cpu: NodeJS.CpuUsage; timing: StepTiming } | null = null;
    let result: Measurement | null = null;
    trainer.run({
      onProgress: ({ timing }) => {
        done++;
        if (done === WARMUP_ROLLOUTS) {
          start = { wall: performance.now(), cpu: process.cpuUsage(), timing: { ...timing } };
        } else if (done === WARMUP_ROLLOUTS + rollouts && start) {
          const wall = (performance.now() - start.wall) / 1000;
          const used = process.cpuUsage(start.cpu);
          const from: StepTiming = start.timing;
          result = {
            fps: (rollouts * frames) / wall,
            fpsCpu: (rollouts * frames) / ((used.user + used.system) / 1e6),
            actSeconds: timing.env + timing.act + timing.replay - (from.env + from.act + from.replay),
            updateSeconds: timing.update - from.update,
          };
        }
      },
      shouldStop: () => done >= WARMUP_ROLLOUTS + rollouts,
    });
    trainer.dispose();
    if (!result) throw new Error(`bench/teach: the trainer stopped after ${done} rollouts`);
    return result;
  };

  const threads = `intra-op ${process.env.TF_NUM_INTRAOP_THREADS}, inter-op ${process.env.TF_NUM_INTEROP_THREADS}`;
  console.log(
    `bench/teach: PQN on MinAtar ${game} (${spec.legalActions.length} actions), ${config.numEnvs} envs × ` +
      `${config.rolloutSteps} steps per rollout, ${config.epochs} epochs × ${config.minibatches} minibatches of ` +
      `${frames / config.minibatches}; ${rollouts} rollouts (${(rollouts * frames).toLocaleString('en-US')} frames) ` +
      `timed after ${WARMUP_ROLLOUTS} warm-up, at the start of a ${totalSteps.toLocaleString('en-US')}-frame run; ` +
      `${rounds} rounds of (ours, PyTorch)`,
  );
  console.log(
    `ours: ${backendInfo.description}, TensorFlow threads ${threads}, ${route ?? defaultPqnRoute(config.network)} route; reference: PyTorch ${torchVersion} ` +
      '(torch.set_num_threads(1), OMP_NUM_THREADS=1), PyPI minatar',
  );
  const ours: Measurement[] = [];
  const reference: Measurement[] = [];
  try {
    for (let round = 1; round <= rounds; round++) {
      ours.push(runOurs());
      reference.push(runReference(game, rollouts, totalSteps));
      const [o, r] = [ours[round - 1], reference[round - 1]];
      console.log(
        `round ${round}: ours ${o.fps.toFixed(0)} fps (act ${o.actSeconds.toFixed(1)} s, update ${o.updateSeconds.toFixed(1)} s), ` +
          `PyTorch ${r.fps.toFixed(0)} fps (act ${r.actSeconds.toFixed(1)} s, update ${r.updateSeconds.toFixed(1)} s)`,
      );
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }

  const perRollout = (seconds: number) => (seconds / rollouts).toFixed(2);
  const split = (m: Measurement) => `${perRollout(m.actSeconds)} / ${perRollout(m.updateSeconds)}`;
  const header = [
    'round',
    'ours fps',
    'PyTorch fps',
    'ours/PyTorch',
    'ours fps/CPU-s',
    'PyTorch fps/CPU-s',
    'ours/PyTorch (CPU)',
    'ours act / update s per rollout',
    'PyTorch act / update s per rollout',
  ];
  console.log(`\n| ${header.join(' | ')} |\n|${header.map(() => ' --- ').join('|')}|`);
  for (let r = 0; r < rounds; r++) {
    const [o, p] = [ours[r], reference[r]];
    const cells = [
      String(r + 1),
      o.fps.toFixed(0),
      p.fps.toFixed(0),
      `${(o.fps / p.fps).toFixed(2)}×`,
      o.fpsCpu.toFixed(0),
      p.fpsCpu.toFixed(0),
      `${(o.fpsCpu / p.fpsCpu).toFixed(2)}×`,
      split(o),
      split(p),
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
  const med = (list: Measurement[], key: keyof Measurement) => median(list.map((m) => m[key]));
  const medianOf = (list: Measurement[]): Measurement => ({
    fps: med(list, 'fps'),
    fpsCpu: med(list, 'fpsCpu'),
    actSeconds: med(list, 'actSeconds'),
    updateSeconds: med(list, 'updateSeconds'),
  });
  const [o, p] = [medianOf(ours), medianOf(reference)];
  const ratio = median(ours.map((m, r) => m.fps / reference[r].fps));
  const ratioCpu = median(ours.map((m, r) => m.fpsCpu / reference[r].fpsCpu));
  const medianCells = [
    '**median**',
    o.fps.toFixed(0),
    p.fps.toFixed(0),
    `${ratio.toFixed(2)}×`,
    o.fpsCpu.toFixed(0),
    p.fpsCpu.toFixed(0),
    `${ratioCpu.toFixed(2)}×`,
    split(o),
    split(p),
  ];
  console.log(`| ${medianCells.join(' | ')} |`);
  const minutes = (fps: number) => (PROJECTED_FRAMES / fps / 60).toFixed(0);
  console.log(
    `\nprojected minutes to ${PROJECTED_FRAMES.toLocaleString('en-US')} frames at the median wall speed: ` +
      `ours ${minutes(o.fps)}, PyTorch ${minutes(p.fps)} (training only: no evaluations or checkpoints)`,
  );
  console.log(
    'medians over rounds; ratios are medians of the per-round ratios (above 1: ours is faster); fps/CPU-s counts ' +
      "each process's CPU time (robust on a shared machine), fps wall time; act = forward passes, environment " +
      'steps and λ-returns',
  );
  console.log(`tensors alive at the end: ${tf.memory().numTensors}`);
}

main();
