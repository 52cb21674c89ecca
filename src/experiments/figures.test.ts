import assert from 'node:assert/strict';
import { test } from 'node:test';
import { table } from 'arquero';
import { FIGURES } from './figures';

test('every registered figure has a unique kebab-case name and declares the tables it reads', () => {
  const names = FIGURES.map((entry) => entry.name);
  assert.equal(new Set(names).size, names.length);
  for (const entry of FIGURES) {
    assert.match(entry.name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    assert.ok(Object.keys(entry.tables).length > 0, `${entry.name} reads no table`);
  }
});

test('backend-speed: median and quartiles of GFLOP/s per matrix size', () => {
  // n = 100: 2·100³ flops = 2 MFLOP, so 1, 2, 3, 4 ms give 2, 1, 0.667, 0.5 GFLOP/s.
  const speed = table({
    operation: ['matMul', 'matMul', 'matMul', 'matMul', 'other'],
    size: [100, 100, 100, 100, 100],
    backend: ['native-cpu', 'native-cpu', 'native-cpu', 'native-cpu', 'native-cpu'],
    repeat: [0, 1, 2, 3, 0],
    ms: [1, 2, 3, 4, 1000],
  });
  const entry = FIGURES.find((figure) => figure.name === 'backend-speed')!;
  const [bars] = entry.build({ 'backend-speed': speed }).data;
  assert.deepEqual(bars.x, ['100 × 100']);
  assert.equal(bars.name, 'native-cpu');
  const median = (bars.y as number[])[0];
  assert.ok(Math.abs(median - (1 + 2 / 3) / 2) < 1e-12, `median ${median}`);
  // Quartiles interpolate linearly between sorted values 0.5, 0.667, 1, 2: q1 = 0.625, q3 = 1.25.
  const whiskers = bars.error_y as { array: number[]; arrayminus: number[] };
  assert.ok(Math.abs(median - whiskers.arrayminus[0] - 0.625) < 1e-12);
  assert.ok(Math.abs(median + whiskers.array[0] - 1.25) < 1e-12);
});
