import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_STUDENT_HIDDEN } from '../../nn/students';
import { PRESET_NAMES } from '../common/preset-env';
import { SUITES } from '../common/suites';
import {
  checkOverride,
  distillConfig,
  planVariants,
  reproducePlan,
  selectPlan,
  variantLabel,
  variantName,
} from './presets';

test('every preset of every suite resolves every variant of its plan to a valid configuration', () => {
  for (const suite of SUITES) {
    for (const preset of PRESET_NAMES) {
      const plan = reproducePlan(preset);
      for (const variant of planVariants(plan)) {
        const config = distillConfig(suite, preset, variant, 7);
        assert.equal(config.seed, 7);
        assert.equal(config.architecture, variant.architecture);
        assert.deepEqual(config.hidden, DEFAULT_STUDENT_HIDDEN[suite][variant.architecture]);
        assert.equal(config.sampler.kind, variant.sampler);
        // Only the settings the sampler reads.
        const keys = Object.keys(config.sampler).sort();
        if (variant.sampler === 'uniform') assert.deepEqual(keys, ['kind']);
        else if (variant.sampler === 'hierarchical')
          assert.deepEqual(keys, ['alpha', 'beta', 'inner', 'kind', 'partitionMemory', 'partitions', 'windowSize']);
        else assert.deepEqual(keys, ['alpha', 'beta', 'kind']);
      }
    }
  }
});

test('the plans: variants named as --only takes them, the smoke plan one seed and two partition counts', () => {
  assert.deepEqual(planVariants(reproducePlan('full')).map(variantLabel), [
    'proposed-uniform',
    'dist-uniform',
    'amn-uniform',
    'proposed-ranked',
    'proposed-hpr-p5',
    'proposed-hpr-p10',
    'proposed-hpr-p15',
  ]);
  assert.deepEqual(reproducePlan('smoke').seeds, [0]);
  assert.deepEqual(reproducePlan('smoke').partitions, [5, 10]);
  assert.equal(reproducePlan('paper').thresholdPercent, 97);
  assert.equal(
    variantName({ architecture: 'proposed', sampler: 'hierarchical', partitions: 10 }, 3),
    'proposed-hpr-p10-seed3',
  );
});

test("H-PR's memory is every sampler's, or the paper's p × 2/5 of uniform's when asked: 20,000 → 40,000 at p = 5", () => {
  const hpr = { architecture: 'proposed', sampler: 'hierarchical', partitions: 5 } as const;
  const paper = [{ sampler: { partitionMemory: 'per-partition' } }];
  assert.equal(
    distillConfig('minatar', 'quick', { architecture: 'proposed', sampler: 'uniform' }, 0).memoryCapacity,
    20_000,
  );
  assert.equal(distillConfig('minatar', 'quick', hpr, 0).memoryCapacity, 20_000);
  assert.equal(distillConfig('minatar', 'quick', hpr, 0, paper).memoryCapacity, 40_000);
  assert.equal(distillConfig('minatar', 'quick', { ...hpr, partitions: 15 }, 0, paper).memoryCapacity, 120_000);
  assert.equal(
    distillConfig('minatar', 'quick', hpr, 0, [...paper, { memoryCapacity: 10_000 }]).memoryCapacity,
    20_000,
  );
  // Uniform's memory is not H-PR's setting: the option leaves it (and its run) as it was.
  const uniform = { architecture: 'proposed', sampler: 'uniform' } as const;
  assert.deepEqual(distillConfig('minatar', 'quick', uniform, 0, paper), distillConfig('minatar', 'quick', uniform, 0));
});

test('overrides: sampler settings reach the samplers that read them; the plan keys are refused', () => {
  const ranked = { architecture: 'proposed', sampler: 'ranked' } as const;
  const hpr = { architecture: 'proposed', sampler: 'hierarchical', partitions: 5 } as const;
  const inner = [{ sampler: { inner: 'proportional' } }];
  assert.equal(distillConfig('minatar', 'quick', hpr, 0, inner).sampler.inner, 'proportional');
  assert.deepEqual(distillConfig('minatar', 'quick', ranked, 0, inner), distillConfig('minatar', 'quick', ranked, 0));
  assert.equal(distillConfig('minatar', 'quick', ranked, 0, [{ sampler: { alpha: 0.5 } }]).sampler.alpha, 0.5);
  assert.equal(distillConfig('minatar', 'quick', hpr, 0, [{ sampler: { windowSize: 500 } }]).sampler.windowSize, 500);
  // An architecture keeps its own widths unless they are overridden for every run.
  assert.deepEqual(
    distillConfig('minatar', 'quick', { architecture: 'amn', sampler: 'uniform' }, 0, [{ hidden: [64] }]).hidden,
    [64],
  );
  for (const [override, message] of [
    [
      { architecture: 'amn' },
      "'architecture' cannot be overridden: the plan sets the architecture per variant; pick variants with --only",
    ],
    [
      { sampler: { partitions: 3 } },
      "'sampler.partitions' cannot be overridden: the plan sets H-PR's p per variant; pick variants with --only",
    ],
  ] as const) {
    assert.throws(() => checkOverride(override), { message });
  }
  assert.throws(() => distillConfig('minatar', 'quick', hpr, 0, [{ sampler: { inner: 'uniform' } }]), {
    message: "sampler.inner must be 'ranked' or 'proportional', got 'uniform'",
  });
  assert.throws(() => distillConfig('minatar', 'quick', ranked, 0, [{ sampler: { alpha: 5 } }]), {
    message: 'sampler.alpha must be a number in [0, 1], got 5',
  });
  assert.throws(() => distillConfig('minatar', 'quick', hpr, 0, [{ sampler: { windowSize: 10 ** 9 } }]), {
    message:
      'sampler.windowSize must be null (the whole memory) or an integer in [1, memoryCapacity = 20000], got 1000000000',
  });
  assert.throws(() => distillConfig('minatar', 'quick', ranked, 0, [{ sampler: { inne: 'ranked' } }]), {
    message:
      /^unknown configuration key 'sampler.inne'; expected one of sampler.kind, sampler.alpha, sampler.beta, sampler.inner, sampler.windowSize/,
  });
});

test('--only and --seeds restrict the plan: its tables and figures cover exactly the chosen variants', () => {
  const plan = reproducePlan('quick');
  const hpr10 = selectPlan(plan, { only: ['proposed-hpr-p10'], seeds: 10 });
  assert.deepEqual(planVariants(hpr10).map(variantLabel), ['proposed-hpr-p10']);
  assert.deepEqual(hpr10.seeds, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual([hpr10.architectures, hpr10.samplers, hpr10.partitions], [[], [], [10]]);
  const two = selectPlan(plan, { only: ['dist-uniform', 'proposed-uniform', 'proposed-hpr-p5'] });
  assert.deepEqual(planVariants(two).map(variantLabel), ['proposed-uniform', 'dist-uniform', 'proposed-hpr-p5']);
  assert.deepEqual(
    [two.architectures, two.samplers, two.partitions],
    [['proposed', 'dist'], ['uniform', 'hierarchical'], [5]],
  );
  assert.deepEqual(selectPlan(plan), plan);
  assert.throws(() => selectPlan(plan, { seeds: 2.5 }), {
    message: '--seeds must be an integer in [1, 1000], got 2.5',
  });
  assert.throws(() => selectPlan(plan, { only: [] }), {
    message: /^unknown variant '' in --only: the plan's variants are proposed-uniform/,
  });
});
