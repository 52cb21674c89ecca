/** Learning curves: one line per method (the mean over seeds) inside a translucent band of the seeds' spread. */
import type { ColumnTable } from 'arquero';
import type { FigureSpec, FigureTitles, Trace } from './figure';
import { BAND_DESCRIPTIONS, type BandKind, seedBand } from './seed-band';
import { bandTraces, baseLayout, seriesColor, seriesDash } from './style';

export interface CurveSeries {
  readonly label: string;
  /** Shared x values of every seed (e.g. environment steps). */
  readonly x: readonly number[];
  /** runs[seed][i]: that seed's value at x[i]. */
  readonly runs: readonly (readonly number[])[];
}

export function learningCurveFigure(
  series: readonly CurveSeries[],
  titles: FigureTitles,
  band: BandKind = 'std',
): FigureSpec {
  const data: Trace[] = [];
  series.forEach((curve, index) => {
    curve.runs.forEach((run, seed) => {
      if (run.length !== curve.x.length) {
        throw new RangeError(`'${curve.label}' seed ${seed}: ${run.length} values for ${curve.x.length} x points`);
      }
    });
    const { mean, lower, upper } = seedBand(curve.runs, band);
    const color = seriesColor(index);
    const group = `series-${index}`;
    data.push(...bandTraces(curve.x, lower, upper, color, group));
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: `${curve.label} (${curve.runs.length} seed${curve.runs.length === 1 ? '' : 's'})`,
      legendgroup: group,
      x: curve.x,
      y: mean,
      line: { color, width: 2.5, dash: seriesDash(index) },
    });
  });
  const layout = baseLayout(titles);
  return {
    data,
    layout: { ...layout, legend: { ...(layout.legend as object), title: { text: BAND_DESCRIPTIONS[band] } } },
  };
}

/** Column names of a long-format learning-curve table: one row per (series, seed, x). */
export interface CurveColumns {
  readonly series: string;
  readonly seed: string;
  readonly x: string;
  readonly y: string;
}

/**
 * Regroups a long-format table into curves, series in order of first appearance, x ascending. Every seed of a
 * series must have the same x values (the band is taken pointwise).
 */
export function curvesFromTable(table: ColumnTable, columns: CurveColumns): CurveSeries[] {
  const bySeries = new Map<string, Map<string, Map<number, number>>>();
  const series = table.array(columns.series) as ArrayLike<unknown>;
  const seeds = table.array(columns.seed) as ArrayLike<unknown>;
  const xs = table.array(columns.x) as ArrayLike<number>;
  const ys = table.array(columns.y) as ArrayLike<number>;
  for (let row = 0; row < table.numRows(); row++) {
    const label = String(series[row]);
    const seed = String(seeds[row]);
    if (!bySeries.has(label)) bySeries.set(label, new Map());
    const bySeed = bySeries.get(label)!;
    if (!bySeed.has(seed)) bySeed.set(seed, new Map());
    bySeed.get(seed)!.set(xs[row], ys[row]);
  }
  return [...bySeries].map(([label, bySeed]) => {
    const [firstSeed, firstRun] = [...bySeed][0];
    const x = [...firstRun.keys()].sort((a, b) => a - b);
    const runs = [...bySeed].map(([seed, run]) => {
      const sameGrid = run.size === x.length && x.every((value) => run.has(value));
      if (!sameGrid) {
        throw new RangeError(
          `'${label}' seed ${seed} has ${columns.x} values other than seed ${firstSeed}'s; curves need one shared grid`,
        );
      }
      return x.map((value) => run.get(value)!);
    });
    return { label, x, runs };
  });
}
