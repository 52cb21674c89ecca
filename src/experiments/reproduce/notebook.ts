/**
 * What notebooks 02–05 share: each trains (or finds finished) its part of the plan, then shows its
 * figures inline and exports them to figures/ (PNG, SVG, HTML) from the tables on disk.
 */
import { readTable, type TablePaths } from '../../tables';
import { figuresDir, tablesDir } from '../../util/paths';
import { showFigure } from '../../viz/display';
import type { FigureEntry } from '../../viz/figure';
import { regenerateFigures } from '../../viz/regenerate';
import type { Pipeline } from './pipeline';
import { curveRows, resultDirectories } from './reproduce';
import { writeCurves } from './reproduce-tables';
import { isRunDone } from './run';

/** Rewrites the plan's distill-curves table with every finished run so far (notebooks add theirs in turn). */
export function writeFinishedCurves(pipeline: Pipeline): TablePaths {
  const rows = curveRows(pipeline.runs.filter(isRunDone)) as unknown as Record<string, unknown>[];
  return writeCurves(rows, resultDirectories(pipeline).tables);
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
