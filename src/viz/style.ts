/** The look every figure shares: a colour-blind-safe palette, readable fonts, light grid, titled axes. */
import type { FigureTitles, Trace } from './figure';

/**
 * Okabe & Ito (2008) colours, distinguishable under the common colour-vision deficiencies; ordered so the
 * first series get the strongest contrast on white (yellow, the weakest, comes late).
 */
export const OKABE_ITO = [
  '#0072B2', // blue
  '#E69F00', // orange
  '#009E73', // bluish green
  '#D55E00', // vermillion
  '#CC79A7', // reddish purple
  '#56B4E9', // sky blue
  '#000000', // black
  '#F0E442', // yellow
] as const;

/** Line dashes that tell series apart once the palette repeats (series 9 onwards). */
const DASHES = ['solid', 'dash', 'dot'] as const;

export const FONT_FAMILY = 'Liberation Sans, DejaVu Sans, Arial, sans-serif';

/** Default export size in CSS pixels (PNG is written at twice this). */
export const FIGURE_WIDTH = 900;
export const FIGURE_HEIGHT = 540;

export function seriesColor(index: number): string {
  return OKABE_ITO[index % OKABE_ITO.length];
}

export function seriesDash(index: number): string {
  return DASHES[Math.floor(index / OKABE_ITO.length) % DASHES.length];
}

/** `#RRGGBB` → `rgba(r,g,b,alpha)`, for translucent seed bands. */
export function withAlpha(hex: string, alpha: number): string {
  const match = /^#([0-9a-fA-F]{2})([0-9a-fA-F]{2})([0-9a-fA-F]{2})$/.exec(hex);
  if (!match) throw new RangeError(`colour must be #RRGGBB, got '${hex}'`);
  const [r, g, b] = match.slice(1).map((h) => Number.parseInt(h, 16));
  return `rgba(${r},${g},${b},${alpha})`;
}

/**
 * A translucent band between `lower` and `upper` over `x`, in legend group `group`: the upper edge, then the lower
 * edge filled up to it ('tonexty'), neither in the legend nor the hover labels.
 */
export function bandTraces(
  x: readonly number[],
  lower: readonly number[],
  upper: readonly number[],
  color: string,
  group: string,
): Trace[] {
  const edge = { type: 'scatter', mode: 'lines', x, line: { width: 0 }, hoverinfo: 'skip', showlegend: false };
  return [
    { ...edge, y: upper, legendgroup: group },
    { ...edge, y: lower, legendgroup: group, fill: 'tonexty', fillcolor: withAlpha(color, 0.2) },
  ];
}

function axis(title: string): Record<string, unknown> {
  return {
    title: { text: title, standoff: 8 },
    showline: true,
    linecolor: '#444444',
    ticks: 'outside',
    gridcolor: '#E5E5E5',
    zeroline: false,
    automargin: true,
  };
}

/** The shared layout; builders add their own keys (barmode, legend title, ...). */
export function baseLayout(titles: FigureTitles): Record<string, unknown> {
  return {
    title: { text: titles.title, x: 0.02, xanchor: 'left', font: { size: 20 } },
    font: { family: FONT_FAMILY, size: 15, color: '#222222' },
    paper_bgcolor: '#FFFFFF',
    plot_bgcolor: '#FFFFFF',
    xaxis: axis(titles.xTitle),
    yaxis: axis(titles.yTitle),
    legend: { bgcolor: 'rgba(255,255,255,0.8)', borderwidth: 0 },
    margin: { l: 70, r: 30, t: 70, b: 60 },
    width: FIGURE_WIDTH,
    height: FIGURE_HEIGHT,
  };
}
