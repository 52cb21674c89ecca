/**
 * What notebooks 02–05 share: each trains (or finds finished) its part of the plan, then shows its
 * figures inline and exports them to figures/ (PNG, SVG, HTML) from the tables on disk.
 */
import { readTable, type TablePaths } from '../../tables';
import { tablesDir } from '../../util/paths';
import { showFigure } from '../../viz/display';
import type { FigureEntry } from '../../viz/figure';
import { regenerateFigures } from '../../viz/regenerate';
import type { Pipeline } from './pipeline';
import { curveRows } from './reproduce';
import { writeCurves } from './reproduce-tables';
import { isRunDone } from './run';

/** Rewrites data/tables/distill-curves with every finished run of the plan so far (notebooks add theirs in turn). */
export function writeFinishedCurves(pipeline: Pipeline): TablePaths {
  return writeCurves(curveRows(pipeline.runs.filter(isRunDone)) as unknown as Record<string, unknown>[]);
}

/** Shows every entry inline, built from the tables in `tables`, then exports them all to figures/. */
export async function showAndExport(entries: readonly FigureEntry[], tables: string = tablesDir()): Promise<string[]> {
  for (const entry of entries) {
    const inputs = Object.fromEntries(
      Object.entries(entry.tables).map(([name, columns]) => [name, readTable(name, columns, tables)]),
    );
    await showFigure(entry.build(inputs));
  }
  return regenerateFigures({ entries, tables, log: () => {} });
}
