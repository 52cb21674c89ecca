import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import {
  dataFolder,
  figuresDir,
  isNotebookKernel,
  NOTEBOOK_SCRATCH_DIR,
  PROJECT_ROOT,
  tablesDir,
  writesToScratch,
} from './paths';

const CLI = ['/usr/bin/node', join(PROJECT_ROOT, 'bin', 'distill-lab.js'), 'reproduce'];
const KERNEL = ['/usr/bin/node', join(PROJECT_ROOT, 'node_modules', '.bin', 'tslab'), 'kernel', '--config-path', 'c'];

test('a tslab kernel is recognised by its command line, whichever tslab started it', () => {
  assert.equal(isNotebookKernel(KERNEL), true);
  assert.equal(isNotebookKernel(['/usr/bin/node', '/usr/lib/node_modules/tslab/bin/tslab', 'kernel', '--js']), true);
  assert.equal(isNotebookKernel(CLI), false);
  assert.equal(isNotebookKernel(['/usr/bin/node', '/usr/bin/tslab', 'install']), false);
  assert.equal(isNotebookKernel(['/usr/bin/node', '/x/not-tslab', 'kernel']), false);
  assert.equal(isNotebookKernel(['/usr/bin/node']), false);
});

test('outside notebooks, tables and figures are the committed folders unless redirected', () => {
  assert.equal(tablesDir({}, CLI), join(PROJECT_ROOT, 'data', 'tables'));
  assert.equal(figuresDir({}, CLI), join(PROJECT_ROOT, 'figures'));
  assert.equal(dataFolder({}), join(PROJECT_ROOT, 'data'));
  const env = { DISTILL_LAB_DATA_DIR: '/tmp/d', DISTILL_LAB_FIGURES_DIR: 'rel/figs' };
  assert.equal(tablesDir(env, CLI), '/tmp/d/tables');
  assert.equal(figuresDir(env, CLI), resolve('rel/figs'));
  assert.equal(dataFolder(env), '/tmp/d');
  assert.equal(tablesDir({ DISTILL_LAB_DATA_DIR: '' }, CLI), join(PROJECT_ROOT, 'data', 'tables'));
});

test('a notebook kernel writes tables and figures to the scratch folder unless DISTILL_LAB_WRITE_RESULTS=1', () => {
  assert.equal(NOTEBOOK_SCRATCH_DIR, join(PROJECT_ROOT, 'build', 'notebooks', 'scratch'));
  assert.equal(writesToScratch({}, KERNEL), true);
  assert.equal(tablesDir({}, KERNEL), join(PROJECT_ROOT, 'build', 'notebooks', 'scratch', 'tables'));
  assert.equal(figuresDir({}, KERNEL), join(PROJECT_ROOT, 'build', 'notebooks', 'scratch', 'figures'));
  for (const value of ['0', '', 'true', 'yes']) {
    assert.equal(tablesDir({ DISTILL_LAB_WRITE_RESULTS: value }, KERNEL), join(NOTEBOOK_SCRATCH_DIR, 'tables'));
  }
  // Run folders stay where `reproduce` keeps them, so a notebook reuses finished runs.
  assert.equal(dataFolder({}), join(PROJECT_ROOT, 'data'));
  // Asked for (npm run notebooks sets it): the committed folders.
  const write = { DISTILL_LAB_WRITE_RESULTS: '1' };
  assert.equal(writesToScratch(write, KERNEL), false);
  assert.equal(tablesDir(write, KERNEL), join(PROJECT_ROOT, 'data', 'tables'));
  assert.equal(figuresDir(write, KERNEL), join(PROJECT_ROOT, 'figures'));
  // An explicit folder wins (the smoke preset's build/notebooks/data).
  assert.equal(tablesDir({ DISTILL_LAB_DATA_DIR: '/tmp/d' }, KERNEL), '/tmp/d/tables');
  assert.equal(figuresDir({ DISTILL_LAB_FIGURES_DIR: '/tmp/f' }, KERNEL), '/tmp/f');
});
