import assert from 'node:assert/strict';
import { test } from 'node:test';
import { table } from 'arquero';
import { curvesFromTable, learningCurveFigure } from './learning-curves';

const titles = { title: 'Pong', xTitle: 'steps (millions)', yTitle: 'score (points)' };

test('each series is an upper edge, a filled lower edge and the mean line, in its palette colour', () => {
  const figure = learningCurveFigure(
    [
      {
        label: 'H-PR',
        x: [0, 1],
        runs: [
          [1, 2],
          [3, 6],
        ],
      },
      { label: 'uniform', x: [0, 1], runs: [[0, 0]] },
    ],
    titles,
  );
  assert.equal(figure.data.length, 6);
  const [upper, lower, mean] = figure.data;
  assert.deepEqual(upper.y, [2 + Math.SQRT2, 4 + 2 * Math.SQRT2]);
  assert.deepEqual(lower.y, [2 - Math.SQRT2, 4 - 2 * Math.SQRT2]);
  assert.equal(lower.fill, 'tonexty');
  assert.equal(lower.fillcolor, 'rgba(0,114,178,0.2)');
  assert.deepEqual([mean.name, mean.y, (mean.line as { color: string }).color], ['H-PR (2 seeds)', [2, 4], '#0072B2']);
  assert.equal(figure.data[5].name, 'uniform (1 seed)');
  assert.equal((figure.data[5].line as { color: string }).color, '#E69F00');
  assert.deepEqual((figure.layout.legend as { title: object }).title, { text: 'mean ± 1 s.d. over seeds' });
});

test('a run whose length differs from x is named', () => {
  assert.throws(
    () => learningCurveFigure([{ label: 'DIST', x: [0, 1, 2], runs: [[1, 2]] }], titles),
    /'DIST' seed 0: 2 values for 3 x points/,
  );
});

test('curvesFromTable groups a long table by series and seed, x ascending', () => {
  const long = table({
    method: ['b', 'a', 'a', 'a', 'a', 'b'],
    seed: [0, 0, 1, 0, 1, 0],
    step: [10, 10, 10, 0, 0, 0],
    score: [5, 2, 4, 1, 3, 6],
  });
  assert.deepEqual(curvesFromTable(long, { series: 'method', seed: 'seed', x: 'step', y: 'score' }), [
    { label: 'b', x: [0, 10], runs: [[6, 5]] },
    {
      label: 'a',
      x: [0, 10],
      runs: [
        [1, 2],
        [3, 4],
      ],
    },
  ]);
});

test('curvesFromTable rejects seeds on different x grids', () => {
  const long = table({ method: ['a', 'a', 'a'], seed: [0, 0, 1], step: [0, 10, 5], score: [1, 2, 3] });
  assert.throws(
    () => curvesFromTable(long, { series: 'method', seed: 'seed', x: 'step', y: 'score' }),
    /'a' seed 1 has step values other than seed 0's/,
  );
});
