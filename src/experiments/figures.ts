/**
 * The project's figures beyond the paper's, rebuilt from tables alone by `npm run figures` (no training);
 * Figures 2–5 come from reproduce/figures.ts. data/README.md documents the tables.
 */
import { op, escape as opaque } from 'arquero';
import { barFigure, barsFromTable } from '../viz/bar-table';
import type { FigureEntry } from '../viz/figure';
import { curvesFromTable, learningCurveFigure } from '../viz/learning-curves';
import { matMulGflops } from './backend/backend-speed-table';
import { TEACHER_CURVES_TABLE } from './teach/teacher-seeds';

export const FIGURES: readonly FigureEntry[] = [
  {
    name: 'backend-speed',
    tables: { 'backend-speed': ['operation', 'size', 'backend', 'ms'] },
    build: (tables) => {
      // Timings on a shared machine are right-skewed: median and quartiles, not mean ± s.d. (`opaque` runs a plain
      // JavaScript function where arquero would otherwise parse the function's source as its expression language.)
      const summary = tables['backend-speed']
        .filter((d) => d.operation === 'matMul')
        .derive({ gflops: opaque((d: { size: number; ms: number }) => matMulGflops(d.size, d.ms)) })
        .groupby('size', 'backend')
        .rollup({ median: op.median('gflops'), q1: op.quantile('gflops', 0.25), q3: op.quantile('gflops', 0.75) })
        .orderby('size')
        .derive({ matrix: opaque((d: { size: number }) => `${d.size} × ${d.size}`) });
      const { categories, series } = barsFromTable(summary, {
        category: 'matrix',
        series: 'backend',
        value: 'median',
        lower: 'q1',
        upper: 'q3',
      });
      return barFigure(categories, series, {
        title: 'Tensor backend throughput, float32 matrix product (median, whiskers: quartiles)',
        xTitle: 'matrix size (n × n, both operands)',
        yTitle: 'throughput (GFLOP/s)',
      });
    },
  },
  {
    name: 'teachers-learning-curves',
    tables: { [TEACHER_CURVES_TABLE]: ['game', 'seed', 'step', 'eval_return'] },
    build: (tables) =>
      learningCurveFigure(
        curvesFromTable(tables[TEACHER_CURVES_TABLE], { series: 'game', seed: 'seed', x: 'step', y: 'eval_return' }),
        {
          title: 'MinAtar PQN teachers over training (32 episodes a point, ε = 0.05, 0–30 no-ops)',
          xTitle: 'training frames',
          yTitle: 'evaluation return',
        },
      ),
  },
];
