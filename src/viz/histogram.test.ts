import assert from 'node:assert/strict';
import { test } from 'node:test';
import { histogramFigure } from './histogram';

test('one overlaid, outlined histogram per series, counted in the legend', () => {
  const figure = histogramFigure(
    [
      { label: 'teacher', values: [1, 2, 2] },
      { label: 'student', values: [3] },
    ],
    { title: 'Returns', xTitle: 'return (points)', yTitle: 'episodes' },
    10,
  );
  assert.deepEqual(
    figure.data.map((trace) => [trace.name, trace.nbinsx, trace.marker]),
    [
      ['teacher (n = 3)', 10, { color: 'rgba(0,114,178,0.4)', line: { color: '#0072B2', width: 1.5 } }],
      ['student (n = 1)', 10, { color: 'rgba(230,159,0,0.4)', line: { color: '#E69F00', width: 1.5 } }],
    ],
  );
  assert.equal(figure.layout.barmode, 'overlay');
  assert.throws(
    () => histogramFigure([], { title: '', xTitle: '', yTitle: '' }, 0),
    /bins must be an integer ≥ 1, got 0/,
  );
});
