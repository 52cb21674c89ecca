/**
 * Updates to a threshold for any folder of distillation runs (reproduce's, or runs trained one by one with
 * `distill-lab distill-run` and a longer budget): per game and variant, the mean-over-seeds % of teacher at
 * each evaluation and the first evaluation at or above the threshold, with the ratio to uniform sampling.
 * The same functions as Figure 4's table (src/distill/results.ts).
 *   npx tsx scripts/threshold-report.ts data/runs/distill/minatar/quick [--threshold 90]
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type CurveRow, meanPercentCurve, thresholdTable } from '../src/distill/results';
import { DISTILL_CURVE_SCHEMA, DISTILL_CURVE_TABLE } from '../src/distill/run';
import { updatesToThreshold } from '../src/stats';
import { readTable, tablePaths } from '../src/tables';

function parseArguments(argv: string[]): { dir: string; threshold: number } {
  const [dir] = argv;
  if (!dir || !existsSync(dir)) throw new Error(`usage: threshold-report.ts RUNS_DIR [--threshold 90]; got '${dir}'`);
  const i = argv.indexOf('--threshold');
  const threshold = i >= 0 ? Number(argv[i + 1]) : 90;
  if (!(threshold > 0 && Number.isFinite(threshold)))
    throw new RangeError(`--threshold must be a number > 0, got ${argv[i + 1]}`);
  return { dir, threshold };
}

const variantLabel = (r: CurveRow) =>
  `${r.architecture}/${r.sampler === 'hierarchical' ? `H-PR p=${r.partitions}` : r.sampler}`;

function main(): void {
  const { dir, threshold } = parseArguments(process.argv.slice(2));
  const runs = readdirSync(dir).filter((name) => existsSync(tablePaths(DISTILL_CURVE_TABLE, join(dir, name)).arrow));
  if (runs.length === 0) throw new Error(`${dir} holds no run folder with a ${DISTILL_CURVE_TABLE} table`);
  const rows = runs.flatMap(
    (name) =>
      readTable(
        DISTILL_CURVE_TABLE,
        Object.keys(DISTILL_CURVE_SCHEMA),
        join(dir, name),
      ).objects() as unknown as CurveRow[],
  );
  const labels = [...new Set(rows.map(variantLabel))].sort();
  const games = [...new Set(rows.map((r) => r.game))];
  const seeds = (label: string) => new Set(rows.filter((r) => variantLabel(r) === label).map((r) => r.seed)).size;
  console.log(`${runs.length} runs in ${dir}; mean % of teacher over seeds at each evaluation\n`);
  for (const game of games) {
    console.log(`${game}:`);
    for (const label of labels) {
      const curve = meanPercentCurve(
        rows.filter((r) => variantLabel(r) === label),
        game,
      );
      const points = curve.updates.map((u, k) => `${u}: ${curve.scores[k].toFixed(1)}`).join(', ');
      console.log(`  ${label} (${seeds(label)} seeds) ${points}`);
    }
  }
  const uniform = labels.find((l) => l.endsWith('/uniform'));
  const groups = labels.map((label) => ({
    label: label === uniform ? 'uniform' : label,
    filter: (r: CurveRow) => variantLabel(r) === label,
  }));
  console.log(`\nupdates to ${threshold} % of the teacher (mean-over-seeds curve):`);
  console.log('| game | variant | updates | / uniform |\n| --- | --- | ---: | ---: |');
  // Without uniform runs in the folder there is nothing to divide by: the ratios read "–".
  const table = uniform
    ? thresholdTable(rows, groups, threshold)
    : games.flatMap((game) =>
        groups.map(({ label, filter }) => ({
          game,
          sampler: label,
          updates: updatesToThreshold(meanPercentCurve(rows.filter(filter), game), threshold),
          ratioToUniform: null,
        })),
      );
  for (const row of table) {
    const ratio = row.ratioToUniform === null ? '–' : `${row.ratioToUniform.toFixed(2)}×`;
    console.log(`| ${row.game} | ${row.sampler} | ${row.updates ?? 'not reached'} | ${ratio} |`);
  }
}

main();
