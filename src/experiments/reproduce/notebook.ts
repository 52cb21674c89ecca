/**
 * What notebooks 02–05 share: each trains (or finds finished) its part of the plan, writes the result tables of
 * the runs finished so far (the claims table among them), shows the paper's claims against them at its top and its
 * verdicts in words at its end (generated from those tables), and shows its figures inline and exports them to
 * figures/ (PNG, SVG, HTML) from the tables on disk.
 */
import { readTable, type TablePaths } from '../../tables';
import { displayBundle } from '../../util/notebook-display';
import { figuresDir, tablesDir } from '../../util/paths';
import { withRunLock } from '../../util/run-lock';
import { showFigure } from '../../viz/display';
import type { FigureEntry } from '../../viz/figure';
import { regenerateFigures } from '../../viz/regenerate';
import { claimSentence, claimsMarkdown, readClaims } from './claims';
import type { Pipeline } from './pipeline';
import { curveRows, resultDirectories, writeResultTables } from './reproduce';
import { writeCurves } from './reproduce-tables';
import { isRunDone } from './run';

/**
 * Rewrites the plan's distill-curves table with every finished run so far (notebooks add theirs in turn), its tables
 * folder locked as `reproduce` locks it: refused while another process writes there.
 */
export function writeFinishedCurves(pipeline: Pipeline): TablePaths {
  const rows = curveRows(pipeline.runs.filter(isRunDone)) as unknown as Record<string, unknown>[];
  const { tables } = resultDirectories(pipeline);
  return withRunLock(tables, () => writeCurves(rows, tables));
}

/**
 * Every result table of the plan's runs finished so far, then the claims table from them, into the plan's tables
 * folder (tables of variants without finished runs are left out; the claims say what is missing), locked as
 * `reproduce` locks it.
 */
export function writeFinishedResults(pipeline: Pipeline): string[] {
  const { tables } = resultDirectories(pipeline);
  return withRunLock(tables, () => writeResultTables(pipeline, tables));
}

/** Shows Markdown lines as the cell's output (text elsewhere). */
export function showMarkdown(lines: readonly string[]): void {
  const text = lines.join('\n');
  displayBundle({ 'text/markdown': text, 'text/plain': text });
}

/** Shows the claims table in `tables` as Markdown, with the plan's state (only the rows of `sources` when given). */
export function showClaims(tables: string, sources?: readonly string[]): void {
  const rows = readClaims(tables);
  showMarkdown(rows.length > 0 ? claimsMarkdown(rows, sources) : [`_No claims table in ${tables}._`]);
}

/** The claims of `sources` in sentences, from the claims table in `tables`: a notebook's reading of its results. */
export function showClaimSentences(tables: string, sources: readonly string[]): void {
  const rows = readClaims(tables).filter((r) => sources.includes(r.source));
  showMarkdown(rows.length > 0 ? [`_${rows[0].plan}_`, '', ...rows.map((r) => `- ${claimSentence(r)}`)] : []);
}

/** Shows every entry inline, built from the tables in `tables`, then exports them all to figures/. */
export async function showAndExport(
  entries: readonly FigureEntry[],
  tables: string = tablesDir(),
  figures: string = figuresDir(),
): Promise<string[]> {
  for (const entry of entries) {
    const inputs = Object.fromEntries(
      Object.entries(entry.tables).map(([name, columns]) => [name, readTable(name, columns, tables)]),
    );
    await showFigure(entry.build(inputs));
  }
  return regenerateFigures({ entries, tables, figures, log: () => {} });
}
