/**
 * The results of a set of runs in words, as `reproduce` prints them at its end and `distill-lab report` prints
 * them for any folder of runs: Table 1 with each cell's 95 % interval over seeds, the plateau's mean beside the
 * best evaluation, rliable's IQM and probabilities of improvement, and the updates each sampler needs to reach
 * the threshold. Markdown tables, so the lines paste into a note as they are.
 */
import { type IntervalEstimate, updatesToThreshold } from '../../stats';
import { meanInterval } from '../../stats/confidence';
import {
  ANALYSIS_SEED,
  architectureAggregates,
  architectureTable,
  bestPercentMatrix,
  type CurveRow,
  meanPercentCurve,
  thresholdTable,
} from './results';

/** A variant's name in a curve row: architecture/sampler, H-PR with its p. */
export function curveVariantLabel(row: CurveRow): string {
  return `${row.architecture}/${row.sampler === 'hierarchical' ? `H-PR p=${row.partitions}` : row.sampler}`;
}

const percent = (value: number) => `${value.toFixed(1)} %`;
const estimate = (e: IntervalEstimate, digits = 1) =>
  `${e.point.toFixed(digits)} [${e.lower.toFixed(digits)}, ${e.upper.toFixed(digits)}]`;

/** "mean [lower, upper]" over seeds (Student t, 95 %), or the one value and "1 seed" when there is one. */
export function seedInterval(values: readonly number[]): string {
  if (values.length < 2) return `${values[0].toFixed(1)} (1 seed)`;
  const m = meanInterval(values);
  return `${m.mean.toFixed(1)} [${m.lower.toFixed(1)}, ${m.upper.toFixed(1)}]`;
}

/** Mean % of teacher over the second half of a mean-over-seeds curve: the plateau, steadier than the best. */
function plateauMean(rows: readonly CurveRow[], game: string): number {
  const curve = meanPercentCurve(rows, game);
  const last = curve.updates[curve.updates.length - 1];
  const half = curve.scores.filter((_, k) => curve.updates[k] > last / 2);
  return half.reduce((sum, v) => sum + v, 0) / half.length;
}

/** Table 1 (uniform sampling) with intervals over seeds, the plateau means and rliable's aggregates. */
export function architectureSummary(rows: readonly CurveRow[]): string[] {
  const uniform = rows.filter((r) => r.sampler === 'uniform');
  const architectures = [...new Set(uniform.map((r) => r.architecture))];
  if (architectures.length === 0) return [];
  const table = architectureTable(rows, architectures);
  const lines = [
    'Table 1: best evaluation in % of teacher, mean over seeds [95 % interval] (uniform sampling)',
    `| game | teacher | ${architectures.join(' | ')} |`,
    `| --- | ---: |${' ---: |'.repeat(architectures.length)}`,
  ];
  const matrices = architectures.map((a) =>
    bestPercentMatrix(
      uniform.filter((r) => r.architecture === a),
      table.games,
    ),
  );
  table.games.forEach((game, g) => {
    const cells = matrices.map((m) => seedInterval(m.map((seed) => seed[g]))).join(' | ');
    lines.push(`| ${game} | ${table.teacherScores[g].toFixed(2)} | ${cells} |`);
  });
  lines.push(`| geometric mean | | ${table.geometricMeans.map(percent).join(' | ')} |`);
  lines.push(`| seeds | | ${table.seeds.join(' | ')} |`);
  // The best of many noisy evaluations is biased upwards; the plateau's mean is the steadier companion.
  lines.push('', 'mean % of teacher over the second half of the evaluations (mean-over-seeds curve, uniform sampling)');
  lines.push(`| game | ${architectures.join(' | ')} |`, `| --- |${' ---: |'.repeat(architectures.length)}`);
  for (const game of table.games) {
    const cells = architectures.map((a) =>
      percent(
        plateauMean(
          uniform.filter((r) => r.architecture === a),
          game,
        ),
      ),
    );
    lines.push(`| ${game} | ${cells.join(' | ')} |`);
  }
  if (architectures.length < 2) return lines;
  lines.push('', 'rliable aggregates over seeds × games (stratified bootstrap, 95 % intervals):');
  for (const a of architectureAggregates(rows, architectures, ANALYSIS_SEED)) {
    const over = a.improvement.map((i) => `P(> ${i.over}) ${estimate(i.probability, 2)}`).join(', ');
    lines.push(`  ${a.architecture}: IQM ${estimate(a.iqm)}; ${over}`);
  }
  return lines;
}

/**
 * Figure 4's question: the samplers of one architecture (the proposed one where present) against its uniform
 * runs, as updates until the mean-over-seeds curve first reaches `threshold` % of the teacher.
 */
export function thresholdSummary(rows: readonly CurveRow[], threshold: number): string[] {
  const labels = [...new Set(rows.map(curveVariantLabel))].sort();
  const games = [...new Set(rows.map((r) => r.game))];
  const uniform = labels.find((l) => l === 'proposed/uniform') ?? labels.find((l) => l.endsWith('/uniform'));
  const architecture = uniform?.split('/')[0];
  const compared = uniform ? labels.filter((l) => l.split('/')[0] === architecture) : labels;
  const groups = compared.map((label) => ({
    label: label === uniform ? 'uniform' : label,
    filter: (r: CurveRow) => curveVariantLabel(r) === label,
  }));
  const of = uniform ? `, ${architecture} student, against its uniform runs` : '';
  const lines = [
    `updates to ${threshold} % of the teacher (mean-over-seeds curve${of}):`,
    '| game | variant | updates | / uniform |',
    '| --- | --- | ---: | ---: |',
  ];
  // Without uniform runs there is nothing to divide by: the ratios read "–".
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
    lines.push(`| ${row.game} | ${row.sampler} | ${row.updates ?? 'not reached'} | ${ratio} |`);
  }
  return lines;
}

/** Each variant's mean-over-seeds curve per game, one line per variant. */
export function curvesSummary(rows: readonly CurveRow[]): string[] {
  const labels = [...new Set(rows.map(curveVariantLabel))].sort();
  const games = [...new Set(rows.map((r) => r.game))];
  const lines = ['mean % of teacher over seeds at each evaluation (updates: %)'];
  for (const game of games) {
    lines.push(`${game}:`);
    for (const label of labels) {
      const own = rows.filter((r) => curveVariantLabel(r) === label);
      const curve = meanPercentCurve(own, game);
      const points = curve.updates.map((u, k) => `${u}: ${curve.scores[k].toFixed(1)}`).join(', ');
      lines.push(`  ${label} (${new Set(own.map((r) => r.seed)).size} seeds) ${points}`);
    }
  }
  return lines;
}

/** Everything above for `rows`, sections separated by blank lines. */
export function resultsSummary(rows: readonly CurveRow[], threshold: number, withCurves = false): string[] {
  const sections = [
    ...(withCurves ? [curvesSummary(rows)] : []),
    architectureSummary(rows),
    thresholdSummary(rows, threshold),
  ].filter((s) => s.length > 0);
  return sections.flatMap((section, i) => (i === 0 ? section : ['', ...section]));
}
