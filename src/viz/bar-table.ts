/** Grouped bars: categories on x (e.g. games), one bar per series (e.g. method), optional error bars. */
import type { ColumnTable } from 'arquero';
import type { FigureSpec, FigureTitles } from './figure';
import { baseLayout, seriesColor } from './style';

export interface BarSeries {
  readonly label: string;
  /** One value per category. */
  readonly values: readonly number[];
  /** Symmetric error per category (e.g. one standard deviation), drawn as whiskers. */
  readonly errors?: readonly number[];
}

export function barFigure(categories: readonly string[], series: readonly BarSeries[], titles: FigureTitles): FigureSpec {
  const data = series.map((s, index) => {
    for (const [what, list] of [['values', s.values], ['errors', s.errors]] as const) {
      if (list && list.length !== categories.length) {
        throw new RangeError(`'${s.label}' has ${list.length} ${what} for ${categories.length} categories`);
      }
    }
    return {
      type: 'bar',
      name: s.label,
      x: categories,
      y: s.values,
      marker: { color: seriesColor(index) },
      ...(s.errors ? { error_y: { type: 'data', array: s.errors, visible: true, color: '#333333', thickness: 1.5 } } : {}),
    };
  });
  const layout = baseLayout(titles);
  // Categories need no vertical grid lines; the bars are the marks.
  const xaxis = { ...(layout.xaxis as object), showgrid: false };
  return { data, layout: { ...layout, xaxis, barmode: 'group', showlegend: series.length > 1 } };
}

export interface BarColumns {
  readonly category: string;
  readonly series: string;
  readonly value: string;
  readonly error?: string;
}

/** One row per (category, series) → bar figure input; categories and series in order of first appearance. */
export function barsFromTable(table: ColumnTable, columns: BarColumns): { categories: string[]; series: BarSeries[] } {
  const category = table.array(columns.category) as ArrayLike<unknown>;
  const label = table.array(columns.series) as ArrayLike<unknown>;
  const value = table.array(columns.value) as ArrayLike<number>;
  const error = columns.error ? (table.array(columns.error) as ArrayLike<number>) : null;
  const categories = [...new Set(Array.from(category, String))];
  const labels = [...new Set(Array.from(label, String))];
  const cell = new Map<string, number>();
  for (let row = 0; row < table.numRows(); row++) cell.set(`${label[row]}\u0000${category[row]}`, row);
  const pick = (s: string, source: ArrayLike<number>): number[] =>
    categories.map((c) => {
      const row = cell.get(`${s}\u0000${c}`);
      if (row === undefined) throw new RangeError(`no row for ${columns.series}='${s}', ${columns.category}='${c}'`);
      return source[row];
    });
  return {
    categories,
    series: labels.map((s) => ({ label: s, values: pick(s, value), ...(error ? { errors: pick(s, error) } : {}) })),
  };
}
