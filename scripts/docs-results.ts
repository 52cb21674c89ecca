/**
 * `npm run docs:results`: rewrites the generated blocks of every Markdown document in the repository from the
 * files they copy (src/util/generated-blocks.ts), after `reproduce` has rewritten its tables. Every source is
 * checked first, so a missing one changes no document.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFilesAtomically } from '../src/util/atomic-write';
import { fillGeneratedBlocks, generatedBlocks } from '../src/util/generated-blocks';
import { PROJECT_ROOT } from '../src/util/paths';

const read = (file: string) => readFileSync(join(PROJECT_ROOT, file), 'utf8');
const documents = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '*.md'], {
  cwd: PROJECT_ROOT,
  encoding: 'utf8',
})
  .split('\0')
  .filter((file) => file !== '' && existsSync(join(PROJECT_ROOT, file)));
const missing = documents.flatMap((document) =>
  generatedBlocks(read(document))
    .filter((block) => !existsSync(join(PROJECT_ROOT, block.source)))
    .map((block) => `${document} quotes ${block.source}, which does not exist`),
);
if (missing.length > 0) {
  console.error(`docs:results: ${missing.join('; ')} (run the command that writes it first); nothing was changed`);
  process.exit(1);
}
const changed = documents.flatMap((document) => {
  const text = read(document);
  const filled = fillGeneratedBlocks(text, read);
  return filled === text ? [] : [{ path: join(PROJECT_ROOT, document), content: filled, document }];
});
writeFilesAtomically(changed.map(({ path, content }) => ({ path, content })));
for (const { document } of changed) console.log(`docs:results: rewrote ${document}`);
if (changed.length === 0) console.log('docs:results: every generated block is up to date');
