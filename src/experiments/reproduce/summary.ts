/**
 * The results of a set of runs in words, as `reproduce` prints them at its end and `distill-lab report` prints
 * them for any folder of runs: Table 1 with its three measures side by side (best evaluation, final score, area
 * under the curve), each cell's 95 % interval carrying the seeds' and the teacher's uncertainty, rliable's IQM and
 * probabilities of improvement, and the updates each sampler needs to reach the threshold. Markdown tables, so the
 * lines paste into a note as they are.
 */
import { type NullableInterval, updatesToThreshold } from '../../stats';
import { meanInterval } from '../../stats/confidence';
import { curveRiseTable, riseSummaryLine } from './curve-rise';
import {
  ANALYSIS_SEED,
  architectureAggregates,
  architectureTable,
  type CurveRow,
  curveVariantLabel,
  MEASURES,
  type Measure,
  meanPercentCurve,
  SLOW_GAMES_ROW,
  thresholdTable,
} from './results';

/** "point [lower, upper]", or the point and "(no interval)" when there is none (one seed). */
export function formatInterval(e: NullableInterval | null, digits = 1): string {
  if (e === null) return '–';
  if (e.lower === null || e.upper === null) return `${e.point.toFixed(digits)} (no interval)`;
  return `${e.point.toFixed(digits)} [${e.lower.toFixed(digits)}, ${e.upper.toFixed(digits)}]`;
}

/** "mean [lower, upper]" over seeds (Student t, 95 %), or the one value and "1 seed" when there is one. */
export function seedInterval(values: readonly number[]): string {
  if (values.length < 2) return `${values[0].toFixed(1)} (1 seed)`;
  const m = meanInterval(values);
  return `${m.mean.toFixed(1)} [${m.lower.toFixed(1)}, ${m.upper.toFixed(1)}]`;
}

/** A Markdown table row; an empty cell is one space. */
function tableRow(cells: readonly string[]): string {
  return `|${cells.map((c) => (c === '' ? ' ' : ` ${c} `)).join('|')}|`;
}

/** Short names of the measures in the printed tables. */
export const MEASURE_SHORT: Readonly<Record<Measure, string>> = { best: 'best', final: 'final', auc: 'AUC' };

/**
 * Table 1 (uniform sampling): per game and measure the mean over seeds with its 95 % interval (seeds and teacher,
 * delta method), the geometric mean and rliable's IQM over games (stratified bootstrap over seeds and teacher
 * scores), then the probabilities of improvement between architectures.
 */
export function architectureSummary(rows: readonly CurveRow[]): string[] {
  const uniform = rows.filter((r) => r.sampler === 'uniform');
  const architectures = [...new Set(uniform.map((r) => r.architecture))];
  if (architectures.length === 0) return [];
  const table = architectureTable(rows, architectures);
  const aggregates = architectureAggregates(rows, architectures, ANALYSIS_SEED);
  const seeds = architectures.map((a, i) => `${a} ${table.seeds[i]}`).join(', ');
  const lines = [
    `Table 1: % of teacher, mean over seeds [95 % interval of the seeds and the teacher's score] (uniform sampling; seeds: ${seeds})`,
    'best: the best evaluation (the paper’s); final: mean of the last quarter of the evaluations; AUC: mean over all evaluations',
    `| game | teacher [95 %] | measure | ${architectures.join(' | ')} |`,
    `| --- | ---: | --- |${' ---: |'.repeat(architectures.length)}`,
  ];
  table.games.forEach((game, g) => {
    const t = table.teachers[g];
    const teacher =
      t.ciLow === null || t.ciHigh === null
        ? t.score.toFixed(2)
        : `${t.score.toFixed(2)} [${t.ciLow.toFixed(2)}, ${t.ciHigh.toFixed(2)}]`;
    MEASURES.forEach((measure, k) => {
      const cells = table.cells[measure].map((perGame) => formatInterval(perGame[g])).join(' | ');
      lines.push(tableRow([k === 0 ? game : '', k === 0 ? teacher : '', MEASURE_SHORT[measure], cells]));
    });
  });
  MEASURES.forEach((measure, k) => {
    const cells = table.geometricMeans[measure].map((e) => formatInterval(e)).join(' | ');
    lines.push(tableRow([k === 0 ? 'geometric mean' : '', '', MEASURE_SHORT[measure], cells]));
  });
  MEASURES.forEach((measure, k) => {
    const cells = architectures
      .map((a) => formatInterval(aggregates.find((x) => x.architecture === a && x.measure === measure)?.iqm ?? null))
      .join(' | ');
    lines.push(tableRow([k === 0 ? 'IQM' : '', '', MEASURE_SHORT[measure], cells]));
  });
  if (architectures.length < 2) return lines;
  lines.push(
    '',
    "rliable's probability of improvement: a run of A beats a run of B on a game (stratified bootstrap, 95 % intervals)",
    `| comparison |${MEASURES.map((m) => ` ${MEASURE_SHORT[m]} |`).join('')}`,
    `| --- |${' ---: |'.repeat(MEASURES.length)}`,
  );
  for (const a of architectures) {
    for (const over of architectures.filter((b) => b !== a)) {
      const cells = MEASURES.map((measure) => {
        const own = aggregates.find((x) => x.architecture === a && x.measure === measure);
        return formatInterval(own?.improvement.find((i) => i.over === over)?.probability ?? null, 2);
      });
      lines.push(`| P(${a} > ${over}) | ${cells.join(' | ')} |`);
    }
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
    `updates to ${threshold} % of the teacher (mean-over-seeds curve${of}; ratio: 95 % bootstrap over seeds):`,
    '| game | variant | updates | / uniform [95 %] |',
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
          ratioLower: null,
          ratioUpper: null,
          slow: false,
        })),
      );
  for (const row of table) {
    const ratio =
      row.ratioToUniform === null
        ? '–'
        : `${row.ratioToUniform.toFixed(2)}×${row.ratioLower === null || row.ratioUpper === null ? '' : ` [${row.ratioLower.toFixed(2)}, ${row.ratioUpper.toFixed(2)}]`}`;
    const game = row.slow && row.game !== SLOW_GAMES_ROW ? `${row.game} (slow)` : row.game;
    const updates = row.game === SLOW_GAMES_ROW ? '' : (row.updates ?? 'not reached');
    lines.push(tableRow([game, row.sampler, String(updates), ratio]));
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

/** Whether the curves still rise at their budget, in one line (none without curves of two evaluations). */
export function riseSummary(rows: readonly CurveRow[]): string[] {
  const rise = curveRiseTable(rows);
  return rise.length === 0 ? [] : [riseSummaryLine(rise)];
}

/** Everything above for `rows`, sections separated by blank lines. */
export function resultsSummary(rows: readonly CurveRow[], threshold: number, withCurves = false): string[] {
  const sections = [
    ...(withCurves ? [curvesSummary(rows)] : []),
    architectureSummary(rows),
    thresholdSummary(rows, threshold),
    riseSummary(rows),
  ].filter((s) => s.length > 0);
  return sections.flatMap((section, i) => (i === 0 ? section : ['', ...section]));
}
