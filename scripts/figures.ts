/**
 * `npm run figures [-- NAME...]`: redraws figures/ from the tables in data/ (src/viz/registry.ts, and
 * Figures 2–5 when `reproduce` has written its tables), without training anything.
 */
import { distillFiguresFromTables } from '../src/distill/figures';
import { regenerateFigures } from '../src/viz/regenerate';
import { FIGURES } from '../src/viz/registry';

regenerateFigures({ only: process.argv.slice(2), entries: [...FIGURES, ...distillFiguresFromTables()] }).then(
  (written) => {
    if (written.length === 0) console.log('figures: none registered');
  },
  (error: unknown) => {
    console.error(`figures: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
