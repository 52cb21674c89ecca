/**
 * `npm run notebooks` on bad input: each case ends with one message naming the file and the fix. Needs the
 * project's setup (.venv with nbclient, dist/ built); the last case starts the tslab kernel (a few seconds).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';

const ROOT = resolve(__dirname, '..');
const scratch = join(ROOT, 'build', 'test-notebooks');
mkdirSync(scratch, { recursive: true });
after(() => rmSync(scratch, { recursive: true, force: true }));

function notebook(name: string, source: string, kernel = 'tslab'): string {
  const path = join(scratch, name);
  const cells = [{ cell_type: 'code', execution_count: null, id: 'c0', metadata: {}, outputs: [], source }];
  const metadata = { kernelspec: { name: kernel, display_name: kernel, language: 'typescript' } };
  writeFileSync(path, JSON.stringify({ cells, metadata, nbformat: 4, nbformat_minor: 5 }));
  return path;
}

/** Runs COMMAND... and returns its exit status and output without terminal colour codes. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matches the escape codes of terminal colours
  const plain = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');
  return { status: result.status, stderr: plain(result.stderr), stdout: plain(result.stdout) };
}

function runNotebooks(args: string[], env: NodeJS.ProcessEnv = {}) {
  return run('bash', ['scripts/jupyter-env.sh', 'python', 'scripts/notebooks.py', '--no-build', ...args], env);
}

test('an unknown preset is one message listing the valid ones', () => {
  const { status, stderr } = runNotebooks(['--preset', 'tiny']);
  assert.equal(status, 2);
  assert.equal(
    stderr,
    "notebooks: unknown preset 'tiny' (from --preset)\nfix: use one of: smoke, quick, full, paper\n",
  );
  const fromEnv = runNotebooks([], { DISTILL_LAB_PRESET: 'huge' });
  assert.match(fromEnv.stderr, /unknown preset 'huge' \(from the DISTILL_LAB_PRESET environment variable\)/);
});

test('a missing notebook and a notebook on another kernel are named with the fix', () => {
  const missing = runNotebooks(['notebooks/99-missing.ipynb']);
  assert.equal(missing.status, 2);
  assert.match(
    missing.stderr,
    /^notebooks: notebook notebooks\/99-missing\.ipynb does not exist\nfix: name a file in notebooks\//,
  );
  const python = runNotebooks([notebook('python.ipynb', 'print(1)', 'python3')]);
  assert.equal(python.status, 2);
  assert.match(
    python.stderr,
    /build\/test-notebooks\/python\.ipynb asks for kernel 'python3', but the project's notebooks run on 'tslab'/,
  );
  assert.match(python.stderr, /fix: set metadata\.kernelspec\.name to 'tslab'/);
});

test('a missing kernelspec is named with the fix', () => {
  // Without scripts/jupyter-env.sh, and with no user-level kernels either.
  const python = join(ROOT, '.venv', 'bin', 'python');
  const result = run(python, ['scripts/notebooks.py', '--no-build', 'notebooks/00-tour.ipynb'], {
    JUPYTER_PATH: scratch,
    JUPYTER_DATA_DIR: scratch,
    HOME: scratch,
  });
  assert.equal(result.status, 2);
  assert.match(
    result.stderr,
    /kernel 'tslab' for notebooks\/00-tour\.ipynb not found in JUPYTER_PATH=.*build\/test-notebooks/,
  );
  assert.match(result.stderr, /fix: run through npm \(npm run notebooks\)/);
});

test('a cell reading a missing table fails the run, printing the cell and its error', () => {
  const path = notebook(
    'missing-table.ipynb',
    `import { readTable } from '${join(ROOT, 'dist', 'tables')}';\nreadTable('no-such-table');`,
  );
  const { status, stderr, stdout } = runNotebooks([path], { DISTILL_LAB_DATA_DIR: scratch });
  assert.equal(status, 1);
  assert.match(stderr, /✗ build\/test-notebooks\/missing-table\.ipynb: cell 0 failed\n {4}│ import \{ readTable \}/);
  assert.match(
    stderr,
    /! Error: table 'no-such-table' not found: build\/test-notebooks\/tables\/no-such-table\.arrow does not exist/,
  );
  assert.match(
    stdout,
    /✗ build\/test-notebooks\/missing-table\.ipynb \(\d+\.\d s\) → build\/notebooks\/missing-table\.ipynb/,
  );
  assert.ok(existsSync(join(ROOT, 'build', 'notebooks', 'missing-table.ipynb')));
  rmSync(join(ROOT, 'build', 'notebooks', 'missing-table.ipynb'));
  rmSync(join(ROOT, 'build', 'notebooks', 'missing-table.kernel.log'));
});

test('run by hand, a notebook writes its tables to build/notebooks/scratch, and its executed copy runs again', () => {
  // The kernel as JupyterLab starts it: no DISTILL_LAB_WRITE_RESULTS (notebooks.py sets it unless told 0), no data dir.
  const env = { DISTILL_LAB_WRITE_RESULTS: '0', DISTILL_LAB_DATA_DIR: '' };
  const table = 'notebook-scratch-probe';
  const files = (dir: string) => [join(dir, `${table}.arrow`), join(dir, `${table}.csv`)];
  const scratchFiles = files(join(ROOT, 'build', 'notebooks', 'scratch', 'tables'));
  const committedFiles = files(join(ROOT, 'data', 'tables'));
  const copy = join(ROOT, 'build', 'notebooks', `${table}.ipynb`);
  const clean = () => {
    for (const file of [...scratchFiles, ...committedFiles, copy, copy.replace(/\.ipynb$/, '.kernel.log')]) {
      rmSync(file, { force: true });
    }
  };
  clean();
  try {
    // Imported by name, as the committed notebooks do: it resolves from build/test-notebooks and build/notebooks.
    const path = notebook(
      `${table}.ipynb`,
      "import { from } from 'arquero';\n" +
        "import { displayPath, writeTable } from 'distill-lab/tables';\n" +
        `const written = writeTable('${table}', from([{ n: 1 }]), { n: 'int32' });\n` +
        "console.log('wrote ' + displayPath(written.arrow));",
    );
    for (const [round, target] of [path, copy].entries()) {
      const { status, stderr } = runNotebooks([target], env);
      assert.equal(status, 0, `round ${round}: ${stderr}`);
      const outputs = JSON.parse(readFileSync(copy, 'utf8')).cells[0].outputs;
      assert.deepEqual(outputs, [
        { name: 'stdout', output_type: 'stream', text: [`wrote build/notebooks/scratch/tables/${table}.arrow\n`] },
      ]);
      for (const file of scratchFiles) assert.ok(existsSync(file), `round ${round}: ${file} missing`);
      for (const file of committedFiles) assert.ok(!existsSync(file), `round ${round}: ${file} written`);
      for (const file of scratchFiles) rmSync(file);
    }
  } finally {
    clean();
  }
});
