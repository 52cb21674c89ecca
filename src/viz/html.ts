/**
 * Plotly figures as HTML: a standalone interactive page (bundle inlined, works offline) and the notebook form
 * (a static PNG shown until plotly.js draws the interactive chart over it; untrusted notebooks keep the PNG).
 */
import { readFileSync } from 'node:fs';
import type { FigureSpec } from './figure';

/** Path of the plotly.js bundle shipped by plotly.js-dist-min. */
export const PLOTLY_BUNDLE_PATH = require.resolve('plotly.js-dist-min');

let bundleSource: string | null = null;

/** The bundle's source, read once per process. */
export function plotlyBundle(): string {
  bundleSource ??= readFileSync(PLOTLY_BUNDLE_PATH, 'utf8');
  return bundleSource;
}

/** JSON that is safe inside a <script> element (no `</script>` or `<!--` can appear). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function figureTitle(figure: FigureSpec): string {
  const title = figure.layout.title as { text?: string } | undefined;
  return title?.text ?? 'figure';
}

/**
 * The bundle as a script that defines window.Plotly once (guarded), hiding any AMD loader on the page
 * (classic Jupyter's require.js would otherwise capture it as a module and leave window.Plotly unset).
 */
export function plotlyBundleScript(): string {
  return `<script>if (!window.Plotly) { (function (define, module, exports) {\n${plotlyBundle()}\n})(); }</script>`;
}

const CONFIG = { responsive: true, displaylogo: false };

/** A complete HTML page showing `figure` interactively, with plotly.js inlined (no network needed). */
export function standaloneHtml(figure: FigureSpec): string {
  const layout = { ...figure.layout, width: undefined, height: undefined, autosize: true };
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(figureTitle(figure))}</title>`,
    '<style>html,body{margin:0;height:100%}#figure{width:100%;height:100%}</style>',
    plotlyBundleScript(),
    '</head><body><div id="figure"></div>',
    `<script>Plotly.newPlot('figure', ${scriptJson(figure.data)}, ${scriptJson(layout)}, ${scriptJson(CONFIG)});</script>`,
    '</body></html>',
    '',
  ].join('\n');
}

/**
 * Notebook HTML for one figure: the PNG (base64) as an <img> inside a div that plotly.js replaces with the
 * interactive chart once window.Plotly exists (it waits up to 30 s for the bundle's script to run).
 */
export function notebookFigureHtml(figure: FigureSpec, pngBase64: string, id: string): string {
  // The output area may be narrower than the export width: the interactive chart takes the width it gets.
  const layout = { ...figure.layout, width: undefined, autosize: true };
  const draw =
    `var el = document.getElementById('${id}'); el.innerHTML = '';` +
    `Plotly.newPlot(el, ${scriptJson(figure.data)}, ${scriptJson(layout)}, ${scriptJson(CONFIG)});`;
  return [
    `<div id="${id}"><img alt="${escapeHtml(figureTitle(figure))}" style="max-width:100%" src="data:image/png;base64,${pngBase64}"></div>`,
    '<script>(function () {',
    `  function draw() { ${draw} }`,
    '  if (window.Plotly) { draw(); return; }',
    '  var waited = 0, timer = setInterval(function () {',
    '    if (window.Plotly) { clearInterval(timer); draw(); } else if ((waited += 100) > 30000) clearInterval(timer);',
    '  }, 100);',
    '})();</script>',
  ].join('\n');
}
