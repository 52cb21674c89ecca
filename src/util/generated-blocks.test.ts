import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fillGeneratedBlocks, generatedBlocks } from './generated-blocks';

const DOC = [
  '# Results',
  '<!-- claims: data/a.md -->',
  'old a',
  '<!-- /claims -->',
  'prose',
  '<!-- table: data/b.md -->',
  '<!-- /table -->',
  '<!-- claims: data/c.md -->',
  'unclosed',
  '<!-- /table -->',
  '',
].join('\n');

test('generated blocks are found by name and source, and an unclosed block is not one', () => {
  assert.deepEqual(generatedBlocks(DOC), [
    { name: 'claims', source: 'data/a.md', text: 'old a\n' },
    { name: 'table', source: 'data/b.md', text: '' },
  ]);
});

test("filling a block puts its file's text between the markers, without trailing blank lines", () => {
  const files: Record<string, string> = { 'data/a.md': 'new a\n| x |\n\n\n', 'data/b.md': 'b' };
  assert.equal(
    fillGeneratedBlocks(DOC, (source) => files[source]),
    [
      '# Results',
      '<!-- claims: data/a.md -->',
      'new a',
      '| x |',
      '<!-- /claims -->',
      'prose',
      '<!-- table: data/b.md -->',
      'b',
      '<!-- /table -->',
      '<!-- claims: data/c.md -->',
      'unclosed',
      '<!-- /table -->',
      '',
    ].join('\n'),
  );
});
