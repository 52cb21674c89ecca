import assert from 'node:assert/strict';
import { test } from 'node:test';
import { table } from 'arquero';
import { tableHtml } from './html';

test('tableHtml rounds non-integers to 4 significant digits and keeps integers and text', () => {
  const html = tableHtml(table({ game: ['pong'], score: [20.123456], steps: [1000000] }));
  assert.equal(
    html,
    '<table><thead><tr><th style="text-align: left;">game</th><th style="text-align: right;">score</th>' +
      '<th style="text-align: right;">steps</th></tr></thead><tbody><tr><td style="text-align: left;">pong</td>' +
      '<td style="text-align: right;">20.12</td><td style="text-align: right;">1000000</td></tr></tbody></table>',
  );
});

test('tableHtml says how many rows a limit hid', () => {
  const html = tableHtml(table({ x: [1, 2, 3] }), 2);
  assert.match(html, /<p>2 of 3 rows shown<\/p>$/);
  assert.equal(html.match(/<tr>/g)?.length, 3); // header + 2 rows
});

test('tableHtml escapes markup in values', () => {
  assert.match(
    tableHtml(table({ method: ['<b>DIST</b> & co'] })),
    /<td style="text-align: left;">&lt;b&gt;DIST&lt;\/b&gt; &amp; co<\/td>/,
  );
});
