import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../util/rng';
import { OrderStatisticSet } from './order-statistic-set';

for (const [leaf, fanout] of [
  [4, 4],
  [8, 4],
  [4, 16],
  [64, 64],
] as const) {
  test(`leaves of ${leaf}, branches of ${fanout}: select, selectMany, positionOf and size agree with a sorted array through splits, merges, rebalancing and emptying`, () => {
    checkAgainstSortedArray(new OrderStatisticSet(6000, leaf, fanout));
  });
}

function checkAgainstSortedArray(set: OrderStatisticSet): void {
  const rng = new Rng(3);
  const reference: number[] = [];
  const check = () => {
    assert.equal(set.size, reference.length);
    for (let k = 0; k < 40 && reference.length > 0; k++) {
      const i = rng.int(reference.length);
      assert.equal(set.select(i), reference[i]);
      assert.equal(set.positionOf(reference[i]), i);
    }
    if (reference.length > 0) {
      assert.equal(set.select(0), reference[0]);
      assert.equal(set.select(reference.length - 1), reference[reference.length - 1]);
      const positions = Int32Array.from({ length: 33 }, () => rng.int(reference.length));
      const keys = new Float64Array(33);
      set.selectMany(positions, keys, 33);
      assert.deepEqual(
        Array.from(keys),
        Array.from(positions, (i) => reference[i]),
      );
    }
  };
  const insert = (key: number) => {
    set.insert(key);
    let at = 0;
    while (at < reference.length && reference[at] < key) at++;
    reference.splice(at, 0, key);
  };
  const removeAt = (i: number) => {
    set.remove(reference[i]);
    reference.splice(i, 1);
  };
  // Grow to 5000 distinct keys (many block splits), shrink to 0 (merges, the last block emptied), regrow.
  const keys = new Set<number>();
  while (keys.size < 5000) keys.add(rng.int(1 << 30));
  let n = 0;
  for (const key of keys) {
    insert(key);
    if (++n % 500 === 0) check();
  }
  while (reference.length > 0) {
    removeAt(rng.int(reference.length));
    if (reference.length % 500 === 0) check();
  }
  for (let k = 0; k < 1500; k++) {
    if (reference.length > 0 && rng.int(3) === 0) removeAt(rng.int(reference.length));
    else insert(rng.int(1 << 30) + 0.5);
    if (k % 100 === 0) check();
  }
  check();
}

test('removing a key that is absent is an internal error, not a silent no-op', () => {
  const set = new OrderStatisticSet(10);
  set.insert(5);
  assert.throws(() => set.remove(6), /key 6 is not in the ordered set/);
  assert.equal(set.size, 1);
  set.remove(5);
  // An emptied set keeps nothing that a later removal could find.
  assert.throws(() => set.remove(5), /key 5 is not in the ordered set/);
  assert.throws(() => set.positionOf(5), /key 5 is not in the ordered set/);
});

test('an under-full leaf next to a nearly full one is evened out, in both directions (leaves of 8)', () => {
  // Ascending inserts leave leaves of 4 keys: [0–3] [4–7] [8–11] [12–15] (a leaf splits when it holds 8).
  const set = new OrderStatisticSet(100, 8, 8);
  const reference: number[] = [];
  const insert = (key: number) => {
    set.insert(key);
    reference.push(key);
    reference.sort((a, b) => a - b);
  };
  const remove = (key: number) => {
    set.remove(key);
    reference.splice(reference.indexOf(key), 1);
  };
  const expectSame = () => {
    assert.equal(set.size, reference.length);
    for (const [i, key] of reference.entries()) {
      assert.equal(set.select(i), key, `position ${i}`);
      assert.equal(set.positionOf(key), i, `key ${key}`);
    }
  };
  for (let k = 0; k < 16; k++) insert(k);
  // Fill leaf [4–7] to 7 keys, then shrink leaf [0–3] below 2: 1 + 7 ≥ 8 keys are split evenly to the left.
  for (const key of [4.5, 5.5, 6.5]) insert(key);
  for (const key of [0, 1, 2]) remove(key);
  expectSame();
  // Fill leaf [8–11] to 7 keys, then shrink the last leaf: its left neighbour gives keys to the right.
  for (const key of [8.5, 9.5, 10.5]) insert(key);
  for (const key of [13, 14, 15]) remove(key);
  expectSame();
  // Emptying the set and filling it again starts from a fresh tree.
  for (const key of [...reference]) remove(key);
  expectSame();
  for (let k = 0; k < 40; k++) insert(40 - k);
  expectSame();
});

test('leaves and branches smaller than 4 entries are refused', () => {
  assert.throws(() => new OrderStatisticSet(10, 2, 8), /leaves and branches need room for >= 4 entries, got 2 and 8/);
});
