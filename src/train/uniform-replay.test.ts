import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../util/rng';
import { UniformReplay } from './uniform-replay';

const obs = (value: number) => Uint8Array.of(value, value + 1);

function filled(capacity: number, additions: number, seed = 3): UniformReplay {
  const replay = new UniformReplay(capacity, 2, seed);
  for (let i = 0; i < additions; i++) replay.add(obs(10 * i), i % 3, i / 2, i % 4 === 3, obs(10 * i + 5));
  return replay;
}

test('samples slots uniformly with the replay generator, scaling observations and zeroing terminal discounts', () => {
  const replay = filled(4, 6); // slots hold additions 4, 5, 2, 3
  const batch = replay.allocateBatch(3);
  replay.sample(batch, 0.9, 0.5);
  const draws = new Rng(3);
  const slots = [draws.int(4), draws.int(4), draws.int(4)];
  const additionAt = [4, 5, 2, 3];
  const expected = slots.map((s) => additionAt[s]);
  assert.deepEqual(
    [...batch.actions],
    expected.map((i) => i % 3),
  );
  assert.deepEqual(
    [...batch.rewards],
    expected.map((i) => i / 2),
  );
  assert.deepEqual(
    [...batch.discounts],
    expected.map((i) => (i % 4 === 3 ? 0 : Math.fround(0.9))),
  );
  assert.deepEqual(
    [...batch.observations],
    expected.flatMap((i) => [5 * i, (10 * i + 1) / 2]),
  );
  assert.deepEqual(
    [...batch.nextObservations],
    expected.flatMap((i) => [(10 * i + 5) / 2, (10 * i + 6) / 2]),
  );
});

test('a restored replay samples exactly what the original does', () => {
  const original = filled(8, 5);
  const copy = new UniformReplay(8, 2, 99);
  copy.setState(original.getState());
  assert.equal(copy.size, 5);
  const a = original.allocateBatch(16);
  const b = copy.allocateBatch(16);
  original.sample(a, 0.99);
  copy.sample(b, 0.99);
  assert.deepEqual(b, a);
});

test('bad input is named', () => {
  assert.throws(() => new UniformReplay(0, 2, 1), { message: 'replay capacity must be an integer >= 1, got 0' });
  const replay = new UniformReplay(2, 2, 1);
  assert.throws(() => replay.add(Uint8Array.of(1), 0, 0, false, obs(1)), {
    message: 'replay stores observations of 2 bytes, got 1 and 2',
  });
  assert.throws(() => replay.sample(replay.allocateBatch(1), 0.9), { message: 'cannot sample from an empty replay' });
  assert.throws(() => replay.setState({ ...filled(2, 1).getState(), actions: new Int32Array(2) }), {
    message: "replay state 'actions' has 2 values, a replay of capacity 2 with 1 additions needs 1",
  });
});
