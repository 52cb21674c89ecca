/**
 * Chooses and loads the tensor backend once per process:
 * - native TensorFlow (CPU) through tfjs-node, built by `bash scripts/setup.sh` — the default;
 * - native TensorFlow with CUDA through tfjs-node-gpu, when `setup.sh --gpu` built it and a GPU is present;
 * - pure JavaScript only when DISTILL_LAB_BACKEND=js forces it (about 2,000× slower for a DQN step).
 * DISTILL_LAB_BACKEND=native|gpu|js overrides the choice; the backend in use is printed once, on stdout (it is
 * information: a notebook shows stderr as an error box), unless DISTILL_LAB_QUIET=1; the pure-JS warning on stderr.
 * TensorFlow's load-time log lines are hidden (DISTILL_LAB_NATIVE_LOGS=1 shows them).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type * as TF from '@tensorflow/tfjs';

export type BackendKind = 'native-cpu' | 'native-gpu' | 'js';

export interface BackendInfo {
  readonly kind: BackendKind;
  /** tfjs backend name: 'tensorflow' for native, 'cpu' for pure JS. */
  readonly name: string;
  /** TensorFlow C library version for native backends. */
  readonly tensorflowVersion: string | null;
  readonly description: string;
}

const ROOT = join(__dirname, '..', '..');
const SETUP_COMMAND = 'bash scripts/setup.sh';
const VALID_KINDS = ['native', 'gpu', 'js'] as const;

let loaded: { tf: typeof TF; info: BackendInfo } | null = null;

function requested(): (typeof VALID_KINDS)[number] | null {
  const value = process.env.DISTILL_LAB_BACKEND;
  if (value === undefined || value === '') return null;
  if (!(VALID_KINDS as readonly string[]).includes(value)) {
    throw new Error(
      `DISTILL_LAB_BACKEND=${value} is not a backend; expected one of ${VALID_KINDS.join(', ')} (or unset for the default)`,
    );
  }
  return value as (typeof VALID_KINDS)[number];
}

function gpuPresent(): boolean {
  return existsSync('/dev/nvidia0') || existsSync('/dev/nvidiactl');
}

function gpuAddonBuilt(): boolean {
  return (
    existsSync(join(ROOT, '.setup', 'gpu')) && existsSync(join(ROOT, 'node_modules', '@tensorflow', 'tfjs-node-gpu'))
  );
}

/** Runs `load` with TensorFlow's load-time log lines hidden when the small guard addon is built. */
function quietly<T>(load: () => T): T {
  if (process.env.DISTILL_LAB_NATIVE_LOGS === '1') return load();
  const guard = join(ROOT, 'build', 'native', 'stderr_guard.node');
  if (!existsSync(guard)) return load();
  return (require(guard) as { withStderrSilenced: (fn: () => T) => T }).withStderrSilenced(load);
}

function loadNative(pkg: '@tensorflow/tfjs-node' | '@tensorflow/tfjs-node-gpu'): typeof TF {
  // Later TensorFlow C++ logging (after load): errors only. DISTILL_LAB_NATIVE_LOGS=1 shows everything.
  if (process.env.DISTILL_LAB_NATIVE_LOGS !== '1') process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
  try {
    return quietly(() => {
      const tf = require(pkg) as typeof TF;
      tf.tensor([0]).dispose(); // the CPU-feature lines print on the first op, not at require
      return tf;
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new Error(
      `The native TensorFlow addon (${pkg}) could not be loaded: ${reason}\n` +
        `Build it with: ${SETUP_COMMAND}${pkg.endsWith('gpu') ? ' --gpu' : ''}\n` +
        'Or run with DISTILL_LAB_BACKEND=js to use the (very slow) pure-JavaScript backend.',
    );
  }
}

/** Loads the backend (once) and returns tfjs with it active. */
export function loadBackend(): { tf: typeof TF; info: BackendInfo } {
  if (loaded) return loaded;
  const want = requested();
  let tf: typeof TF;
  let kind: BackendKind;
  if (want === 'js') {
    tf = require('@tensorflow/tfjs') as typeof TF;
    kind = 'js';
  } else if (want === 'gpu' || (want === null && gpuAddonBuilt() && gpuPresent())) {
    if (!gpuAddonBuilt()) {
      throw new Error(`DISTILL_LAB_BACKEND=gpu but the GPU addon is not built; run: ${SETUP_COMMAND} --gpu`);
    }
    tf = loadNative('@tensorflow/tfjs-node-gpu');
    kind = 'native-gpu';
  } else {
    tf = loadNative('@tensorflow/tfjs-node');
    kind = 'native-cpu';
  }
  if (kind === 'js') {
    tf.setBackend('cpu');
  }
  const name = tf.getBackend();
  if (kind !== 'js' && name !== 'tensorflow') {
    throw new Error(
      `expected the 'tensorflow' backend after loading the addon, got '${name}'; re-run ${SETUP_COMMAND}`,
    );
  }
  const binding = kind === 'js' ? null : (tf.backend() as unknown as { binding: { TF_Version: string } }).binding;
  const tensorflowVersion = binding ? binding.TF_Version : null;
  const description =
    kind === 'js'
      ? 'pure JavaScript (cpu) — FORCED by DISTILL_LAB_BACKEND=js, thousands of times slower than native'
      : `native TensorFlow ${tensorflowVersion} on ${kind === 'native-gpu' ? 'GPU (CUDA)' : 'CPU'}`;
  loaded = { tf, info: { kind, name, tensorflowVersion, description } };
  if (kind === 'js') {
    process.stderr.write(
      `\n${'!'.repeat(78)}\n!! distill-lab: tensor backend is ${description}\n${'!'.repeat(78)}\n\n`,
    );
  } else if (process.env.DISTILL_LAB_QUIET !== '1') {
    process.stdout.write(`distill-lab: tensor backend ${description}\n`);
  }
  return loaded;
}
