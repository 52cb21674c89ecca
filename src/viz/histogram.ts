/** Overlaid histograms, one per series (e.g. episode returns or value estimates per method). */
import type { FigureSpec, FigureTitles } from './figure';
import { baseLayout, seriesColor, withAlpha } from './style';

export interface HistogramSeries {
  readonly label: string;
  readonly values: readonly number[];
}

/** `bins` is Plotly's maximum bin count per series; the y axis title should say what is counted. */
export function histogramFigure(series: readonly HistogramSeries[], titles: FigureTitles, bins = 30): FigureSpec {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be an integer ≥ 1, got ${bins}`);
  const data = series.map((s, index) => ({
    type: 'histogram',
    name: `${s.label} (n = ${s.values.length})`,
    x: s.values,
    nbinsx: bins,
    // Translucent fill with a solid outline: where series overlap both outlines stay visible.
    marker: { color: withAlpha(seriesColor(index), 0.4), line: { color: seriesColor(index), width: 1.5 } },
  }));
  return { data, layout: { ...baseLayout(titles), barmode: 'overlay', showlegend: true } };
}
