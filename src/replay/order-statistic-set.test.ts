import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../util/rng';
import { OrderStatisticSet } from './order-statistic-set';

test('select, positionOf and size agree with a sorted array through splits, merges and emptying', () => {
  const rng = new Rng(3);
  const set = new OrderStatisticSet(6000);
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
});

test('removing a key that is absent is an internal error, not a silent no-op', () => {
  const set = new OrderStatisticSet(10);
  set.insert(5);
  assert.throws(() => set.remove(6), /key 6 is not in the ordered set/);
  assert.equal(set.size, 1);
});
