import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../util/rng';
import { OrderStatisticSet } from './order-statistic-set';

for (const block of [4, 16, 256]) {
  test(`blocks of ${block}: select, positionOf and size agree with a sorted array through splits, merges, rebalancing and emptying`, () => {
    checkAgainstSortedArray(new OrderStatisticSet(6000, block));
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
});

test('an under-full block next to a nearly full one is evened out, in both directions (blocks of 16)', () => {
  // Ascending inserts leave blocks of 16 keys: [0–15] [16–31] [32–47] [48–63] (a block splits at 32).
  const set = new OrderStatisticSet(100, 16);
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
    for (const [i, key] of reference.entries()) assert.equal(set.select(i), key, `position ${i}`);
  };
  for (let k = 0; k < 64; k++) insert(k);
  // Fill block [16–31] to 31 keys, then shrink block [0–15] below 4: 3 + 31 ≥ 32 keys are split evenly.
  for (let k = 0; k < 15; k++) insert(16.5 + k);
  for (let k = 0; k < 13; k++) remove(k);
  expectSame();
  // Fill block [48–63] to 31 keys from the left side's view: shrink the last block while its left neighbour is full.
  for (let k = 0; k < 15; k++) insert(32.5 + k);
  for (let k = 48; k < 61; k++) remove(k);
  expectSame();
  assert.equal(set.size, reference.length);
});
