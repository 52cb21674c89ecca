import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { blockText, generatedBlocks } from '../src/util/generated-blocks';
import { PROJECT_ROOT } from '../src/util/paths';

/** The documents whose headline results must come from the committed claims table. */
const MUST_QUOTE_CLAIMS = ['README.md', 'docs/distillation.md'];

const read = (file: string) => readFileSync(join(PROJECT_ROOT, file), 'utf8');
const documents = execFileSync('git', ['ls-files', '-z', '*.md'], { cwd: PROJECT_ROOT, encoding: 'utf8' })
  .split('\0')
  .filter((file) => file !== '');

test("every generated block in the documents holds its file's current text (npm run docs:results rewrites them)", () => {
  const stale = documents.flatMap((document) =>
    generatedBlocks(read(document)).flatMap((block) => {
      if (!existsSync(join(PROJECT_ROOT, block.source))) return [`${document}: ${block.source} does not exist`];
      return block.text === blockText(read(block.source)) ? [] : [`${document}: ${block.source} has changed`];
    }),
  );
  assert.deepEqual(stale, []);
});

test('README and the distillation page quote the claims table through a generated block', () => {
  for (const document of MUST_QUOTE_CLAIMS) {
    const claims = generatedBlocks(read(document)).filter((block) => block.name === 'claims');
    assert.ok(claims.length > 0 && claims.every((block) => block.source.endsWith('/claims.md')), document);
  }
});
