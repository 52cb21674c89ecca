/**
 * bench/backend: times three training steps on our backend and, in the same run, the same steps in
 * TensorFlow-Python graph mode (tf.function) and PyTorch when installed (bench/backend_reference.py).
 * Rounds alternate ours, TF and PyTorch, because this machine's speed drifts by 20–40 % between minutes; it
 * prints medians over rounds and the medians of the per-round ratios ours / reference.
 * Run: npm run bench:backend [-- --repeats N --rounds R]
 * `npx tsx bench/backend.ts --profile 'student-head (eager)'` instead prints where one step's kernel time goes.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { backendInfo, tf } from '../src/nn/tf';
import { median, timeCalls } from '../src/util/timing';
import { benchSteps } from './backend-steps';
import { kernelProfile, printKernelProfile } from './kernel-profile';

interface Reference {
  readonly version: string;
  readonly steps: Record<string, number>;
}

const GOALS = { pytorch: 1.2, tensorflow: 1.5 };

function positiveInteger(flag: string, value: string, least: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < least) throw new RangeError(`--${flag} must be an integer ≥ ${least}, got ${value}`);
  return n;
}

const PYTHON = join(__dirname, '..', '.venv', 'bin', 'python');

/** One framework's medians, in its own process: TensorFlow and PyTorch cannot share one (their LLVMs clash). */
function runReference(framework: 'tensorflow' | 'pytorch', repeats: number): Reference | null {
  if (!existsSync(PYTHON)) return null;
  const out = JSON.parse(
    execFileSync(PYTHON, [join(__dirname, 'backend_reference.py'), String(repeats), framework], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  ) as { tensorflow?: string; torch?: string; steps: Record<string, number> } | null;
  return out && { version: (out.tensorflow ?? out.torch) as string, steps: out.steps };
}

/** tfjs's profiler over 5 steps of the step named `name`, after 3 warm-ups. */
async function profileStep(name: string): Promise<void> {
  const names: string[] = [];
  for (const build of benchSteps()) {
    const step = build();
    if (step.name !== name) {
      names.push(step.name);
      step.dispose();
      continue;
    }
    for (let i = 0; i < 3; i++) step.run();
    console.log(`backend: ${backendInfo.description}; ${step.name}: ${step.description}`);
    printKernelProfile(await kernelProfile(() => step.run(), 5));
    step.dispose();
    return;
  }
  throw new RangeError(`--profile '${name}': no such step; expected one of ${names.join(', ')}`);
}

/** Per step, the median over rounds of ours, of a reference, and of the per-round ratios. */
interface Row {
  ours: number[];
  tensorflow: number[];
  pytorch: number[];
}

function main(): void {
  const { values } = parseArgs({
    options: {
      repeats: { type: 'string', default: '20' },
      rounds: { type: 'string', default: '3' },
      profile: { type: 'string' },
    },
  });
  if (values.profile !== undefined) {
    profileStep(values.profile);
    return;
  }
  const repeats = positiveInteger('repeats', values.repeats, 20);
  const rounds = positiveInteger('rounds', values.rounds, 1);
  if (!existsSync(PYTHON))
    console.warn('no .venv: run `bash scripts/setup.sh --bench` to measure the Python references');
  console.log(
    `backend: ${backendInfo.description}; ${rounds} rounds of (ours, TF, PyTorch), each ${repeats} timed steps after 3 warm-ups; ms`,
  );
  const rows: Record<string, Row> = {};
  const referenceOf: Record<string, string> = {};
  const versions = { tensorflow: 'n/a', pytorch: 'not installed' };
  for (let round = 1; round <= rounds; round++) {
    const ours: Record<string, number> = {};
    for (const build of benchSteps()) {
      const step = build();
      ours[step.name] = median(timeCalls(() => step.run(), repeats));
      referenceOf[step.name] = step.reference;
      step.dispose();
    }
    const tensorflow = runReference('tensorflow', repeats);
    const pytorch = runReference('pytorch', repeats);
    if (tensorflow) versions.tensorflow = tensorflow.version;
    if (pytorch) versions.pytorch = pytorch.version;
    for (const [name, ms] of Object.entries(ours)) {
      rows[name] ??= { ours: [], tensorflow: [], pytorch: [] };
      rows[name].ours.push(ms);
      const tfMs = tensorflow?.steps[referenceOf[name]];
      const torchMs = pytorch?.steps[referenceOf[name]];
      if (tfMs !== undefined) rows[name].tensorflow.push(tfMs);
      if (torchMs !== undefined) rows[name].pytorch.push(torchMs);
    }
    console.log(
      `round ${round}: ${Object.entries(ours)
        .map(([name, ms]) => `${name} ${ms.toFixed(2)}`)
        .join(', ')}`,
    );
  }
  const fmt = (v: number[]) => (v.length === 0 ? 'n/a' : median(v).toFixed(2));
  const ratio = (ours: number[], ref: number[], goal: number) => {
    if (ref.length === 0) return 'n/a';
    const r = median(ref.map((ms, i) => ours[i] / ms));
    return `${r.toFixed(2)}×${r <= goal ? '' : ` (goal ≤ ${goal})`}`;
  };
  console.log(`\nreferences: TensorFlow ${versions.tensorflow} (tf.function), PyTorch ${versions.pytorch}`);
  console.log('medians over rounds; ratios are medians of the per-round ratios');
  const header = ['step', 'ours', 'TF graph', 'ours/TF', 'PyTorch', 'ours/PyTorch'];
  console.log(`| ${header.join(' | ')} |\n|${header.map(() => ' --- ').join('|')}|`);
  for (const [name, row] of Object.entries(rows)) {
    const cells = [
      name,
      fmt(row.ours),
      fmt(row.tensorflow),
      ratio(row.ours, row.tensorflow, GOALS.tensorflow),
      fmt(row.pytorch),
      ratio(row.ours, row.pytorch, GOALS.pytorch),
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
  console.log(`tensors alive at the end: ${tf.memory().numTensors}`);
}

main();
