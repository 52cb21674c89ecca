import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PROJECT_ROOT } from '../src/util/paths';

/**
 * Words that speak of how the project is worked on (its tracker's tickets, the stints of work on it), not of the project. The
 * verb "issues" (a loop issues kernels) and TensorFlow's sessions are fine: only these phrasings are refused.
 */
const PROCESS_TALK =
  /issue\s*#?\d+|\b(the|this|later|an|each|every|that|next)\s+issues?('s)?\b|\b(work(ing)?|this|last|next|previous|earlier)\s+sessions?\b|issues show/i;

/** Third-party texts the project ships unchanged, and this file, which spells the phrasings out. */
const LEFT_OUT = new Set(['native/ale/LICENSE.md', 'test/speaks-of-the-project.test.ts', 'package-lock.json']);

test('the repository speaks of the project only: no ticket numbers, no diary of the work', () => {
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: PROJECT_ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((f) => /\.(md|ts|js|py|sh|ipynb|json|txt|c|cc|h)$/.test(f) && !LEFT_OUT.has(f));
  assert.ok(files.length > 100, `only ${files.length} files listed`);
  const found = files.flatMap((file) =>
    readFileSync(join(PROJECT_ROOT, file), 'utf8')
      .split('\n')
      .flatMap((line, i) => (PROCESS_TALK.test(line) ? [`${file}:${i + 1}`] : [])),
  );
  assert.deepEqual(found, []);
});
