import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pairwiseImprovement, probabilityOfImprovement } from './improvement';

test('pairwiseImprovement counts wins and half ties over all pairs', () => {
  // 3>1, 3=3 (½), 4>1, 4>3 → 3.5 of 4 pairs.
  assert.equal(pairwiseImprovement([3, 4], [1, 3]), 0.875);
  assert.equal(pairwiseImprovement([1, 1], [1, 2]), 0.25);
  assert.equal(pairwiseImprovement([2, 5], [2, 5]), 0.5);
  assert.throws(() => pairwiseImprovement([], [1]), /got 0 and 1/);
});

test('probabilityOfImprovement averages the per-game probabilities', () => {
  const x = [
    [3, 1],
    [4, 1],
  ];
  const y = [
    [1, 1],
    [3, 2],
  ];
  assert.equal(probabilityOfImprovement(x, y), (0.875 + 0.25) / 2);
  assert.equal(probabilityOfImprovement(y, x), (0.125 + 0.75) / 2);
  assert.throws(() => probabilityOfImprovement(x, [[1, 2, 3]]), /x has 2 games but y has 3/);
});
