import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { table } from 'arquero';
import { PNG } from 'pngjs';
import { writeTable } from '../tables/io';
import { barFigure } from './bar-table';
import { FigureExporter } from './export';
import type { FigureEntry } from './figure';
import { regenerateFigures } from './regenerate';

const dir = mkdtempSync(join(tmpdir(), 'distill-figures-'));
const figure = barFigure(['pong', 'breakout'], [{ label: 'teacher', values: [20, 300] }], {
  title: 'Scores',
  xTitle: 'game',
  yTitle: 'score (points)',
});
let exporter: FigureExporter;
before(async () => {
  exporter = await FigureExporter.launch();
});
after(async () => {
  await exporter.close();
  rmSync(dir, { recursive: true, force: true });
});

test('PNG is drawn at twice the layout size; SVG carries the titles as text', async () => {
  const png = PNG.sync.read(await exporter.render(figure, 'png'));
  assert.deepEqual([png.width, png.height], [1800, 1080]);
  // The top-left pixel is the white paper background.
  assert.deepEqual([...png.data.subarray(0, 4)], [255, 255, 255, 255]);
  const svg = (await exporter.render(figure, 'svg')).toString('utf8');
  assert.ok(svg.startsWith('<svg'), svg.slice(0, 40));
  for (const text of ['Scores', 'score (points)', 'breakout']) assert.ok(svg.includes(`>${text}<`), text);
  assert.ok(svg.includes('fill: rgb(0, 114, 178)'));
});

test('write puts PNG, SVG and standalone HTML in place with no temporary left', async () => {
  const files = await exporter.write('scores', figure, join(dir, 'out'));
  assert.deepEqual(readdirSync(join(dir, 'out')).sort(), ['scores.html', 'scores.png', 'scores.svg']);
  assert.match(readFileSync(files.html, 'utf8'), /^<!DOCTYPE html>/);
  await assert.rejects(exporter.write('Scores Table', figure, dir), /figure name 'Scores Table' must be kebab-case/);
});

const entry: FigureEntry = {
  name: 'scores-by-game',
  tables: { scores: ['game', 'score'] },
  build: (tables) =>
    barFigure(
      tables.scores.array('game') as string[],
      [{ label: 'teacher', values: tables.scores.array('score') as number[] }],
      {
        title: 'Scores by game',
        xTitle: 'game',
        yTitle: 'score (points)',
      },
    ),
};

test('regenerateFigures draws each registered figure from its table, one progress line each', async () => {
  writeTable('scores', table({ game: ['pong'], score: [21] }), { game: 'utf8', score: 'float64' }, join(dir, 'tables'));
  const lines: string[] = [];
  const written = await regenerateFigures({
    entries: [entry],
    tables: join(dir, 'tables'),
    figures: join(dir, 'figures'),
    log: (line) => lines.push(line),
  });
  assert.deepEqual(
    written,
    ['png', 'svg', 'html'].map((ext) => join(dir, 'figures', `scores-by-game.${ext}`)),
  );
  assert.equal(lines.length, 2);
  assert.match(lines[1], /^\[1\/1\] scores-by-game ← scores \(\d+\.\d\d s\) → .*scores-by-game\.\{png,svg,html\}$/);
});

test('a missing table or an unknown figure stops regenerateFigures before anything is written', async () => {
  const figures = join(dir, 'untouched');
  await assert.rejects(
    regenerateFigures({ entries: [entry], tables: join(dir, 'empty'), figures, log: () => {} }),
    /table 'scores' not found: .*empty\/scores\.arrow does not exist/,
  );
  await assert.rejects(
    regenerateFigures({ entries: [entry], only: ['table-1'], figures, log: () => {} }),
    new Error('unknown figure(s) table-1; registered: scores-by-game'),
  );
  assert.equal(existsSync(figures), false);
});
