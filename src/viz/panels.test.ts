import assert from 'node:assert/strict';
import { test } from 'node:test';
import { barTrace, intervalCurveTraces, panelFigure } from './panels';

const options = { title: 'Figure 3', xTitle: 'updates', yTitle: '% of teacher' };

test('panelFigure: a grid of panels with their own axes, axis titles on the outer panels, one legend entry per group', () => {
  const curve = (label: string, index: number) =>
    intervalCurveTraces({ label, x: [0, 1], mean: [1, 2], lower: [0, 1], upper: [2, 3] }, index);
  const panels = ['a', 'b', 'c', 'd'].map((title) => ({
    title,
    traces: [...curve('uniform', 0), ...curve('H-PR', 1)],
  }));
  const figure = panelFigure(panels, { ...options, columns: 3, legendTitle: 'mean, 95 % interval' });
  // 4 panels × 2 series × (2 band edges + mean line).
  assert.equal(figure.data.length, 24);
  assert.deepEqual(
    figure.data.filter((t) => t.showlegend).map((t) => [t.name, t.xaxis]),
    [
      ['uniform', 'x'],
      ['H-PR', 'x'],
    ],
  );
  assert.deepEqual([...new Set(figure.data.map((t) => `${t.xaxis}/${t.yaxis}`))], ['x/y', 'x2/y2', 'x3/y3', 'x4/y4']);
  const layout = figure.layout as Record<string, { title: { text: string }; domain: number[]; anchor: string }>;
  // Two rows of three: panel d sits under panel a; b and c have nothing under them, so they name their x axis.
  assert.deepEqual(
    ['xaxis', 'xaxis2', 'xaxis3', 'xaxis4'].map((k) => layout[k].title.text),
    ['', 'updates', 'updates', 'updates'],
  );
  assert.deepEqual(
    ['yaxis', 'yaxis2', 'yaxis3', 'yaxis4'].map((k) => layout[k].title.text),
    ['% of teacher', '', '', '% of teacher'],
  );
  assert.equal(layout.yaxis4.anchor, 'x4');
  assert.ok(layout.yaxis4.domain[1] < layout.yaxis.domain[0], 'the second row lies below the first');
  assert.ok(layout.xaxis.domain[1] < layout.xaxis2.domain[0], 'panels of a row do not overlap');
  const annotations = figure.layout.annotations as { text: string }[];
  assert.deepEqual(
    annotations.map((a) => a.text),
    ['<b>a</b>', '<b>b</b>', '<b>c</b>', '<b>d</b>'],
  );
  assert.deepEqual((figure.layout.legend as { title: object }).title, { text: 'mean, 95 % interval' });
  assert.throws(() => panelFigure([], options), /at least one panel/);
});

test('intervalCurveTraces: band edges then the mean; no band without bounds', () => {
  const [upper, lower, mean] = intervalCurveTraces(
    { label: 'DIST', x: [0, 1], mean: [1, 2], lower: [0, 1], upper: [2, 3] },
    1,
  );
  assert.deepEqual([upper.y, lower.y, lower.fill, mean.y, mean.name], [[2, 3], [0, 1], 'tonexty', [1, 2], 'DIST']);
  assert.equal(lower.fillcolor, 'rgba(230,159,0,0.2)');
  assert.equal(intervalCurveTraces({ label: 'one seed', x: [0], mean: [1], lower: null, upper: null }, 0).length, 1);
  assert.throws(
    () => intervalCurveTraces({ label: 'bad', x: [0, 1], mean: [1], lower: null, upper: null }, 0),
    /'bad': 1\/1\/1 values for 2 x points/,
  );
});

test('barTrace: whiskers as lengths from the bar’s top', () => {
  const bar = barTrace('Net-1', [1, 2], [10, 20], 0, { lower: [8, 20], upper: [15, 21] });
  assert.deepEqual(bar.error_y, {
    type: 'data',
    symmetric: false,
    array: [5, 1],
    arrayminus: [2, 0],
    color: '#333333',
    thickness: 1.2,
  });
  assert.throws(() => barTrace('x', [1], [1, 2], 0), /'x' has 2 values for 1 categories/);
});
