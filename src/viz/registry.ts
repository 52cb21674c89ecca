/**
 * Every figure of the project, rebuilt from tables alone by `npm run figures` (no training). Issues that
 * produce a table add its figures here; data/README.md documents the tables.
 */
import { type ColumnTable, op } from 'arquero';
import { barFigure, barsFromTable } from './bar-table';
import type { FigureSpec } from './figure';

export interface FigureEntry {
  /** File stem in figures/ (kebab-case). */
  readonly name: string;
  /** Tables read, each with the columns the builder needs (checked before anything is drawn). */
  readonly tables: Readonly<Record<string, readonly string[]>>;
  /** Pure: tables in, figure out. */
  build(tables: Readonly<Record<string, ColumnTable>>): FigureSpec;
}

export const FIGURES: readonly FigureEntry[] = [
  {
    name: 'backend-speed',
    tables: { 'backend-speed': ['operation', 'backend', 'ms'] },
    build: (tables) => {
      const summary = tables['backend-speed']
        .groupby('operation', 'backend')
        .rollup({ median_ms: op.median('ms'), sd_ms: op.stdev('ms') });
      const { categories, series } = barsFromTable(summary, {
        category: 'operation',
        series: 'backend',
        value: 'median_ms',
        error: 'sd_ms',
      });
      return barFigure(categories, series, {
        title: 'Tensor backend speed (median over repeats, whiskers ± 1 s.d.)',
        xTitle: 'operation (float32)',
        yTitle: 'time per call (ms)',
      });
    },
  },
];
