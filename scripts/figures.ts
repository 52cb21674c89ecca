/**
 * `npm run figures [-- NAME...]`: redraws figures/ from the tables in data/ (src/experiments/figures.ts, and
 * Figures 2–5 when `reproduce` has written its tables), without training anything.
 */

import { FIGURES } from '../src/experiments/figures';
import { distillFiguresFromTables } from '../src/experiments/reproduce/figures';
import { regenerateFigures } from '../src/viz/regenerate';

regenerateFigures({ only: process.argv.slice(2), entries: [...FIGURES, ...distillFiguresFromTables()] }).then(
  (written) => {
    if (written.length === 0) console.log('figures: none registered');
  },
  (error: unknown) => {
    console.error(`figures: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
