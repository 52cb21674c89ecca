/**
 * bench/backend: times three training steps on our backend and, in the same run, the same steps in
 * TensorFlow-Python graph mode (tf.function) and PyTorch when installed (bench/backend_reference.py).
 * Prints medians and the ratios ours / reference. Run: npm run bench:backend [-- --repeats N]
 * `npx tsx bench/backend.ts --profile 'student-head'` instead prints where one step's kernel time goes.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { backendInfo, tf } from '../src/nn/tf';
import { median, timeCalls } from '../src/util/timing';
import { benchSteps } from './backend-steps';
import { kernelProfile, printKernelProfile } from './kernel-profile';

interface ReferenceResult {
  tensorflow: { tensorflow: string; steps: Record<string, number> };
  pytorch: { torch: string; steps: Record<string, number> } | null;
}

const GOALS = { pytorch: 1.2, tensorflow: 1.5 };

function parseRepeats(argv: string[]): number {
  const i = argv.indexOf('--repeats');
  const repeats = i >= 0 ? Number(argv[i + 1]) : 20;
  if (!Number.isInteger(repeats) || repeats < 20)
    throw new RangeError(`--repeats must be an integer ≥ 20, got ${argv[i + 1]}`);
  return repeats;
}

function runReference(repeats: number): ReferenceResult | null {
  const python = join(__dirname, '..', '.venv', 'bin', 'python');
  if (!existsSync(python)) {
    console.warn('no .venv: run `bash scripts/setup.sh --bench` to measure the Python references');
    return null;
  }
  const out = execFileSync(python, [join(__dirname, 'backend_reference.py'), String(repeats)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return JSON.parse(out) as ReferenceResult;
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

function main(): void {
  const profile = process.argv.indexOf('--profile');
  if (profile >= 0) {
    profileStep(process.argv[profile + 1]);
    return;
  }
  const repeats = parseRepeats(process.argv.slice(2));
  console.log(`backend: ${backendInfo.description}; ${repeats} timed steps after 3 warm-ups, medians in ms`);
  const ours: Record<string, number> = {};
  const referenceOf: Record<string, string> = {};
  for (const build of benchSteps()) {
    const step = build();
    ours[step.name] = median(timeCalls(() => step.run(), repeats));
    referenceOf[step.name] = step.reference;
    console.log(`  ours ${step.name.padEnd(21)} ${ours[step.name].toFixed(2).padStart(8)} ms   ${step.description}`);
    step.dispose();
  }
  const reference = runReference(repeats);
  const header = ['step', 'ours', 'TF graph', 'ours/TF', 'PyTorch', 'ours/PyTorch'];
  const rows = Object.keys(ours).map((name) => {
    const tfMs = reference?.tensorflow.steps[referenceOf[name]];
    const torchMs = reference?.pytorch?.steps[referenceOf[name]];
    const fmt = (v: number | undefined) => (v === undefined ? 'n/a' : v.toFixed(2));
    const ratio = (ref: number | undefined, goal: number) =>
      ref === undefined
        ? 'n/a'
        : `${(ours[name] / ref).toFixed(2)}×${ours[name] / ref <= goal ? '' : ` (goal ≤ ${goal})`}`;
    return [
      name,
      fmt(ours[name]),
      fmt(tfMs),
      ratio(tfMs, GOALS.tensorflow),
      fmt(torchMs),
      ratio(torchMs, GOALS.pytorch),
    ];
  });
  console.log(
    `\nreferences: TensorFlow ${reference?.tensorflow.tensorflow ?? 'n/a'} (tf.function), PyTorch ${reference?.pytorch?.torch ?? 'not installed'}`,
  );
  console.log(`| ${header.join(' | ')} |\n|${header.map(() => ' --- ').join('|')}|`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  console.log(`tensors alive at the end: ${tf.memory().numTensors}`);
}

main();
