import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../util/rng';
import { createSampler } from './create-sampler';
import type { HierarchicalSampler } from './hierarchical-sampler';
import type { Sampler, SamplerConfig } from './sampler';

const close = (actual: number, expected: number, what = '') =>
  assert.ok(Math.abs(actual - expected) < 1e-12, `${what} expected ${expected}, got ${actual}`);
const fixedBeta = (beta: number) => ({ start: beta, end: beta, steps: 0 });

/** Adds experiences with the given state values, then sets the given priorities (slot order). */
function fill(sampler: Sampler, values: number[], priorities?: number[]): void {
  values.forEach((v, slot) => {
    sampler.add(slot, v);
  });
  if (priorities) sampler.updatePriorities(Array.from(priorities.keys()), priorities);
}

/** Draws `batch` slots once; returns indices and weights. */
function draw(sampler: Sampler, batch: number): { indices: Int32Array; weights: Float32Array } {
  const indices = new Int32Array(batch);
  const weights = new Float32Array(batch);
  sampler.sample(indices, weights);
  return { indices, weights };
}

/** Checks every weight in a batch against (count(k) · P(k))^−β divided by the batch maximum. */
function assertWeights(batch: { indices: Int32Array; weights: Float32Array }, raw: (slot: number) => number): void {
  const expected = Array.from(batch.indices, raw);
  const max = Math.max(...expected);
  batch.weights.forEach((w, i) => {
    assert.ok(Math.abs(w - expected[i] / max) < 1e-6, `weight ${i}: expected ${expected[i] / max}, got ${w}`);
  });
}

test('uniform: P = 1/N and weights 1', () => {
  const sampler = createSampler({ kind: 'uniform' }, 8, 1);
  fill(sampler, [0, 0, 0, 0, 0]);
  close(sampler.probability(3), 1 / 5);
  assert.deepEqual(Array.from(draw(sampler, 4).weights), [1, 1, 1, 1]);
});

test('ranked by hand: priorities [0.5, 2, 1, 3], α = 1 → P = [3, 6, 4, 12] / 25; weights (N·P)^−β / max', () => {
  const sampler = createSampler({ kind: 'ranked', alpha: 1, beta: fixedBeta(0.5) }, 8, 1);
  fill(sampler, [0, 0, 0, 0], [0.5, 2, 1, 3]);
  // Ranks by descending priority: slot 3 → 1, slot 1 → 2, slot 2 → 3, slot 0 → 4; Σ 1/rank = 25/12.
  const expected = [3 / 25, 6 / 25, 4 / 25, 12 / 25];
  expected.forEach((p, slot) => {
    close(sampler.probability(slot), p, `slot ${slot}`);
  });
  for (let k = 0; k < 4; k++) assertWeights(draw(sampler, 4), (slot) => (4 * expected[slot]) ** -0.5);
});

test('ranked: a new experience enters with the largest priority so far and ranks first', () => {
  const sampler = createSampler({ kind: 'ranked', alpha: 1, beta: fixedBeta(1) }, 8, 1);
  fill(sampler, [0, 0, 0], [0.5, 4, 1]);
  sampler.add(3, 0); // priority 4 ties slot 1; ties rank the larger slot first
  close(sampler.probability(3), 12 / 25);
  close(sampler.probability(1), 6 / 25);
});

test('proportional by hand: priorities [1, 3], ε = 0, α = 1 → P = [1/4, 3/4]; α = 0.5 → [1, √3] / (1 + √3)', () => {
  const linear = createSampler({ kind: 'proportional', alpha: 1, epsilon: 0, beta: fixedBeta(1) }, 4, 1);
  fill(linear, [0, 0], [1, 3]);
  close(linear.probability(0), 0.25);
  close(linear.probability(1), 0.75);
  for (let k = 0; k < 4; k++) assertWeights(draw(linear, 2), (slot) => (2 * [0.25, 0.75][slot]) ** -1);
  const root = createSampler({ kind: 'proportional', alpha: 0.5, epsilon: 0, beta: fixedBeta(1) }, 4, 1);
  fill(root, [0, 0], [1, 3]);
  close(root.probability(1), Math.sqrt(3) / (1 + Math.sqrt(3)));
});

const hierarchical = (extra: Partial<SamplerConfig & { kind: 'hierarchical' }> = {}): SamplerConfig => ({
  kind: 'hierarchical',
  partitions: 2,
  valueRange: [0, 10],
  alpha: 1,
  beta: fixedBeta(0.5),
  ...extra,
});

test('hierarchical by hand (eq. 6–8): partition counts, ranks inside, weights (N_j · P_j[k])^−β / max', () => {
  const sampler = createSampler(hierarchical(), 5, 1) as HierarchicalSampler;
  // V = [1, 2, 7, 3, 8] → partitions [0, 0, 1, 0, 1]; N = [3, 2].
  fill(sampler, [1, 2, 7, 3, 8], [1, 3, 0.5, 2, 4]);
  assert.deepEqual(sampler.partitionCounts, [3, 2]);
  // Partition 0: slots 1, 3, 0 ranked 1, 2, 3 → 6/11, 3/11, 2/11; partition 1: slots 4, 2 → 2/3, 1/3.
  const inner = [2 / 11, 6 / 11, 1 / 3, 3 / 11, 2 / 3];
  const counts = [3, 3, 2, 3, 2];
  const overall = [6 / 55, 18 / 55, 2 / 15, 9 / 55, 4 / 15];
  overall.forEach((p, slot) => {
    close(sampler.probability(slot), p, `slot ${slot}`);
  });
  for (let k = 0; k < 6; k++) assertWeights(draw(sampler, 5), (slot) => (counts[slot] * inner[slot]) ** -0.5);
});

test('hierarchical: an overwritten experience leaves its partition and its window count', () => {
  const sampler = createSampler(hierarchical(), 5, 1) as HierarchicalSampler;
  fill(sampler, [1, 2, 7, 3, 8], [1, 3, 0.5, 2, 4]);
  sampler.add(0, 9); // replaces slot 0 (partition 0) with V = 9 (partition 1), priority 4 (the maximum so far)
  assert.deepEqual(sampler.partitionCounts, [2, 3]);
  // Partition 0: slots 1, 3 → 2/3, 1/3 of 2/5. Partition 1: slot 4 and slot 0 tie at 4, the larger slot first.
  close(sampler.probability(1), (2 / 5) * (2 / 3));
  close(sampler.probability(3), (2 / 5) * (1 / 3));
  close(sampler.probability(4), (3 / 5) * (6 / 11));
  close(sampler.probability(0), (3 / 5) * (3 / 11));
  close(sampler.probability(2), (3 / 5) * (2 / 11));
});

test('hierarchical sliding window: N_j counts only the last W additions; older ones stay drawable', () => {
  const sampler = createSampler(hierarchical({ windowSize: 3 }), 5, 1) as HierarchicalSampler;
  fill(sampler, [1, 2, 7, 3, 8], [1, 3, 0.5, 2, 4]);
  // The last 3 additions (slots 2, 3, 4) fall into partitions 1, 0, 1.
  assert.deepEqual(sampler.partitionCounts, [1, 2]);
  close(sampler.probability(0), (1 / 3) * (2 / 11));
  close(sampler.probability(4), (2 / 3) * (2 / 3));
  for (let k = 0; k < 6; k++)
    assertWeights(
      draw(sampler, 5),
      (slot) => ([1, 1, 2, 1, 2][slot] * [2 / 11, 6 / 11, 1 / 3, 3 / 11, 2 / 3][slot]) ** -0.5,
    );
});

test('hierarchical values outside [V_min, V_max] go to the end partitions', () => {
  const sampler = createSampler(hierarchical({ partitions: 3 }), 4, 1) as HierarchicalSampler;
  fill(sampler, [-50, 50, 5, 10]);
  assert.deepEqual(sampler.partitionCounts, [1, 1, 2]);
});

test('p = 1 reduces exactly to ranked: same probabilities, same draws, same weights', () => {
  for (const alpha of [0.7, 1]) {
    const beta = { start: 0.4, end: 1, steps: 50 };
    const ranked = createSampler({ kind: 'ranked', alpha, beta }, 300, 42);
    const single = createSampler({ kind: 'hierarchical', partitions: 1, valueRange: [0, 1], alpha, beta }, 300, 42);
    const rng = new Rng(7);
    const batch = 16;
    for (let t = 0; t < 1000; t++) {
      const v = rng.random() * 3 - 1;
      ranked.add(t % 300, v);
      single.add(t % 300, v);
      if (t >= batch && t % 10 === 0) {
        const a = draw(ranked, batch);
        const b = draw(single, batch);
        assert.deepEqual(b.indices, a.indices);
        assert.deepEqual(b.weights, a.weights);
        const priorities = Array.from({ length: batch }, () => rng.int(5) * 0.25);
        ranked.updatePriorities(a.indices, priorities);
        single.updatePriorities(b.indices, priorities);
      }
    }
    for (let slot = 0; slot < 300; slot++) assert.equal(single.probability(slot), ranked.probability(slot));
  }
});

test('one experience per partition reduces to uniform: P = 1/n and weights 1', () => {
  const n = 6;
  const sampler = createSampler(
    hierarchical({ partitions: n, valueRange: [0, n], alpha: 0.7, beta: fixedBeta(1) }),
    n,
    1,
  );
  fill(sampler, [0.5, 1.5, 2.5, 3.5, 4.5, 5.5], [5, 0.1, 3, 2, 9, 0.3]);
  for (let slot = 0; slot < n; slot++) close(sampler.probability(slot), 1 / n, `slot ${slot}`);
  assert.deepEqual(Array.from(draw(sampler, n).weights), new Array(n).fill(1));
  const counts = chiSquareCounts(sampler, n, 60_000);
  assertChiSquare(counts, new Array(n).fill(1 / n));
});

/** Counts of each slot over `draws` draws in batches of `slots` (a batch may not exceed the memory). */
function chiSquareCounts(sampler: Sampler, slots: number, draws: number): number[] {
  const counts = new Array(slots).fill(0);
  const indices = new Int32Array(slots);
  const weights = new Float32Array(slots);
  for (let done = 0; done < draws; done += slots) {
    sampler.sample(indices, weights);
    for (const slot of indices) counts[slot]++;
  }
  return counts;
}

/** Pearson χ² against `expected` probabilities, below the 0.1 % critical value (Wilson–Hilferty). */
function assertChiSquare(counts: number[], expected: number[]): void {
  const total = counts.reduce((a, b) => a + b, 0);
  let chi = 0;
  counts.forEach((c, i) => {
    chi += (c - total * expected[i]) ** 2 / (total * expected[i]);
  });
  const df = counts.length - 1;
  const critical = df * (1 - 2 / (9 * df) + 3.09 * Math.sqrt(2 / (9 * df))) ** 3;
  assert.ok(chi < critical, `χ² = ${chi.toFixed(1)} ≥ critical ${critical.toFixed(1)} (df ${df})`);
  // A test that cannot fail is a defect: the same counts against a distorted distribution must fail.
  const distorted = expected.map((p, i) => (i === 0 ? p * 1.2 : p));
  const sum = distorted.reduce((a, b) => a + b, 0);
  let chiDistorted = 0;
  counts.forEach((c, i) => {
    chiDistorted += (c - (total * distorted[i]) / sum) ** 2 / ((total * distorted[i]) / sum);
  });
  assert.ok(chiDistorted > critical, `a 20 % distortion of slot 0 went unnoticed (χ² ${chiDistorted.toFixed(1)})`);
}

/** eq. 6–8 computed from scratch: partitions by value, ranks by descending priority (ties: larger slot first). */
function expectedHierarchical(
  values: number[],
  priorities: number[],
  p: number,
  range: [number, number],
  alpha: number,
): number[] {
  const partitionOf = values.map((v) =>
    Math.min(p - 1, Math.max(0, Math.floor(((v - range[0]) / (range[1] - range[0])) * p))),
  );
  const result = new Array(values.length).fill(0);
  for (let j = 0; j < p; j++) {
    const members = values.map((_, slot) => slot).filter((slot) => partitionOf[slot] === j);
    members.sort((a, b) => Math.fround(priorities[b]) - Math.fround(priorities[a]) || b - a);
    const total = members.reduce((sum, _, r) => sum + (r + 1) ** -alpha, 0);
    members.forEach((slot, r) => {
      result[slot] = (members.length / values.length) * ((r + 1) ** -alpha / total);
    });
  }
  return result;
}

test('χ² over 10⁵ draws: ranked, proportional and hierarchical match eq. 6–8 computed from scratch', () => {
  const rng = new Rng(99);
  const n = 60;
  const values = Array.from({ length: n }, () => rng.random() * 12 - 1);
  const priorities = Array.from({ length: n }, () => rng.random() * 2);
  const beta = fixedBeta(0.5);
  const cases: [SamplerConfig, number[]][] = [
    [{ kind: 'ranked', alpha: 0.7, beta }, expectedHierarchical(values, priorities, 1, [0, 10], 0.7)],
    [
      { kind: 'hierarchical', partitions: 4, valueRange: [0, 10], alpha: 0.7, beta },
      expectedHierarchical(values, priorities, 4, [0, 10], 0.7),
    ],
    [
      { kind: 'proportional', alpha: 0.6, epsilon: 0.01, beta },
      (() => {
        const w = priorities.map((q) => (Math.fround(q) + 0.01) ** 0.6);
        const total = w.reduce((a, b) => a + b, 0);
        return w.map((x) => x / total);
      })(),
    ],
  ];
  for (const [config, expected] of cases) {
    const sampler = createSampler(config, n, 5);
    fill(sampler, values, priorities);
    expected.forEach((p, slot) => {
      assert.ok(Math.abs(sampler.probability(slot) - p) < 1e-9, `${config.kind} slot ${slot}`);
    });
    assertChiSquare(chiSquareCounts(sampler, n, 100_000), expected);
  }
});

test('hierarchical with a proportional inner rule: P = N_j/ΣN · (p + ε)^α / Σ_partition', () => {
  const sampler = createSampler(hierarchical({ inner: 'proportional', epsilon: 0 }), 4, 1);
  fill(sampler, [1, 2, 7, 8], [1, 3, 2, 2]);
  close(sampler.probability(0), 0.5 * 0.25);
  close(sampler.probability(1), 0.5 * 0.75);
  close(sampler.probability(2), 0.5 * 0.5);
});

test('bad input is refused with the value named, before anything changes', () => {
  const beta = fixedBeta(0.5);
  assert.throws(() => createSampler({ kind: 'ranked', alpha: 1.5, beta }, 4, 1), /alpha must be in \[0, 1\], got 1.5/);
  assert.throws(
    () => createSampler({ kind: 'ranked', alpha: 0.5, beta: { start: 0.4, end: 2, steps: 1 } }, 4, 1),
    /beta end must be in \[0, 1\], got 2/,
  );
  assert.throws(
    () => createSampler(hierarchical({ partitions: 0 }), 4, 1),
    /partitions p must be an integer in \[1, 255\], got 0/,
  );
  assert.throws(() => createSampler(hierarchical({ valueRange: [3, 3] }), 4, 1), /finite V_min < V_max, got \[3, 3\]/);
  assert.throws(
    () => createSampler(hierarchical({ windowSize: 9 }), 4, 1),
    /windowSize must be an integer in \[1, capacity = 4\], got 9/,
  );
  assert.throws(() => createSampler({ kind: 'sorted' } as unknown as SamplerConfig, 4, 1), /got 'sorted'/);
  for (const config of [{ kind: 'uniform' } as const, { kind: 'ranked', alpha: 0.5, beta } as const, hierarchical()]) {
    const sampler = createSampler(config, 4, 1);
    assert.throws(() => draw(sampler, 1), /memory holds 0 experiences, a batch of 1 needs at least 1/);
    fill(sampler, [1, 2, 3]);
    assert.throws(() => draw(sampler, 4), /memory holds 3 experiences, a batch of 4 needs at least 4/);
    const before = [0, 1, 2].map((slot) => sampler.probability(slot));
    assert.throws(() => sampler.updatePriorities([0, 1], [2, Number.NaN]), /finite and >= 0, got NaN at position 1/);
    assert.throws(() => sampler.updatePriorities([0, 1], [2, -1]), /got -1 at position 1/);
    assert.throws(
      () => sampler.updatePriorities([0, 3], [2, 1]),
      /index 3 at position 1 is not a stored experience \(memory holds 3\)/,
    );
    assert.throws(() => sampler.updatePriorities([0], [1, 2]), /got 1 indices but 2 priorities/);
    assert.deepEqual(
      [0, 1, 2].map((slot) => sampler.probability(slot)),
      before,
    );
    assert.throws(() => sampler.add(2, 0), /ring order: expected slot 3, got 2/);
  }
});
