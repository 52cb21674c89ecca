/**
 * `npm run docs:results`: rewrites the generated blocks of every Markdown document in the repository from the
 * files they copy (src/util/generated-blocks.ts), after `reproduce` has rewritten its tables.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFilesAtomically } from '../src/util/atomic-write';
import { fillGeneratedBlocks, generatedBlocks } from '../src/util/generated-blocks';
import { PROJECT_ROOT } from '../src/util/paths';

const documents = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '*.md'], {
  cwd: PROJECT_ROOT,
  encoding: 'utf8',
})
  .split('\0')
  .filter((file) => file !== '');
const read = (file: string) => readFileSync(join(PROJECT_ROOT, file), 'utf8');
for (const document of documents) {
  const text = read(document);
  if (generatedBlocks(text).length === 0) continue;
  const filled = fillGeneratedBlocks(text, read);
  if (filled === text) continue;
  writeFilesAtomically([{ path: join(PROJECT_ROOT, document), content: filled }]);
  console.log(`docs:results: rewrote ${document}`);
}
