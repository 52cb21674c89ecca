/** Grouped bars: categories on x (e.g. games), one bar per series (e.g. method), optional whiskers. */
import type { ColumnTable } from 'arquero';
import type { FigureSpec, FigureTitles } from './figure';
import { baseLayout, seriesColor } from './style';

export interface BarSeries {
  readonly label: string;
  /** One value per category. */
  readonly values: readonly number[];
  /** Whisker ends per category (e.g. mean ± 1 s.d., or the quartiles around a median); both or neither. */
  readonly lower?: readonly number[];
  readonly upper?: readonly number[];
}

/** Plotly's whiskers are lengths from the bar's top, not positions. */
function whiskers(s: BarSeries): Record<string, unknown> {
  if (!s.lower || !s.upper) return {};
  const below = s.values.map((v, i) => v - s.lower![i]);
  const above = s.values.map((v, i) => s.upper![i] - v);
  if ([...below, ...above].some((length) => length < 0)) {
    throw new RangeError(`'${s.label}': whiskers must enclose the values (lower ≤ value ≤ upper)`);
  }
  return {
    error_y: { type: 'data', symmetric: false, array: above, arrayminus: below, color: '#333333', thickness: 1.5 },
  };
}

export function barFigure(
  categories: readonly string[],
  series: readonly BarSeries[],
  titles: FigureTitles,
): FigureSpec {
  const data = series.map((s, index) => {
    if (!s.lower !== !s.upper) throw new RangeError(`'${s.label}' has only one of lower and upper`);
    for (const [what, list] of [
      ['values', s.values],
      ['lower', s.lower],
      ['upper', s.upper],
    ] as const) {
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
      ...whiskers(s),
    };
  });
  const layout = baseLayout(titles);
  // Categories need no vertical grid lines; the bars are the marks.
  const xaxis = { ...(layout.xaxis as object), showgrid: false };
  return { data, layout: { ...layout, xaxis, barmode: 'group', showlegend: true } };
}

export interface BarColumns {
  readonly category: string;
  readonly series: string;
  readonly value: string;
  /** Columns holding the whisker ends. */
  readonly lower?: string;
  readonly upper?: string;
}

/** One row per (category, series) → bar figure input; categories and series in order of first appearance. */
export function barsFromTable(table: ColumnTable, columns: BarColumns): { categories: string[]; series: BarSeries[] } {
  const category = table.array(columns.category) as ArrayLike<unknown>;
  const label = table.array(columns.series) as ArrayLike<unknown>;
  const value = table.array(columns.value) as ArrayLike<number>;
  const lower = columns.lower ? (table.array(columns.lower) as ArrayLike<number>) : null;
  const upper = columns.upper ? (table.array(columns.upper) as ArrayLike<number>) : null;
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
    series: labels.map((s) => ({
      label: s,
      values: pick(s, value),
      ...(lower && upper ? { lower: pick(s, lower), upper: pick(s, upper) } : {}),
    })),
  };
}
