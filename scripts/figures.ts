/** `npm run figures [-- NAME...]`: redraws figures/ from the tables in data/ (see src/viz/registry.ts). */
import { regenerateFigures } from '../src/viz/regenerate';

regenerateFigures({ only: process.argv.slice(2) }).then(
  (written) => {
    if (written.length === 0) console.log('figures: none registered');
  },
  (error: unknown) => {
    console.error(`figures: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
