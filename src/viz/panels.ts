/**
 * Small multiples: one figure of several panels (Plotly subplots), e.g. one per game and a suite-level one, sharing
 * one legend. Builders give each panel its traces without axis references; `panelFigure` places the panels on a
 * grid, gives every panel its own axes, names the axes on the outer panels only and shows each legend group once.
 * Bands are given explicitly (mean, lower, upper), so that the caller decides what an interval is.
 */
import type { FigureSpec, Trace } from './figure';
import { bandTraces, baseLayout, seriesColor, seriesDash } from './style';

export interface Panel {
  readonly title: string;
  readonly traces: readonly Trace[];
}

export interface PanelOptions {
  readonly title: string;
  readonly xTitle: string;
  readonly yTitle: string;
  /** Panels per row (default 3, fewer when there are fewer panels). */
  readonly columns?: number;
  /** What the bands or whiskers are, shown as the legend's title. */
  readonly legendTitle?: string;
  readonly barmode?: 'group' | 'overlay';
}

/** One panel's size in CSS pixels, and the margins around the grid. */
const PANEL_WIDTH = 430;
const PANEL_HEIGHT = 290;
const MARGIN = { l: 80, r: 30, t: 125, b: 70 } as const;
/** Gaps between panels, in pixels: room for tick labels beside and the panel title above. */
const GAP_X = 60;
const GAP_Y = 75;

function axisId(index: number): string {
  return index === 0 ? '' : String(index + 1);
}

/** The panels on a grid, each with its own axes; each legend group's first trace carries the legend entry. */
export function panelFigure(panels: readonly Panel[], options: PanelOptions): FigureSpec {
  if (panels.length === 0) throw new RangeError('panelFigure needs at least one panel');
  const columns = Math.min(options.columns ?? 3, panels.length);
  if (!(Number.isInteger(columns) && columns >= 1))
    throw new RangeError(`columns must be an integer ≥ 1, got ${columns}`);
  const rows = Math.ceil(panels.length / columns);
  const plotWidth = columns * PANEL_WIDTH + (columns - 1) * GAP_X;
  const plotHeight = rows * PANEL_HEIGHT + (rows - 1) * GAP_Y;
  const base = baseLayout(options);
  const height = plotHeight + MARGIN.t + MARGIN.b;
  const layout: Record<string, unknown> = {
    ...base,
    // At the top of the figure, the legend under it.
    title: { ...(base.title as object), y: 1 - 16 / height, yanchor: 'top' },
    width: plotWidth + MARGIN.l + MARGIN.r,
    height,
    margin: { ...MARGIN },
    showlegend: true,
    // Under the title, above the panels' titles.
    legend: {
      ...(base.legend as object),
      orientation: 'h',
      x: 0,
      xanchor: 'left',
      y: 1 + 32 / plotHeight,
      yanchor: 'bottom',
      ...(options.legendTitle ? { title: { text: options.legendTitle } } : {}),
    },
    ...(options.barmode ? { barmode: options.barmode } : {}),
  };
  const annotations: Record<string, unknown>[] = [];
  const data: Trace[] = [];
  const shown = new Set<unknown>();
  panels.forEach((panel, i) => {
    const column = i % columns;
    const row = Math.floor(i / columns);
    const x0 = (column * (PANEL_WIDTH + GAP_X)) / plotWidth;
    const x1 = x0 + PANEL_WIDTH / plotWidth;
    const y1 = 1 - (row * (PANEL_HEIGHT + GAP_Y)) / plotHeight;
    const y0 = y1 - PANEL_HEIGHT / plotHeight;
    const id = axisId(i);
    const bottom = i + columns >= panels.length;
    const xaxis = base.xaxis as Record<string, unknown>;
    const yaxis = base.yaxis as Record<string, unknown>;
    layout[`xaxis${id}`] = {
      ...xaxis,
      title: bottom ? xaxis.title : { text: '' },
      domain: [x0, x1],
      anchor: `y${id}`,
    };
    layout[`yaxis${id}`] = {
      ...yaxis,
      title: column === 0 ? yaxis.title : { text: '' },
      domain: [y0, y1],
      anchor: `x${id}`,
    };
    annotations.push({
      text: `<b>${panel.title}</b>`,
      x: (x0 + x1) / 2,
      y: y1,
      xref: 'paper',
      yref: 'paper',
      xanchor: 'center',
      yanchor: 'bottom',
      yshift: 6,
      showarrow: false,
      font: { size: 15 },
    });
    for (const trace of panel.traces) {
      const group = trace.legendgroup ?? trace.name;
      const first = trace.showlegend !== false && !shown.has(group);
      if (first) shown.add(group);
      data.push({ ...trace, xaxis: `x${id}`, yaxis: `y${id}`, showlegend: first });
    }
  });
  return { data, layout: { ...layout, annotations } };
}

/** A curve with an explicit band (null bounds: no band, e.g. one seed). */
export interface IntervalSeries {
  readonly label: string;
  readonly x: readonly number[];
  readonly mean: readonly number[];
  readonly lower: readonly number[] | null;
  readonly upper: readonly number[] | null;
}

/** The band (upper edge, then the lower edge filled up to it) and the mean line, in the palette's `index` colour. */
export function intervalCurveTraces(series: IntervalSeries, index: number): Trace[] {
  const lengths = [series.mean, series.lower ?? series.mean, series.upper ?? series.mean].map((v) => v.length);
  if (lengths.some((n) => n !== series.x.length))
    throw new RangeError(`'${series.label}': ${lengths.join('/')} values for ${series.x.length} x points`);
  const color = seriesColor(index);
  const group = series.label;
  const band = series.lower && series.upper ? bandTraces(series.x, series.lower, series.upper, color, group) : [];
  return [
    ...band,
    {
      type: 'scatter',
      mode: series.x.length === 1 ? 'markers' : 'lines',
      name: series.label,
      legendgroup: group,
      x: series.x,
      y: series.mean,
      line: { color, width: 2.5, dash: seriesDash(index) },
      marker: { color },
    },
  ];
}

/** One bar series of a grouped bar panel, with optional whiskers (absolute ends, both or neither). */
export function barTrace(
  label: string,
  categories: readonly (string | number)[],
  values: readonly number[],
  index: number,
  whiskers?: { readonly lower: readonly number[]; readonly upper: readonly number[] },
): Trace {
  if (values.length !== categories.length)
    throw new RangeError(`'${label}' has ${values.length} values for ${categories.length} categories`);
  const errors = whiskers
    ? {
        error_y: {
          type: 'data',
          symmetric: false,
          array: values.map((v, i) => Math.max(0, whiskers.upper[i] - v)),
          arrayminus: values.map((v, i) => Math.max(0, v - whiskers.lower[i])),
          color: '#333333',
          thickness: 1.2,
        },
      }
    : {};
  return {
    type: 'bar',
    name: label,
    legendgroup: label,
    x: categories,
    y: values,
    marker: { color: seriesColor(index) },
    ...errors,
  };
}
