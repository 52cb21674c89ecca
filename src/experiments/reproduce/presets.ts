/**
 * Distillation run configurations: the paper's protocol for Atari, its MinAtar scaling, the budget
 * presets and the experiment plan of `reproduce` (which runs each figure and table needs).
 * Where the paper gives no value (τ, α, β, learning rate, learning start) the choice and its source are
 * named beside it.
 */

import { type DistillConfig, validateDistillConfig, validateDistillSettings } from '../../distill/config';
import type { PlayBudget } from '../../distill/state-values';
import { DEFAULT_STUDENT_HIDDEN, type StudentArchitecture } from '../../nn/students';
import type { SamplerKind } from '../../replay';
import { DEFAULT_DIVERGENCE } from '../../train/divergence';
import { mergeOverrides } from '../common/overrides';
import type { PresetName } from '../common/preset-env';
import type { Suite } from '../common/suites';

/** One distillation run of the plan: architecture × sampler (× H-PR's p) × seed. */
export interface RunVariant {
  readonly architecture: StudentArchitecture;
  readonly sampler: SamplerKind;
  /** H-PR's partition count (hierarchical only). */
  readonly partitions?: number;
}

/** What `reproduce` runs for a suite and preset. */
export interface ReproducePlan {
  readonly seeds: readonly number[];
  /** Table 1, Figure 3: the three architectures, uniform sampling. */
  readonly architectures: readonly StudentArchitecture[];
  /** Figure 4: the proposed student with these samplers (H-PR at the default p). */
  readonly samplers: readonly SamplerKind[];
  /** Figure 5: H-PR with these partition counts. */
  readonly partitions: readonly number[];
  /** H-PR's default p (the paper's 5). */
  readonly defaultPartitions: number;
  /** Teacher play that measures [V_min, V_max] per game (notebook 02); Figure 2's three policies use it too. */
  readonly valueRangePlay: PlayBudget;
  /** Updates-to-threshold target of Figure 4's table, in % of the teacher's score. */
  readonly thresholdPercent: number;
}

/** The paper's experimental setting (Atari), per update where it counts steps: 4 steps per update. */
function atariPaper(seed: number): DistillConfig {
  return {
    seed,
    architecture: 'proposed',
    hidden: DEFAULT_STUDENT_HIDDEN.atari.proposed,
    freezeTorso: false,
    // "trained for up to 4 million steps", one update every 4 steps.
    totalUpdates: 1_000_000,
    updateEvery: 4,
    // Not in the paper: the DQN teachers' 50,000 steps of filling before learning.
    learningStarts: 50_000,
    batchSize: 32,
    memoryCapacity: 500_000,
    // α = 0.7, β 0.5 → 1: Schaul et al.'s rank-based values (the paper gives none).
    sampler: {
      kind: 'uniform',
      alpha: 0.7,
      beta: { start: 0.5, end: 1, steps: 1_000_000 },
      // H-PR's settings (dropped from other samplers' runs): eq. 6's rank rule inside a partition, N_j
      // counted over the whole memory, and the same total memory as every other sampler ('per-partition' is the
      // paper's p × 200,000 against uniform's 500,000, which confounds the sampler with more memory).
      inner: 'ranked',
      windowSize: null,
      partitionMemory: 'shared',
    },
    // τ = 0.01: Rusu et al.'s best temperature for the KL loss (the paper gives none).
    tau: 0.01,
    // Rusu et al.'s RMSProp learning rate for distillation; the rest as the teachers'.
    optimizer: { learningRate: 1e-4, decay: 0.95, epsilon: 0.01, centered: true },
    epsilon: { start: 1, end: 0.1, decaySteps: 1_000_000 },
    // Whole episodes, as the teachers' score (the paper: 100,000 control steps, completed episodes averaged).
    evaluation: { every: 25_000, episodes: 30, epsilon: 0.05, maxNoops: 30, maxEpisodeSteps: 27_000 },
    maxEpisodeSteps: 27_000,
    checkpointEvery: 25_000,
    // The teachers' rule (train/divergence.ts): distillation's KL losses sit at 1–5 on MinAtar (the quick preset's
    // curves), so a jump past 1 and 1,000× the recent mean is far outside healthy learning.
    divergence: DEFAULT_DIVERGENCE,
  };
}

/** MinAtar: the same protocol at the scale of its 128-unit teachers and 10×10 games. */
function minatarBase(seed: number): DistillConfig {
  return {
    ...atariPaper(seed),
    hidden: DEFAULT_STUDENT_HIDDEN.minatar.proposed,
    totalUpdates: 50_000,
    learningStarts: 5_000,
    memoryCapacity: 100_000,
    sampler: { ...atariPaper(seed).sampler, beta: { start: 0.5, end: 1, steps: 50_000 } },
    // 2.5e-3, ten times the teachers' rate: with ε = 0.01 inside the square root (TensorFlow's RMSProp) the
    // small KL gradients took tiny steps, and students were still constant policies after 1,500 updates at
    // 2.5e-4. A one-seed probe of 2.5e-4, 1e-3 and 2.5e-3 (with an earlier set of teachers) chose the largest.
    optimizer: { learningRate: 2.5e-3, decay: 0.95, epsilon: 0.01, centered: true },
    epsilon: { start: 1, end: 0.1, decaySteps: 50_000 },
    // 8 whole episodes per game, side by side; the teachers' episode limit.
    evaluation: { every: 2_500, episodes: 8, epsilon: 0.05, maxNoops: 30, maxEpisodeSteps: 100_000 },
    maxEpisodeSteps: 10_000,
    checkpointEvery: 2_500,
  };
}

type Overrides = Record<string, unknown>;

/**
 * A smoke budget, every code path in seconds: `updates` updates after 64 experiences of a 1,000-slot memory, ε
 * annealed over 100 steps, and an evaluation (`episodes` episodes cut at 100 steps) and a checkpoint every half run.
 */
function smokeBudget(updates: number, episodes: number): Overrides {
  return {
    totalUpdates: updates,
    learningStarts: 64,
    memoryCapacity: 1_000,
    epsilon: { decaySteps: 100 },
    evaluation: { every: updates / 2, episodes, maxEpisodeSteps: 100 },
    checkpointEvery: updates / 2,
  };
}

const BUDGETS: Record<Suite, Record<PresetName, Overrides>> = {
  minatar: {
    smoke: { ...smokeBudget(40, 2), maxEpisodeSteps: 40 },
    // Five seeds of the plan's 7 variants (35 runs), each variant's seeds in one seed batch, within 15 minutes on two
    // cores (docs/distillation.md): enough for the architectures' intervals to separate, not for any curve to
    // flatten. An evaluation every 1/40 of a run, of 4 episodes per game, not 8: an evaluation costs the same whatever
    // the budget (Freeway's episodes last 2,500 steps, one graph call each), and with 8 episodes at 1/40 the main job
    // took 19 minutes. A run still plays 160 evaluation episodes per game, and its final score (the last quarter's
    // evaluations) averages 40, as with 8 episodes every 1/20.
    quick: {
      totalUpdates: 1_600,
      learningStarts: 1_000,
      memoryCapacity: 20_000,
      sampler: { beta: { steps: 1_600 } },
      epsilon: { decaySteps: 4_000 },
      evaluation: { every: 40, episodes: 4 },
      checkpointEvery: 400,
    },
    // Ten seeds of the plan's 7 variants (70 runs), chosen from an estimate of 2 h 10 min on two cores one run per process
    // (it took 2 h 04 min, and about 1 h 26 min in seed batches: docs/distillation.md), with ε annealed over the first
    // quarter of the steps and β over the run, as the paper's 1 M of 4 M.
    full: {
      totalUpdates: 12_000,
      sampler: { beta: { steps: 12_000 } },
      epsilon: { decaySteps: 12_000 },
      evaluation: { every: 300 },
      checkpointEvery: 3_000,
    },
    paper: {},
  },
  atari: {
    smoke: smokeBudget(20, 1),
    quick: {
      totalUpdates: 5_000,
      learningStarts: 5_000,
      memoryCapacity: 50_000,
      epsilon: { decaySteps: 20_000 },
      evaluation: { every: 1_000, episodes: 4 },
      checkpointEvery: 1_000,
    },
    full: { totalUpdates: 250_000 },
    paper: {},
  },
};

/**
 * Runs of a variant trained together in one process when `--seed-batch` is not given (distill/seed-batch-distiller.ts):
 * on MinAtar, where the seed-batched graphs are exported, a variant's seeds in batches of 5 (one batch per variant for
 * `quick`, two for `full`); alone elsewhere. A run in a batch computes its solo numbers to float rounding only until a
 * rounding difference flips a greedy action, within a few hundred updates; from then on it is another sample of the
 * same experiment, so a run's numbers depend on its batch (and on `--jobs`, which halves the last batches), as they
 * do on the thread count. `--seed-batch 1` trains one run per process.
 */
export const DEFAULT_SEED_BATCH: Record<Suite, Record<PresetName, number>> = {
  minatar: { smoke: 1, quick: 5, full: 5, paper: 1 },
  atari: { smoke: 1, quick: 1, full: 1, paper: 1 },
};

/** The paper's plan: Table 1's three architectures, Figure 4's samplers, Figure 5's partition counts. */
const PAPER_PLAN: Omit<ReproducePlan, 'valueRangePlay'> = {
  seeds: [0, 1, 2],
  architectures: ['proposed', 'dist', 'amn'],
  samplers: ['uniform', 'ranked', 'hierarchical'],
  partitions: [5, 10, 15],
  defaultPartitions: 5,
  thresholdPercent: 90,
};

const PLANS: Record<PresetName, Omit<ReproducePlan, 'valueRangePlay'>> = {
  // One seed and two partition counts: every code path of the plan, in minutes.
  smoke: { ...PAPER_PLAN, seeds: [0], partitions: [5, 10] },
  quick: { ...PAPER_PLAN, seeds: [0, 1, 2, 3, 4] },
  full: { ...PAPER_PLAN, seeds: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] },
  // The paper's threshold for Atari's longer budget.
  paper: { ...PAPER_PLAN, thresholdPercent: 97 },
};

const VALUE_RANGE_STEPS: Record<PresetName, number> = { smoke: 200, quick: 5_000, full: 20_000, paper: 100_000 };

/** The experiment plan of a suite and preset. */
export function reproducePlan(preset: PresetName): ReproducePlan {
  return { ...PLANS[preset], valueRangePlay: { steps: VALUE_RANGE_STEPS[preset], epsilon: 0.05 } };
}

/**
 * Keys the plan sets per run: overriding one would train every run alike under names that say otherwise.
 * Each maps to what to do instead.
 */
const PLAN_KEYS: Record<string, string> = {
  architecture: 'the plan sets the architecture per variant; pick variants with --only',
  seed: 'the plan sets the seed per run; choose how many with --seeds',
  'sampler.kind': 'the plan sets the sampler per variant; pick variants with --only',
  'sampler.partitions': "the plan sets H-PR's p per variant; pick variants with --only",
};

/** Throws when an override sets a key the plan sets per run, saying what to do instead. */
export function checkOverride(override: Overrides): void {
  const visit = (value: unknown, path: string) => {
    const instead = PLAN_KEYS[path];
    if (instead !== undefined) throw new RangeError(`'${path}' cannot be overridden: ${instead}`);
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      for (const [key, inner] of Object.entries(value)) visit(inner, path ? `${path}.${key}` : key);
  };
  visit(override, '');
}

/**
 * The one place where a run's configuration is resolved: suite defaults, the preset's budget, `overrides`
 * (dotted keys, checked), then the variant. Each architecture gets its default hidden widths unless
 * overridden; H-PR's memory is uniform's unless `sampler.partitionMemory` is 'per-partition' (the paper's
 * p × 200,000 against uniform's 500,000). Settings a sampler does not read are dropped, so that changing one
 * (H-PR's inner rule, say) leaves the other samplers' runs as they were.
 */
export function distillConfig(
  suite: Suite,
  preset: PresetName,
  variant: RunVariant,
  seed: number,
  overrides: readonly Overrides[] = [],
): DistillConfig {
  let config = mergeOverrides(suite === 'minatar' ? minatarBase(seed) : atariPaper(seed), BUDGETS[suite][preset]);
  const hiddenOverridden = overrides.some((o) => Object.hasOwn(o, 'hidden'));
  for (const override of overrides) {
    checkOverride(override);
    config = mergeOverrides(config, override);
  }
  // Every key as overridden, before the variant drops the sampler settings it does not read (so a bad value is
  // refused whichever variants run) and before H-PR scales the memory.
  validateDistillSettings(config);
  const hierarchical = variant.sampler === 'hierarchical';
  const { partitions: _, inner, windowSize, partitionMemory, alpha, beta } = config.sampler;
  config = {
    ...config,
    architecture: variant.architecture,
    hidden: hiddenOverridden ? config.hidden : DEFAULT_STUDENT_HIDDEN[suite][variant.architecture],
    memoryCapacity:
      hierarchical && partitionMemory === 'per-partition'
        ? Math.round((config.memoryCapacity * 2 * (variant.partitions ?? 0)) / 5)
        : config.memoryCapacity,
    sampler: {
      kind: variant.sampler,
      ...(variant.sampler === 'uniform' ? {} : { alpha, beta }),
      ...(hierarchical ? { partitions: variant.partitions, inner, windowSize, partitionMemory } : {}),
    },
  };
  validateDistillConfig(config);
  return config;
}

/** A variant's name: architecture, sampler, p for H-PR (what --only takes). */
export function variantLabel(variant: RunVariant): string {
  const sampler = variant.sampler === 'hierarchical' ? `hpr-p${variant.partitions}` : variant.sampler;
  return `${variant.architecture}-${sampler}`;
}

/** A run's name: its variant and seed. */
export function variantName(variant: RunVariant, seed: number): string {
  return `${variantLabel(variant)}-seed${seed}`;
}

/** Every distinct variant the plan needs (a variant shared by two figures appears once). */
export function planVariants(plan: ReproducePlan): RunVariant[] {
  const variants: RunVariant[] = [
    ...plan.architectures.map((architecture) => ({ architecture, sampler: 'uniform' as const })),
    ...plan.samplers.map((sampler) =>
      sampler === 'hierarchical'
        ? { architecture: 'proposed' as const, sampler, partitions: plan.defaultPartitions }
        : { architecture: 'proposed' as const, sampler },
    ),
    ...plan.partitions.map((partitions) => ({
      architecture: 'proposed' as const,
      sampler: 'hierarchical' as const,
      partitions,
    })),
  ];
  const seen = new Set<string>();
  return variants.filter((v) => {
    const key = variantLabel(v);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** What `--only` and `--seeds` choose from a plan. */
export interface PlanSelection {
  /** Variant names (as `variantLabel` writes them); all when absent. */
  readonly only?: readonly string[];
  /** Seeds 0 … N−1; the preset's when absent. */
  readonly seeds?: number;
}

/** The plan's variants that `only` names, in the plan's order; an unknown name is an error listing them. */
export function selectVariants(plan: ReproducePlan, only?: readonly string[]): RunVariant[] {
  const variants = planVariants(plan);
  if (only === undefined) return variants;
  const labels = variants.map(variantLabel);
  const unknown = only.find((name) => !labels.includes(name));
  if (unknown !== undefined || only.length === 0)
    throw new RangeError(`unknown variant '${unknown ?? ''}' in --only: the plan's variants are ${labels.join(', ')}`);
  return variants.filter((v) => only.includes(variantLabel(v)));
}

/** The seeds a selection runs: 0 … N−1, or the plan's. */
export function selectSeeds(plan: ReproducePlan, seeds?: number): readonly number[] {
  if (seeds === undefined) return plan.seeds;
  if (!(Number.isInteger(seeds) && seeds >= 1 && seeds <= 1000))
    throw new RangeError(`--seeds must be an integer in [1, 1000], got ${seeds}`);
  return Array.from({ length: seeds }, (_, i) => i);
}

/**
 * The plan restricted to a selection: the seeds chosen, and the architectures, samplers and partition
 * counts of the chosen variants, so that tables and figures cover exactly what was trained.
 */
export function selectPlan(plan: ReproducePlan, selection: PlanSelection = {}): ReproducePlan {
  const variants = selectVariants(plan, selection.only);
  const has = (v: Partial<RunVariant>) =>
    variants.some(
      (c) =>
        c.architecture === (v.architecture ?? 'proposed') &&
        c.sampler === v.sampler &&
        (v.partitions === undefined || c.partitions === v.partitions),
    );
  return {
    ...plan,
    seeds: selectSeeds(plan, selection.seeds),
    architectures: plan.architectures.filter((architecture) => has({ architecture, sampler: 'uniform' })),
    samplers: plan.samplers.filter((sampler) =>
      has(sampler === 'hierarchical' ? { sampler, partitions: plan.defaultPartitions } : { sampler }),
    ),
    partitions: plan.partitions.filter((partitions) => has({ sampler: 'hierarchical', partitions })),
  };
}
