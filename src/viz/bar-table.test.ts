import assert from 'node:assert/strict';
import { test } from 'node:test';
import { table } from 'arquero';
import { barFigure, barsFromTable } from './bar-table';

const titles = { title: 'Table 1', xTitle: 'game', yTitle: 'score (points)' };

test('whiskers become Plotly lengths above and below each bar', () => {
  const figure = barFigure(
    ['pong', 'breakout'],
    [{ label: 'student', values: [10, 20], lower: [8, 20], upper: [11, 25] }],
    titles,
  );
  assert.deepEqual(figure.data[0].error_y, {
    type: 'data',
    symmetric: false,
    array: [1, 5],
    arrayminus: [2, 0],
    color: '#333333',
    thickness: 1.5,
  });
  assert.deepEqual([figure.layout.barmode, (figure.layout.xaxis as { showgrid: boolean }).showgrid], ['group', false]);
});

test('bad bar input is named', () => {
  assert.throws(
    () => barFigure(['a', 'b'], [{ label: 's', values: [1] }], titles),
    /'s' has 1 values for 2 categories/,
  );
  assert.throws(
    () => barFigure(['a'], [{ label: 's', values: [1], lower: [0] }], titles),
    /only one of lower and upper/,
  );
  assert.throws(
    () => barFigure(['a'], [{ label: 's', values: [1], lower: [2], upper: [3] }], titles),
    /whiskers must enclose the values/,
  );
});

test('barsFromTable pivots rows into series over categories, in order of appearance', () => {
  const rows = table({
    game: ['pong', 'pong', 'breakout', 'breakout'],
    method: ['teacher', 'student', 'student', 'teacher'],
    score: [20, 18, 300, 350],
    lo: [19, 17, 290, 340],
    hi: [21, 19, 310, 360],
  });
  assert.deepEqual(
    barsFromTable(rows, { category: 'game', series: 'method', value: 'score', lower: 'lo', upper: 'hi' }),
    {
      categories: ['pong', 'breakout'],
      series: [
        { label: 'teacher', values: [20, 350], lower: [19, 340], upper: [21, 360] },
        { label: 'student', values: [18, 300], lower: [17, 290], upper: [19, 310] },
      ],
    },
  );
  const missing = table({ game: ['pong', 'breakout'], method: ['teacher', 'student'], score: [1, 2] });
  assert.throws(
    () => barsFromTable(missing, { category: 'game', series: 'method', value: 'score' }),
    /no row for method='teacher', game='breakout'/,
  );
});
