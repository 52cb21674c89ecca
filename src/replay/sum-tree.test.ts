import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SumTree } from './sum-tree';

test('findMany: each uniform lands on the leaf where the running sum passes u · total, never on a zero weight', () => {
  // 100 leaves over three levels; weights 2 at leaf 9, 1 at leaf 40, 3 at leaf 99, zero elsewhere (total 6).
  const tree = new SumTree(100);
  tree.set(9, 2);
  tree.set(40, 1);
  tree.set(99, 3);
  assert.equal(tree.total, 6);
  const uniforms = Float64Array.from([0, 1 / 6, 2 / 6 - 1e-12, 2 / 6, 0.5 - 1e-12, 0.5, 1 - 2 ** -53]);
  const out = new Int32Array(uniforms.length);
  tree.findMany(uniforms, tree.total, uniforms.length, out);
  assert.deepEqual(Array.from(out), [9, 9, 9, 40, 40, 99, 99]);
});

test('findMany: a target rounded a hair above the children sum takes the last leaf with weight', () => {
  const tree = new SumTree(20);
  tree.set(3, 0.1);
  tree.set(11, 0.2);
  const out = new Int32Array(1);
  // A total slightly larger than the true sum stands for accumulated rounding.
  tree.findMany(Float64Array.from([1 - 2 ** -53]), tree.total * (1 + 1e-9), 1, out);
  assert.equal(out[0], 11);
});

test('touch reads ahead and changes nothing', () => {
  const tree = new SumTree(1000);
  for (let i = 0; i < 1000; i += 7) tree.set(i, i + 1);
  const before = Array.from({ length: 1000 }, (_, i) => tree.leaf(i));
  const total = tree.total;
  tree.touch([0, 7, 999, 500], 4);
  assert.equal(tree.total, total);
  assert.deepEqual(
    Array.from({ length: 1000 }, (_, i) => tree.leaf(i)),
    before,
  );
});
