/**
 * Results of any folder of distillation runs (reproduce's, one it has not finished yet, or runs trained one
 * by one with `distill-lab distill-run` and a longer budget), with the functions of reproduce's own tables
 * (src/distill/results.ts): per game and variant the mean-over-seeds % of teacher at each evaluation;
 * Table 1 and rliable's aggregates for the architectures with uniform-sampling runs; the updates each
 * variant needs to reach the threshold, with the ratio to uniform sampling. Only finished runs count
 * unless --include-unfinished is given (a run's curve is rewritten after each of its evaluations).
 *   npx tsx scripts/runs-report.ts data/runs/distill/minatar/quick [--threshold 90] [--include-unfinished]
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  ANALYSIS_SEED,
  architectureAggregates,
  architectureTable,
  type CurveRow,
  meanPercentCurve,
  thresholdTable,
} from '../src/distill/results';
import { DISTILL_CURVE_SCHEMA, DISTILL_CURVE_TABLE, isRunFolderDone } from '../src/distill/run';
import { type IntervalEstimate, updatesToThreshold } from '../src/stats';
import { readTable, tablePaths } from '../src/tables';

const USAGE = 'usage: runs-report.ts RUNS_DIR [--threshold 90] [--include-unfinished]';

function parseArguments(argv: string[]): { dir: string; threshold: number; includeUnfinished: boolean } {
  const [dir] = argv;
  if (!dir || !existsSync(dir)) throw new Error(`${USAGE}; got '${dir}'`);
  const i = argv.indexOf('--threshold');
  const threshold = i >= 0 ? Number(argv[i + 1]) : 90;
  if (!(threshold > 0 && Number.isFinite(threshold)))
    throw new RangeError(`--threshold must be a number > 0, got ${argv[i + 1]}`);
  return { dir, threshold, includeUnfinished: argv.includes('--include-unfinished') };
}

const variantLabel = (r: CurveRow) =>
  `${r.architecture}/${r.sampler === 'hierarchical' ? `H-PR p=${r.partitions}` : r.sampler}`;
const percent = (value: number) => `${value.toFixed(1)} %`;
const interval = (e: IntervalEstimate, digits = 1) =>
  `${e.point.toFixed(digits)} [${e.lower.toFixed(digits)}, ${e.upper.toFixed(digits)}]`;

function printCurves(rows: CurveRow[], labels: string[], games: string[]): void {
  const seeds = (label: string) => new Set(rows.filter((r) => variantLabel(r) === label).map((r) => r.seed)).size;
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
}

function printArchitectures(rows: CurveRow[]): void {
  const architectures = [...new Set(rows.filter((r) => r.sampler === 'uniform').map((r) => r.architecture))];
  if (architectures.length === 0) return;
  const table = architectureTable(rows, architectures);
  console.log('\nTable 1: best evaluation in % of teacher, mean over seeds (uniform sampling)');
  console.log(
    `| game | teacher | ${architectures.join(' | ')} |\n| --- | ---: |${' ---: |'.repeat(architectures.length)}`,
  );
  table.games.forEach((game, g) => {
    const cells = table.percent.map((p) => percent(p[g])).join(' | ');
    console.log(`| ${game} | ${table.teacherScores[g].toFixed(2)} | ${cells} |`);
  });
  console.log(`| geometric mean | | ${table.geometricMeans.map(percent).join(' | ')} |`);
  console.log(`| seeds | | ${table.seeds.join(' | ')} |`);
  // The best of many noisy evaluations is biased upwards; the plateau's mean is the steadier companion.
  console.log('\nmean % of teacher over the second half of the evaluations (mean-over-seeds curve, uniform sampling)');
  console.log(`| game | ${architectures.join(' | ')} |\n| --- |${' ---: |'.repeat(architectures.length)}`);
  for (const game of table.games) {
    const cells = architectures.map((a) => {
      const curve = meanPercentCurve(
        rows.filter((r) => r.architecture === a && r.sampler === 'uniform'),
        game,
      );
      const last = curve.updates[curve.updates.length - 1];
      const half = curve.scores.filter((_, k) => curve.updates[k] > last / 2);
      return percent(half.reduce((sum, v) => sum + v, 0) / half.length);
    });
    console.log(`| ${game} | ${cells.join(' | ')} |`);
  }
  if (architectures.length < 2) return;
  console.log('\nrliable aggregates (stratified bootstrap, 95 % intervals):');
  for (const a of architectureAggregates(rows, architectures, ANALYSIS_SEED)) {
    const over = a.improvement.map((i) => `P(> ${i.over}) ${interval(i.probability, 2)}`).join(', ');
    console.log(`  ${a.architecture}: IQM ${interval(a.iqm)}; ${over}`);
  }
}

function printThresholds(rows: CurveRow[], labels: string[], games: string[], threshold: number): void {
  // Figure 4's question: the samplers of one architecture (the proposed one where present) against its uniform runs.
  const uniform = labels.find((l) => l === 'proposed/uniform') ?? labels.find((l) => l.endsWith('/uniform'));
  const architecture = uniform?.split('/')[0];
  const compared = uniform ? labels.filter((l) => l.split('/')[0] === architecture) : labels;
  const groups = compared.map((label) => ({
    label: label === uniform ? 'uniform' : label,
    filter: (r: CurveRow) => variantLabel(r) === label,
  }));
  const of = uniform ? `, ${architecture} student, against its uniform runs` : '';
  console.log(`\nupdates to ${threshold} % of the teacher (mean-over-seeds curve${of}):`);
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

function main(): void {
  const { dir, threshold, includeUnfinished } = parseArguments(process.argv.slice(2));
  const withCurves = readdirSync(dir).filter((name) =>
    existsSync(tablePaths(DISTILL_CURVE_TABLE, join(dir, name)).arrow),
  );
  const runs = includeUnfinished ? withCurves : withCurves.filter((name) => isRunFolderDone(join(dir, name)));
  const left = withCurves.filter((name) => !runs.includes(name));
  if (runs.length === 0) throw new Error(`${dir} holds no finished run folder with a ${DISTILL_CURVE_TABLE} table`);
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
  console.log(`${runs.length} runs in ${dir}${left.length ? ` (left out, unfinished: ${left.join(', ')})` : ''}`);
  console.log('mean % of teacher over seeds at each evaluation\n');
  printCurves(rows, labels, games);
  printArchitectures(rows);
  printThresholds(rows, labels, games, threshold);
}

main();
