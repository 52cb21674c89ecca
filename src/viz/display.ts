/**
 * Figures inline in tslab notebooks: one output per figure carrying the interactive chart (text/html, drawn by
 * plotly.js when the notebook is trusted) and a PNG (what untrusted notebooks, GitHub and classic viewers
 * show). plotly.js is embedded once per kernel, i.e. once per notebook, with the first figure.
 */
import { encodePng, upscale } from '../env/image';
import type { RgbImage } from '../env/types';
import { displayBundle } from '../util/notebook-display';
import { FigureExporter } from './export';
import type { FigureSpec } from './figure';
import { notebookFigureHtml, plotlyBundleScript } from './html';

let exporter: Promise<FigureExporter> | null = null;
let bundleShown = false;
let figureCount = 0;

/** The notebook's one Chromium, started with the first figure; playwright ends it when the kernel exits. */
function sharedExporter(): Promise<FigureExporter> {
  if (!exporter) {
    exporter = FigureExporter.launch();
    exporter.catch(() => {
      exporter = null; // a failed launch is retried by the next figure (e.g. after setup installed Chromium)
    });
  }
  return exporter;
}

/** Shows `figure` as the current cell's output (interactive chart with a PNG fallback). */
export async function showFigure(figure: FigureSpec): Promise<void> {
  const png = (await (await sharedExporter()).render(figure, 'png')).toString('base64');
  const id = `distill-lab-figure-${process.pid}-${++figureCount}`;
  const prefix = bundleShown ? '' : plotlyBundleScript();
  bundleShown = true;
  const title = (figure.layout.title as { text?: string } | undefined)?.text ?? 'figure';
  displayBundle({ 'text/html': prefix + notebookFigureHtml(figure, png, id), 'image/png': png, 'text/plain': title });
}

/** Shows an RGB picture (e.g. `env.render()`), each pixel repeated `scale` times so small grids are visible. */
export function showImage(image: RgbImage, scale = 1): void {
  const png = encodePng(scale === 1 ? image : upscale(image, scale)).toString('base64');
  displayBundle({ 'image/png': png, 'text/plain': `${image.width}×${image.height} RGB image` });
}
