import assert from 'node:assert/strict';
import { test } from 'node:test';
import { baseLayout, OKABE_ITO, seriesColor, seriesDash, withAlpha } from './style';

test('series colours cycle through the eight Okabe–Ito colours, then change dash', () => {
  assert.equal(OKABE_ITO.length, 8);
  assert.equal(seriesColor(0), '#0072B2');
  assert.equal(seriesColor(8), '#0072B2');
  assert.deepEqual([0, 7, 8, 16].map(seriesDash), ['solid', 'solid', 'dash', 'dot']);
});

test('withAlpha converts #RRGGBB to rgba()', () => {
  assert.equal(withAlpha('#E69F00', 0.2), 'rgba(230,159,0,0.2)');
  assert.throws(() => withAlpha('orange', 0.2), /colour must be #RRGGBB, got 'orange'/);
});

test('baseLayout titles the figure and both axes', () => {
  const layout = baseLayout({ title: 'T', xTitle: 'steps (millions)', yTitle: 'score (points)' });
  assert.deepEqual((layout.xaxis as { title: object }).title, { text: 'steps (millions)', standoff: 8 });
  assert.deepEqual((layout.yaxis as { title: object }).title, { text: 'score (points)', standoff: 8 });
  assert.equal((layout.title as { text: string }).text, 'T');
  assert.deepEqual([layout.width, layout.height], [900, 540]);
});
