/**
 * Figures 2–5 of the paper as entries of the figure registry (tables in, figure out): the notebooks show
 * them inline and `reproduce` exports them with `regenerateFigures({ entries })`.
 */
import { existsSync } from 'node:fs';
import type { ColumnTable } from 'arquero';
import { readTable, tablePaths } from '../../tables';
import { tablesDir } from '../../util/paths';
import { barFigure } from '../../viz/bar-table';
import type { FigureEntry } from '../../viz/figure';
import { type CurveSeries, learningCurveFigure } from '../../viz/learning-curves';
import { reproducePlan } from './presets';
import { DISTILL_CURVES_TABLE } from './reproduce-tables';
import type { CurveRow } from './results';
import { STATE_DISTRIBUTION_TABLE } from './value-ranges';

/** H-PR's default partition count in every plan (the paper's 5): Figure 4's H-PR curve. */
const DEFAULT_PARTITIONS = reproducePlan('full').defaultPartitions;

const CURVE_COLUMNS = ['architecture', 'sampler', 'partitions', 'seed', 'game', 'updates', 'percent_of_teacher'];
const Y_TITLE = 'score (% of the game’s teacher)';
const X_TITLE = 'mini-batch updates (one batch from every game each)';

/**
 * One curve per selected run group: x the evaluations every seed scored (an evaluation with no
 * completed episode in some seed is left out rather than guessed), runs one row per seed.
 */
export function curveSeries(rows: readonly CurveRow[], label: string, game: string): CurveSeries {
  const own = rows.filter((r) => r.game === game);
  const seeds = [...new Set(own.map((r) => r.seed))].sort((a, b) => a - b);
  if (seeds.length === 0) throw new RangeError(`no runs of '${label}' on ${game}`);
  const x = [...new Set(own.map((r) => r.updates))]
    .sort((a, b) => a - b)
    .filter((u) =>
      seeds.every((s) => own.some((r) => r.seed === s && r.updates === u && r.percent_of_teacher !== null)),
    );
  const runs = seeds.map((s) =>
    x.map((u) => own.find((r) => r.seed === s && r.updates === u)?.percent_of_teacher as number),
  );
  return { label, x, runs };
}

interface Group {
  readonly label: string;
  readonly filter: (row: CurveRow) => boolean;
}

function curveFigure(name: string, title: string, game: string, groups: readonly Group[]): FigureEntry {
  return {
    name,
    tables: { [DISTILL_CURVES_TABLE]: CURVE_COLUMNS },
    build: (tables: Readonly<Record<string, ColumnTable>>) => {
      const rows = tables[DISTILL_CURVES_TABLE].objects() as unknown as CurveRow[];
      const series = groups.map((g) => curveSeries(rows.filter(g.filter), g.label, game));
      return learningCurveFigure(series, { title: `${title}: ${game}`, xTitle: X_TITLE, yTitle: Y_TITLE });
    },
  };
}

const ARCHITECTURE_LABELS = {
  proposed: 'Proposed',
  dist: 'DIST (Rusu et al.)',
  amn: 'AMN (Parisotto et al.)',
} as const;

/** Every distillation figure for `games`; `partitions` lists Figure 5's p values, `defaultPartitions` Figure 4's. */
export function distillFigures(
  games: readonly string[],
  partitions: readonly number[],
  defaultPartitions: number,
): FigureEntry[] {
  const slug = (game: string) => game.replaceAll('_', '-');
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
  return [
    ...games.map((game) => stateDistributionFigure(game, `figure2-state-distribution-${slug(game)}`)),
    ...games.map((game) =>
      curveFigure(
        `figure3-architectures-${slug(game)}`,
        'Figure 3, architectures (uniform sampling)',
        game,
        architectures,
      ),
    ),
    ...games.map((game) =>
      curveFigure(`figure4-samplers-${slug(game)}`, 'Figure 4, sampling (proposed architecture)', game, samplers),
    ),
    ...games.map((game) =>
      curveFigure(`figure5-partitions-${slug(game)}`, 'Figure 5, H-PR partition count', game, partitionGroups),
    ),
  ];
}

/**
 * Figures 2–5 for whatever `reproduce` left in `folder` (`npm run figures`): the games and H-PR partition
 * counts are read from its curve table, Figure 4's p is the plans' default; none when the table is absent.
 */
export function distillFiguresFromTables(folder: string = tablesDir()): FigureEntry[] {
  if (!existsSync(tablePaths(DISTILL_CURVES_TABLE, folder).arrow)) return [];
  const rows = readTable(
    DISTILL_CURVES_TABLE,
    ['game', 'sampler', 'partitions'],
    folder,
  ).objects() as unknown as CurveRow[];
  const games = [...new Set(rows.map((r) => r.game))];
  const partitions = [...new Set(rows.filter((r) => r.sampler === 'hierarchical').map((r) => r.partitions as number))];
  return distillFigures(
    games,
    partitions.sort((a, b) => a - b),
    DEFAULT_PARTITIONS,
  );
}

/** Figure 2(b): share of visited states per tenth of the teacher's value range, one bar series per policy. */
function stateDistributionFigure(game: string, name: string): FigureEntry {
  return {
    name,
    tables: { [STATE_DISTRIBUTION_TABLE]: ['game', 'policy', 'bin', 'bin_low', 'bin_high', 'share'] },
    build: (tables) => {
      const rows = (
        tables[STATE_DISTRIBUTION_TABLE].objects() as {
          game: string;
          policy: string;
          bin: number;
          bin_low: number;
          bin_high: number;
          share: number;
        }[]
      ).filter((r) => r.game === game);
      if (rows.length === 0) throw new RangeError(`the state-distribution table has no rows for ${game}`);
      // The policies in the table's order (Net-1, Net-2, Net-3), whichever kind the teachers had.
      const policies = [...new Set(rows.map((r) => r.policy))];
      const first = rows.filter((r) => r.policy === policies[0]).sort((a, b) => a.bin - b.bin);
      // Numbered, so that bins of a narrow range never share a label (Plotly would merge them).
      const categories = first.map((r) => `${r.bin + 1}: ${r.bin_low.toPrecision(3)}–${r.bin_high.toPrecision(3)}`);
      const series = policies.map((policy) => ({
        label: policy,
        values: first.map((f) => {
          const row = rows.find((r) => r.policy === policy && r.bin === f.bin);
          if (!row) throw new RangeError(`the state-distribution table has no bin ${f.bin} of '${policy}' on ${game}`);
          return 100 * row.share;
        }),
      }));
      return barFigure(categories, series, {
        title: `Figure 2, states visited by policies of increasing ability: ${game}`,
        xTitle: 'teacher’s state value V_T = max_a q_T (10 even bins of its range)',
        yTitle: 'visited states (%)',
      });
    },
  };
}
