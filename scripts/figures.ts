/**
 * `npm run figures [-- NAME...]`: redraws figures/ from the tables in data/ without training anything: the
 * project's figures (src/experiments/figures.ts) from data/tables/, and Figures 2–5 of every preset whose tables
 * `reproduce` wrote into data/tables/SUITE-PRESET/, into figures/SUITE-PRESET/.
 */

import { FIGURES } from '../src/experiments/figures';
import { presetFiguresFromTables } from '../src/experiments/reproduce/figures';
import { regenerateFigures } from '../src/viz/regenerate';

async function main(only: readonly string[]): Promise<void> {
  const groups = [{ entries: [...FIGURES], tables: undefined, figures: undefined }, ...presetFiguresFromTables()];
  const known = new Set(groups.flatMap((group) => group.entries.map((entry) => entry.name)));
  const unknown = only.filter((name) => !known.has(name));
  if (unknown.length > 0)
    throw new Error(`unknown figure(s) ${unknown.join(', ')}; registered: ${[...known].join(', ')}`);
  for (const group of groups) {
    const entries = only.length > 0 ? group.entries.filter((entry) => only.includes(entry.name)) : group.entries;
    if (entries.length > 0) await regenerateFigures({ entries, tables: group.tables, figures: group.figures });
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`figures: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
