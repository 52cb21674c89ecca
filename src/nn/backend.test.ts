import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = join(__dirname, '..', '..');

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

test('native TensorFlow is the default, announced in one line with no native log noise', () => {
  const { status, stdout, stderr } = loadIn({ DISTILL_LAB_BACKEND: '' });
  assert.equal(status, 0, stderr);
  const info = JSON.parse(stdout);
  assert.equal(info.kind, 'native-cpu');
  assert.equal(info.name, 'tensorflow');
  assert.equal(info.tensorflowVersion, '2.21.0');
  assert.equal(stderr, 'distill-lab: tensor backend native TensorFlow 2.21.0 on CPU\n');
});

test('DISTILL_LAB_BACKEND=js forces pure JavaScript with a loud warning', () => {
  const { status, stdout, stderr } = loadIn({ DISTILL_LAB_BACKEND: 'js' });
  assert.equal(status, 0, stderr);
  assert.equal(JSON.parse(stdout).name, 'cpu');
  assert.match(stderr, /!!!!.*\n!! distill-lab: tensor backend is pure JavaScript \(cpu\) — FORCED/);
});

test('an unknown backend name is refused with the valid choices', () => {
  const { status, stderr } = loadIn({ DISTILL_LAB_BACKEND: 'tpu' });
  assert.notEqual(status, 0);
  assert.match(stderr, /DISTILL_LAB_BACKEND=tpu is not a backend; expected one of native, gpu, js/);
});

test('asking for the GPU without a GPU addon says which setup command builds it', () => {
  const { status, stderr } = loadIn({ DISTILL_LAB_BACKEND: 'gpu' });
  assert.notEqual(status, 0);
  assert.match(stderr, /GPU addon is not built; run: bash scripts\/setup.sh --gpu/);
});
