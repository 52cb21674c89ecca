/**
 * Figures 2–5 of the paper as entries of the figure registry (tables in, figure out): the notebooks show them
 * inline and `reproduce` exports them with `regenerateFigures({ entries })`. Each is one figure shaped like the
 * paper's, a panel per game and a suite-level panel, titled with the suite, preset and seeds it shows:
 * - Figure 2: the states visited by three policies of increasing ability, per tenth of the teacher's value range;
 *   the suite panel averages the games (whiskers: 95 % bootstrap over games);
 * - Figures 3–5: learning curves in % of each game's teacher, the mean over seeds with its 95 % Student-t band;
 *   the suite panel is rliable's IQM over seeds × games with its 95 % stratified-bootstrap band.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ColumnTable } from 'arquero';
import { interquartileMean, quantile, stratifiedBootstrap } from '../../stats';
import { studentTQuantile } from '../../stats/confidence';
import { readTable, tablePaths } from '../../tables';
import { figuresDir, tablesDir } from '../../util/paths';
import { Rng } from '../../util/rng';
import type { FigureEntry, FigureSpec } from '../../viz/figure';
import { barTrace, type IntervalSeries, intervalCurveTraces, type Panel, panelFigure } from '../../viz/panels';
import { reproducePlan } from './presets';
import { DISTILL_CURVES_TABLE } from './reproduce-tables';
import { ANALYSIS_SEED, type CurveRow, seedCurves } from './results';
import { STATE_DISTRIBUTION_TABLE } from './value-ranges';

/** H-PR's default partition count in every plan (the paper's 5): Figure 4's H-PR curve. */
const DEFAULT_PARTITIONS = reproducePlan('full').defaultPartitions;

/** Resamples of the figures' bootstrap bands. */
const FIGURE_BOOTSTRAP_REPETITIONS = 1_000;

const CURVE_COLUMNS = [
  'suite',
  'preset',
  'architecture',
  'sampler',
  'partitions',
  'seed',
  'game',
  'updates',
  'percent_of_teacher',
];
const Y_TITLE = '% of the game’s teacher';
const X_TITLE = 'mini-batch updates';
const SUITE_PANEL = 'all games: IQM';
const CURVE_LEGEND = 'mean over seeds, 95 % t-interval; all games: IQM, 95 % stratified bootstrap';

/** The figure names, one per figure of the paper. */
export const FIGURE_NAMES = {
  figure2: 'figure2-state-distribution',
  figure3: 'figure3-architectures',
  figure4: 'figure4-samplers',
  figure5: 'figure5-partitions',
} as const;

/** Mean over seeds at each point with its 95 % Student-t band; no band with one seed. */
export function seedMeanBand(runs: readonly (readonly number[])[]): Omit<IntervalSeries, 'label' | 'x'> {
  const n = runs.length;
  if (n === 0) throw new RangeError('a band needs at least one seed');
  const points = runs[0].length;
  const mean = Array.from({ length: points }, (_, k) => runs.reduce((sum, run) => sum + run[k], 0) / n);
  if (n < 2) return { mean, lower: null, upper: null };
  const t = studentTQuantile(0.975, n - 1);
  const half = mean.map((m, k) => t * Math.sqrt(runs.reduce((sum, run) => sum + (run[k] - m) ** 2, 0) / (n - 1) / n));
  return { mean, lower: mean.map((m, k) => m - half[k]), upper: mean.map((m, k) => m + half[k]) };
}

/** One group's curve on one game: the evaluations every seed scored, mean over seeds and its band. */
export function gameSeries(rows: readonly CurveRow[], label: string, game: string): IntervalSeries {
  const curves = seedCurves(rows, game);
  if (curves.runs.length === 0) throw new RangeError(`no runs of '${label}' on ${game}`);
  return { label, x: curves.updates, ...seedMeanBand(curves.runs) };
}

/**
 * One group's IQM over seeds × games at every evaluation that each seed scored on each game, with its stratified
 * bootstrap band (seeded: the figure repeats); no band with one seed.
 */
export function suiteIqmSeries(
  rows: readonly CurveRow[],
  label: string,
  games: readonly string[],
  seed = ANALYSIS_SEED,
): IntervalSeries {
  const perGame = games.map((game) => seedCurves(rows, game));
  const seeds = Math.min(...perGame.map((c) => c.runs.length));
  if (seeds === 0) throw new RangeError(`no runs of '${label}'`);
  const x = perGame[0].updates.filter((u) => perGame.every((c) => c.updates.includes(u)));
  const matrices = x.map((u) =>
    Array.from({ length: seeds }, (_, s) => perGame.map((c) => c.runs[s][c.updates.indexOf(u)])),
  );
  const rng = new Rng(seed);
  const intervals = matrices.map((m) =>
    seeds < 2 ? null : stratifiedBootstrap([m], interquartileMean, rng, { repetitions: FIGURE_BOOTSTRAP_REPETITIONS }),
  );
  return {
    label,
    x,
    mean: matrices.map(interquartileMean),
    lower: seeds < 2 ? null : intervals.map((i) => i?.lower as number),
    upper: seeds < 2 ? null : intervals.map((i) => i?.upper as number),
  };
}

interface Group {
  readonly label: string;
  readonly filter: (row: CurveRow) => boolean;
}

/** "minatar quick, 3 seeds" from the rows shown (the seed count per curve, a range when they differ). */
export function runsLabel(rows: readonly CurveRow[], groups: readonly Group[]): string {
  const where = [...new Set(rows.flatMap((r) => [r.suite, r.preset].filter((v) => v !== undefined)))].join(' ');
  const counts = groups.map((g) => new Set(rows.filter(g.filter).map((r) => r.seed)).size).filter((n) => n > 0);
  const low = Math.min(...counts);
  const high = Math.max(...counts);
  const seeds = low === high ? `${low} seed${low === 1 ? '' : 's'}` : `${low}–${high} seeds per curve`;
  return where ? `${where}, ${seeds}` : seeds;
}

/** A learning-curve figure: a panel per game, then the suite's IQM panel, one curve per group in each. */
function curvesFigure(
  rows: readonly CurveRow[],
  title: string,
  games: readonly string[],
  groups: readonly Group[],
): FigureSpec {
  const own = groups.map((g) => rows.filter(g.filter));
  const panels: Panel[] = [
    ...games.map((game) => ({
      title: game,
      traces: groups.flatMap((g, i) => intervalCurveTraces(gameSeries(own[i], g.label, game), i)),
    })),
    {
      title: SUITE_PANEL,
      traces: groups.flatMap((g, i) => intervalCurveTraces(suiteIqmSeries(own[i], g.label, games), i)),
    },
  ];
  return panelFigure(panels, {
    title: `${title} · ${runsLabel(rows, groups)}`,
    xTitle: X_TITLE,
    yTitle: Y_TITLE,
    legendTitle: CURVE_LEGEND,
  });
}

function curveEntry(name: string, title: string, games: readonly string[], groups: readonly Group[]): FigureEntry {
  return {
    name,
    tables: { [DISTILL_CURVES_TABLE]: CURVE_COLUMNS },
    build: (tables: Readonly<Record<string, ColumnTable>>) => {
      const rows = tables[DISTILL_CURVES_TABLE].objects() as unknown as CurveRow[];
      return curvesFigure(rows, title, games, groups);
    },
  };
}

const ARCHITECTURE_LABELS = {
  proposed: 'Proposed',
  dist: 'DIST (Rusu et al.)',
  amn: 'AMN (Parisotto et al.)',
} as const;

/** What a figure's title names besides its runs: the suite and preset of Figure 2's teacher play. */
export interface FigureContext {
  readonly suite?: string;
  readonly preset?: string;
}

/**
 * Figures 2–5 for `games`; `partitions` lists Figure 5's p values, `defaultPartitions` Figure 4's. With `hasRuns`
 * (whether some run matches a curve's filter), a curve figure is left out unless every one of its curves has runs:
 * a selection of the plan gets the figures it can draw whole.
 */
export function distillFigures(
  games: readonly string[],
  partitions: readonly number[],
  defaultPartitions: number,
  context: FigureContext = {},
  hasRuns: (filter: (row: CurveRow) => boolean) => boolean = () => true,
): FigureEntry[] {
  const architectures: Group[] = (Object.keys(ARCHITECTURE_LABELS) as (keyof typeof ARCHITECTURE_LABELS)[]).map(
    (a) => ({
      label: ARCHITECTURE_LABELS[a],
      filter: (r) => r.architecture === a && r.sampler === 'uniform',
    }),
  );
  const proposed = (r: CurveRow) => r.architecture === 'proposed';
  const samplers: Group[] = [
    { label: 'Uniform', filter: (r) => proposed(r) && r.sampler === 'uniform' },
    { label: 'PR (rank-based)', filter: (r) => proposed(r) && r.sampler === 'ranked' },
    {
      label: `H-PR (p = ${defaultPartitions})`,
      filter: (r) => proposed(r) && r.sampler === 'hierarchical' && r.partitions === defaultPartitions,
    },
  ];
  const partitionGroups: Group[] = partitions.map((p) => ({
    label: `H-PR p = ${p}`,
    filter: (r) => proposed(r) && r.sampler === 'hierarchical' && r.partitions === p,
  }));
  const curves: [string, string, Group[]][] = [
    [FIGURE_NAMES.figure3, 'Figure 3 · architectures (uniform sampling)', architectures],
    [FIGURE_NAMES.figure4, 'Figure 4 · sampling (proposed student)', samplers],
    [FIGURE_NAMES.figure5, 'Figure 5 · H-PR’s partition count p (proposed student)', partitionGroups],
  ];
  return [
    stateDistributionEntry(games, context),
    ...curves
      .filter(([, , groups]) => groups.length > 0 && groups.every((g) => hasRuns(g.filter)))
      .map(([name, title, groups]) => curveEntry(name, title, games, groups)),
  ];
}

/**
 * Figures 2–5 for whatever `reproduce` left in `folder` (`npm run figures`): the games and H-PR partition
 * counts are read from its curve table, Figure 4's p is the plans' default; none when the table is absent.
 */
export function distillFiguresFromTables(folder: string): FigureEntry[] {
  if (!existsSync(tablePaths(DISTILL_CURVES_TABLE, folder).arrow)) return [];
  const rows = readTable(
    DISTILL_CURVES_TABLE,
    ['game', 'architecture', 'sampler', 'partitions'],
    folder,
  ).objects() as unknown as CurveRow[];
  const games = [...new Set(rows.map((r) => r.game))];
  const partitions = [...new Set(rows.filter((r) => r.sampler === 'hierarchical').map((r) => r.partitions as number))];
  const first = rows[0] as CurveRow | undefined;
  return distillFigures(
    games,
    partitions.sort((a, b) => a - b),
    DEFAULT_PARTITIONS,
    { suite: first?.suite, preset: first?.preset },
    (filter) => rows.some(filter),
  );
}

/** One preset's Figures 2–5: the entries, the tables folder they read and the figures folder they go to. */
export interface PresetFigures {
  readonly entries: FigureEntry[];
  readonly tables: string;
  readonly figures: string;
}

/**
 * Figures 2–5 of every results folder `reproduce` left under `tables` (a preset's `data/tables/SUITE-PRESET/`, a
 * named plan's `data/tables/NAME/`), each bound for the folder of the same name under `figures`, in name order.
 */
export function presetFiguresFromTables(tables: string = tablesDir(), figures: string = figuresDir()): PresetFigures[] {
  if (!existsSync(tables)) return [];
  return readdirSync(tables, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => ({
      entries: distillFiguresFromTables(join(tables, name)),
      tables: join(tables, name),
      figures: join(figures, name),
    }))
    .filter((group) => group.entries.length > 0);
}

interface StateShareRow {
  readonly game: string;
  readonly policy: string;
  readonly bin: number;
  readonly bin_low: number;
  readonly bin_high: number;
  readonly share: number;
}

/** [policy][bin] shares of one game in %, policies in the table's order (Net-1, Net-2, Net-3). */
function gameShares(
  rows: readonly StateShareRow[],
  game: string,
  policies: readonly string[],
  bins: number,
): number[][] {
  return policies.map((policy) =>
    Array.from({ length: bins }, (_, bin) => {
      const row = rows.find((r) => r.game === game && r.policy === policy && r.bin === bin);
      if (!row) throw new RangeError(`the state-distribution table has no bin ${bin} of '${policy}' on ${game}`);
      return 100 * row.share;
    }),
  );
}

/**
 * Figure 2(b) for every game: share of visited states per tenth of the teacher's value range, one bar series per
 * policy; the suite panel is the mean over games with a 95 % percentile bootstrap over games (none for one game).
 */
function stateDistributionEntry(games: readonly string[], context: FigureContext): FigureEntry {
  return {
    name: FIGURE_NAMES.figure2,
    tables: { [STATE_DISTRIBUTION_TABLE]: ['game', 'policy', 'bin', 'bin_low', 'bin_high', 'share'] },
    build: (tables) => {
      const rows = tables[STATE_DISTRIBUTION_TABLE].objects() as unknown as StateShareRow[];
      for (const game of games)
        if (!rows.some((r) => r.game === game))
          throw new RangeError(`the state-distribution table has no rows for ${game}`);
      // The policies in the table's order (Net-1, Net-2, Net-3), whichever kind the teachers had.
      const policies = [...new Set(rows.map((r) => r.policy))];
      const bins = Math.max(...rows.map((r) => r.bin)) + 1;
      const categories = Array.from({ length: bins }, (_, b) => b + 1);
      const shares = games.map((game) => gameShares(rows, game, policies, bins));
      const panels: Panel[] = games.map((game, g) => {
        const edges = rows.filter((r) => r.game === game);
        const low = Math.min(...edges.map((r) => r.bin_low));
        const high = Math.max(...edges.map((r) => r.bin_high));
        return {
          title: `${game} (V_T ${low.toPrecision(3)} to ${high.toPrecision(3)})`,
          traces: policies.map((policy, p) => barTrace(policy, categories, shares[g][p], p)),
        };
      });
      const meanOver = (picked: readonly number[]) =>
        policies.map((_, p) =>
          categories.map((_, b) => picked.reduce((sum, g) => sum + shares[g][p][b], 0) / picked.length),
        );
      const all = games.map((_, g) => g);
      const suiteMean = meanOver(all);
      let whiskers: { lower: number[]; upper: number[] }[] | null = null;
      if (games.length >= 2) {
        const rng = new Rng(ANALYSIS_SEED);
        const draws = Array.from({ length: FIGURE_BOOTSTRAP_REPETITIONS }, () =>
          meanOver(all.map(() => rng.int(games.length))),
        );
        whiskers = policies.map((_, p) => ({
          lower: categories.map((_, b) =>
            quantile(
              draws.map((d) => d[p][b]),
              0.025,
            ),
          ),
          upper: categories.map((_, b) =>
            quantile(
              draws.map((d) => d[p][b]),
              0.975,
            ),
          ),
        }));
      }
      panels.push({
        title: `all games: mean over ${games.length} game${games.length === 1 ? '' : 's'}`,
        traces: policies.map((policy, p) => barTrace(policy, categories, suiteMean[p], p, whiskers?.[p])),
      });
      const where = [context.suite, context.preset].filter((v) => v !== undefined).join(' ');
      return panelFigure(panels, {
        title: `Figure 2 · states visited by policies of increasing ability, valued by the final teacher${where ? ` · ${where}` : ''}`,
        xTitle: `V_T = max_a q_T, tenths of its range (1–${bins})`,
        yTitle: 'visited states (%)',
        legendTitle: 'policy; all games: whiskers 95 % bootstrap over games',
        barmode: 'group',
      });
    },
  };
}
