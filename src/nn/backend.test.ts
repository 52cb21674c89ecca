import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = join(__dirname, '..', '..');
// What `setup.sh --gpu` leaves behind, and a GPU device: the default is then the GPU addon (backend.ts).
const GPU_ADDON_BUILT =
  existsSync(join(ROOT, '.setup', 'gpu')) && existsSync(join(ROOT, 'node_modules', '@tensorflow', 'tfjs-node-gpu'));
const GPU_DEFAULT = GPU_ADDON_BUILT && (existsSync('/dev/nvidia0') || existsSync('/dev/nvidiactl'));
const DEVICE = GPU_DEFAULT ? 'GPU (CUDA)' : 'CPU';

/** Loads the backend in a fresh process (the choice is made once per process) and returns its output. */
function loadIn(env: Record<string, string>) {
  const script = "const { backendInfo } = require('./src/nn/tf'); console.log(JSON.stringify(backendInfo));";
  const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
    cwd: ROOT,
    env: { ...process.env, DISTILL_LAB_QUIET: '', ...env },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The script's JSON line, after whatever the backend printed on stdout before it. */
function infoOf(stdout: string) {
  return JSON.parse(stdout.trimEnd().split('\n').at(-1)!);
}

test('native TensorFlow is the default, announced in one line on stdout with no native log noise', () => {
  const { status, stdout, stderr } = loadIn({ DISTILL_LAB_BACKEND: '' });
  assert.equal(status, 0, stderr);
  const info = infoOf(stdout);
  assert.equal(info.kind, GPU_DEFAULT ? 'native-gpu' : 'native-cpu');
  assert.equal(info.name, 'tensorflow');
  assert.equal(info.tensorflowVersion, '2.21.0');
  // Information, not a warning: on stdout, so a notebook does not show it in an error-coloured box.
  assert.equal(stdout, `distill-lab: tensor backend native TensorFlow 2.21.0 on ${DEVICE}\n${JSON.stringify(info)}\n`);
  assert.equal(stderr, '');
  assert.equal(loadIn({ DISTILL_LAB_BACKEND: '', DISTILL_LAB_QUIET: '1' }).stdout, `${JSON.stringify(info)}\n`);
});

test('DISTILL_LAB_BACKEND=js forces pure JavaScript with a loud warning', () => {
  const { status, stdout, stderr } = loadIn({ DISTILL_LAB_BACKEND: 'js' });
  assert.equal(status, 0, stderr);
  assert.equal(stdout, `${JSON.stringify(infoOf(stdout))}\n`);
  assert.equal(infoOf(stdout).name, 'cpu');
  assert.match(stderr, /!!!!.*\n!! distill-lab: tensor backend is pure JavaScript \(cpu\) — FORCED/);
});

test('an unknown backend name is refused with the valid choices', () => {
  const { status, stderr } = loadIn({ DISTILL_LAB_BACKEND: 'tpu' });
  assert.notEqual(status, 0);
  assert.match(stderr, /DISTILL_LAB_BACKEND=tpu is not a backend; expected one of native, gpu, js/);
});

test(
  'asking for the GPU without a GPU addon says which setup command builds it',
  { skip: GPU_ADDON_BUILT && 'the GPU addon is built here' },
  () => {
    const { status, stderr } = loadIn({ DISTILL_LAB_BACKEND: 'gpu' });
    assert.notEqual(status, 0);
    assert.match(stderr, /GPU addon is not built; run: bash scripts\/setup.sh --gpu/);
  },
);

test(
  'with the GPU addon built, asking for the GPU loads it (TensorFlow falls back to the CPU without a device)',
  { skip: !GPU_ADDON_BUILT && 'no GPU addon here (bash scripts/setup.sh --gpu builds it)' },
  () => {
    const { status, stdout, stderr } = loadIn({ DISTILL_LAB_BACKEND: 'gpu' });
    assert.equal(status, 0, stderr);
    assert.equal(infoOf(stdout).kind, 'native-gpu');
    assert.match(stdout, /^distill-lab: tensor backend native TensorFlow 2\.21\.0 on GPU \(CUDA\)\n/);
  },
);
