/** The viz layer's public API: Plotly figure builders, notebook display and PNG/SVG/HTML export. */
export { type BarColumns, type BarSeries, barFigure, barsFromTable } from './bar-table';
export { showFigure, showImage } from './display';
export { chromiumPath, FigureExporter, type FigureFiles } from './export';
export type { FigureEntry, FigureSpec, FigureTitles, Trace } from './figure';
export { type HistogramSeries, histogramFigure } from './histogram';
export { notebookFigureHtml, standaloneHtml } from './html';
export { type CurveColumns, type CurveSeries, curvesFromTable, learningCurveFigure } from './learning-curves';
export {
  barTrace,
  type IntervalSeries,
  intervalCurveTraces,
  type Panel,
  type PanelOptions,
  panelFigure,
} from './panels';
export { regenerateFigures } from './regenerate';
export { BAND_DESCRIPTIONS, type BandKind, type SeedBand, seedBand } from './seed-band';
export { OKABE_ITO, seriesColor, withAlpha } from './style';
