/**
 * Blocks of a Markdown document that are copies of a generated file, so that prose about results cannot drift
 * from the tables: `<!-- NAME: PATH -->`, the file's text, `<!-- /NAME -->`. A test checks every document holds
 * its files' current text, and `npm run docs:results` rewrites the blocks after the tables change.
 */

/** One block: its name, the file it copies (relative to the repository) and the text it holds now. */
export interface GeneratedBlock {
  readonly name: string;
  readonly source: string;
  readonly text: string;
}

const BLOCK = /<!-- ([a-z][a-z-]*): (\S+) -->\n([\s\S]*?)<!-- \/\1 -->/g;

/** Every generated block of a document, in order. */
export function generatedBlocks(markdown: string): GeneratedBlock[] {
  return [...markdown.matchAll(BLOCK)].map(([, name, source, text]) => ({ name, source, text }));
}

/** The block body a file's text makes: the text without trailing blank lines, then one newline. */
export function blockText(fileText: string): string {
  return `${fileText.trimEnd()}\n`;
}

/** The document with every block's body replaced by `read(source)`'s text. */
export function fillGeneratedBlocks(markdown: string, read: (source: string) => string): string {
  return markdown.replace(BLOCK, (_, name: string, source: string) => {
    return `<!-- ${name}: ${source} -->\n${blockText(read(source))}<!-- /${name} -->`;
  });
}
