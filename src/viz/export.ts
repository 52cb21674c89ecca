/**
 * Static and standalone exports of figures through one headless Chromium (Debian's, driven by playwright-core):
 * loading plotly.js costs seconds, each figure after that a fraction of one, so a run opens one exporter for
 * all its figures.
 */

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { writeFilesAtomically } from '../util/atomic-write';
import { assertKebabCase } from '../util/names';
import { figuresDir } from '../util/paths';
import type { FigureSpec } from './figure';
import { PLOTLY_BUNDLE_PATH, standaloneHtml } from './html';
import { stableSvg } from './stable-svg';
import { FIGURE_HEIGHT, FIGURE_WIDTH } from './style';

/** Debian's chromium unless DISTILL_LAB_CHROMIUM names another binary. */
export function chromiumPath(): string {
  return process.env.DISTILL_LAB_CHROMIUM || '/usr/bin/chromium';
}

/** No sandbox (containers run as root), no GPU, and nothing that would reach the network. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

/** PNG pixels per CSS pixel: 1800×1080 for the default size, sharp on high-density screens and in print. */
const PNG_SCALE = 2;

export interface FigureFiles {
  readonly png: string;
  readonly svg: string;
  readonly html: string;
}

export class FigureExporter {
  private constructor(
    private readonly browser: Browser,
    private readonly page: Page,
  ) {}

  /** Starts Chromium and loads plotly.js into a blank page. */
  static async launch(): Promise<FigureExporter> {
    const executablePath = chromiumPath();
    if (!existsSync(executablePath)) {
      throw new Error(
        `Chromium not found at ${executablePath} (needed to draw figures as PNG/SVG); ` +
          'install it with: bash scripts/setup.sh --only chromium (or set DISTILL_LAB_CHROMIUM to a Chromium binary)',
      );
    }
    const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      await page.setContent('<!DOCTYPE html><html><body></body></html>');
      await page.addScriptTag({ path: PLOTLY_BUNDLE_PATH });
      return new FigureExporter(browser, page);
    } catch (error) {
      await browser.close();
      throw error;
    }
  }

  /** The figure drawn by plotly.js as PNG bytes or SVG text (bytes, UTF-8). */
  async render(figure: FigureSpec, format: 'png' | 'svg'): Promise<Buffer> {
    const width = (figure.layout.width as number | undefined) ?? FIGURE_WIDTH;
    const height = (figure.layout.height as number | undefined) ?? FIGURE_HEIGHT;
    const scale = format === 'png' ? PNG_SCALE : 1;
    const url = await this.page.evaluate(
      (args) => {
        const plotly = (globalThis as unknown as { Plotly: { toImage(fig: object, opts: object): Promise<string> } })
          .Plotly;
        return plotly.toImage({ data: args.data, layout: args.layout }, args.options);
      },
      // A fixed uid per trace: plotly names each trace's SVG group after it, randomly when none is given.
      {
        data: figure.data.map((trace, i) => ({ uid: `trace${i}`, ...trace })),
        layout: figure.layout,
        options: { format, width, height, scale },
      },
    );
    const comma = url.indexOf(',');
    const header = url.slice(0, comma);
    const payload = url.slice(comma + 1);
    return header.endsWith(';base64')
      ? Buffer.from(payload, 'base64')
      : Buffer.from(decodeURIComponent(payload), 'utf8');
  }

  /**
   * Writes NAME.png, NAME.svg and NAME.html (standalone, interactive) into `dir`; all three are rendered before
   * any is written, and each is written under a temporary name and renamed.
   */
  async write(name: string, figure: FigureSpec, dir: string = figuresDir()): Promise<FigureFiles> {
    assertKebabCase('figure', name);
    const files: FigureFiles = {
      png: join(dir, `${name}.png`),
      svg: join(dir, `${name}.svg`),
      html: join(dir, `${name}.html`),
    };
    const [png, svg] = [await this.render(figure, 'png'), await this.render(figure, 'svg')];
    writeFilesAtomically([
      { path: files.png, content: png },
      { path: files.svg, content: stableSvg(svg.toString('utf8')) },
      { path: files.html, content: standaloneHtml(figure) },
    ]);
    return files;
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}
