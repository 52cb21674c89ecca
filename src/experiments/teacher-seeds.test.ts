import assert from 'node:assert/strict';
import { test } from 'node:test';
import { medianSeed } from './teacher-seeds';

test('the shipped seed is the median by final mean return; of an even count, the lower middle one', () => {
  const runs = [
    { seed: 0, meanReturn: 30 },
    { seed: 1, meanReturn: 10 },
    { seed: 2, meanReturn: 20 },
  ];
  assert.equal(medianSeed(runs), 2);
  assert.equal(medianSeed(runs.slice(0, 2)), 1);
  assert.equal(medianSeed([{ seed: 7, meanReturn: 1 }]), 7);
  // Ties go to the lower seed.
  assert.equal(
    medianSeed([
      { seed: 4, meanReturn: 5 },
      { seed: 3, meanReturn: 5 },
      { seed: 9, meanReturn: 6 },
    ]),
    4,
  );
  assert.throws(() => medianSeed([]), { message: 'the median seed of no runs is undefined' });
});
