/** `npm run figures`: every registered figure redrawn from its tables, with one progress line per figure. */
import type { ColumnTable } from 'arquero';
import { readTable } from '../tables/io';
import { displayPath, figuresDir, tablesDir } from '../util/paths';
import { FigureExporter } from './export';
import type { FigureEntry, FigureSpec } from './figure';

export interface RegenerateOptions {
  /** Figure names to redraw; all when empty. */
  readonly only?: readonly string[];
  readonly entries: readonly FigureEntry[];
  readonly tables?: string;
  readonly figures?: string;
  readonly log?: (line: string) => void;
}

/**
 * Reads every table and builds every figure first, so a missing table or a builder error stops the run before
 * Chromium starts or any file is written; then exports each figure as PNG, SVG and HTML.
 */
export async function regenerateFigures(options: RegenerateOptions): Promise<string[]> {
  const entries = options.entries;
  const tablesFolder = options.tables ?? tablesDir();
  const figuresFolder = options.figures ?? figuresDir();
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const known = entries.map((entry) => entry.name);
  const unknown = (options.only ?? []).filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new Error(`unknown figure(s) ${unknown.join(', ')}; registered: ${known.join(', ') || '(none)'}`);
  }
  const chosen = options.only?.length ? entries.filter((entry) => options.only!.includes(entry.name)) : entries;
  const built: Array<{ entry: FigureEntry; figure: FigureSpec }> = chosen.map((entry) => {
    const tables: Record<string, ColumnTable> = {};
    for (const [name, columns] of Object.entries(entry.tables)) tables[name] = readTable(name, columns, tablesFolder);
    return { entry, figure: entry.build(tables) };
  });
  if (built.length === 0) return [];
  const started = performance.now();
  const exporter = await FigureExporter.launch();
  log(`figures: Chromium with plotly.js ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const written: string[] = [];
  try {
    for (const [index, { entry, figure }] of built.entries()) {
      const start = performance.now();
      const files = await exporter.write(entry.name, figure, figuresFolder);
      written.push(files.png, files.svg, files.html);
      const seconds = ((performance.now() - start) / 1000).toFixed(2);
      const from = Object.keys(entry.tables).join(', ');
      log(
        `[${index + 1}/${built.length}] ${entry.name} ← ${from} (${seconds} s) → ${displayPath(files.png.replace(/\.png$/, ''))}.{png,svg,html}`,
      );
    }
  } finally {
    await exporter.close();
  }
  return written;
}
