import assert from 'node:assert/strict';
import { test } from 'node:test';
import { displayBundle, inNotebook } from './notebook-display';

test('outside a kernel, displayBundle prints the text/plain part and tslab stays unloaded', (t) => {
  const written: string[] = [];
  t.mock.method(process.stdout, 'write', (chunk: string) => written.push(chunk) > 0);
  assert.equal(inNotebook(), false);
  displayBundle({ 'text/html': '<b>x</b>', 'text/plain': 'x' });
  displayBundle({ 'image/png': 'AAAA' });
  t.mock.restoreAll();
  assert.deepEqual(written, ['x\n']);
  assert.equal(require.cache[require.resolve('tslab/dist/jupyter')], undefined);
});

test("inside a kernel, displayBundle sends every MIME type in one message through tslab's sender", () => {
  const path = require.resolve('tslab/dist/jupyter');
  const sent: unknown[] = [];
  // What the tslab kernel leaves in its module once it runs: the display sender.
  require.cache[path] = { exports: { lastWriteDisplayData: (...args: unknown[]) => sent.push(args) } } as NodeJS.Module;
  try {
    assert.equal(inNotebook(), true);
    displayBundle({ 'text/html': '<b>x</b>', 'image/png': 'AAAA', 'text/plain': 'x' });
  } finally {
    delete require.cache[path];
  }
  assert.deepEqual(sent, [
    [{ data: { 'text/html': '<b>x</b>', 'image/png': 'AAAA', 'text/plain': 'x' }, metadata: {}, transient: {} }, false],
  ]);
});
