import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Rng } from '../util/rng';
import { readCheckpoint } from './checkpoint-file';
import { jsonCheckpoint, rngCheckpoint, runIdentityCheckpoint } from './checkpoint-parts';
import { type Checkpointable, Checkpointer } from './checkpointer';

const dir = mkdtempSync(join(tmpdir(), 'checkpointer-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A part with an array of its own: a table of float32 values, restored in place. */
const tablePart = (values: Float32Array): Checkpointable => ({
  checkpointState: () => ({ meta: {}, arrays: { 'table/values': values } }),
  restoreCheckpointState: (saved) => values.set(saved.array('table/values', Float32Array)),
});

/** A small run's state: counters, a log, generators and a table, with the checkpointer over all of it. */
function smallRun(path: string, config: object = { gamma: 0.9 }) {
  const state = {
    counters: { step: 0, episodes: 0 },
    log: [] as number[],
    actRng: new Rng(1),
    evaluationRng: new Rng(2),
    rng: new Rng(3),
    table: new Float32Array(3),
  };
  const checkpointer = new Checkpointer(
    path,
    'test-run',
    {
      run: runIdentityCheckpoint(config, { envId: 'test/corridor' }),
      counters: jsonCheckpoint('counters', state.counters),
      log: jsonCheckpoint('log', state.log),
      rngs: rngCheckpoint('rngs', { act: state.actRng, evaluation: state.evaluationRng }),
      rng: rngCheckpoint('rng', state.rng),
      table: tablePart(state.table),
    },
    () => state.counters.step,
  );
  return { state, checkpointer };
}

test('a checkpointer writes its named parts as one file and restores each of them exactly', () => {
  const path = join(dir, 'run.dlck');
  const { state, checkpointer } = smallRun(path);
  assert.equal(checkpointer.last, null);
  Object.assign(state.counters, { step: 40, episodes: 3 });
  state.log.push(1.5, -2);
  state.actRng.nextUint32();
  state.table.set([0.25, -1, 3]);
  const heard: [string, number][] = [];
  const timing = { checkpoint: 0 };
  checkpointer.save(timing, { onCheckpoint: (p, step) => heard.push([p, step]) });
  assert.deepEqual(heard, [[path, 40]]);
  assert.deepEqual(checkpointer.last, { path, step: 40 });
  // The parts' names in the file are their own: the meta entries and arrays of each, in the parts' order.
  const { meta, arrays } = readCheckpoint(path, 'test-run');
  assert.deepEqual(meta, {
    config: { gamma: 0.9 },
    envId: 'test/corridor',
    counters: { step: 40, episodes: 3 },
    log: [1.5, -2],
    rngs: { act: state.actRng.getState(), evaluation: new Rng(2).getState() },
    rng: new Rng(3).getState(),
  });
  assert.deepEqual(arrays, { 'table/values': Float32Array.of(0.25, -1, 3) });

  // A fresh run of the same configuration takes every part back, and its generators go on as the saved ones do.
  const fresh = smallRun(path);
  fresh.checkpointer.restore();
  assert.deepEqual(fresh.checkpointer.last, { path, step: 40 });
  assert.deepEqual(fresh.state.counters, { step: 40, episodes: 3 });
  assert.deepEqual(fresh.state.log, [1.5, -2]);
  assert.deepEqual(fresh.state.table, Float32Array.of(0.25, -1, 3));
  for (const key of ['actRng', 'evaluationRng', 'rng'] as const) {
    assert.equal(fresh.state[key].nextUint32(), state[key].nextUint32(), key);
  }
});

test('a checkpoint of another run is refused, naming what differs, before any part changes', () => {
  const path = join(dir, 'other.dlck');
  const saved = smallRun(path);
  saved.state.counters.step = 12;
  saved.checkpointer.save({ checkpoint: 0 });
  const other = smallRun(path, { gamma: 0.5, batchSize: 4 });
  assert.throws(() => other.checkpointer.restore(), {
    message: `${path}: checkpoint was made with a different configuration (differs in: gamma, batchSize)`,
  });
  assert.deepEqual(other.state.counters, { step: 0, episodes: 0 });
  assert.equal(other.checkpointer.last, null);
  const game = new Checkpointer(path, 'test-run', { run: runIdentityCheckpoint({}, { envId: 'test/pairs' }) }, () => 0);
  assert.throws(() => game.restore(), {
    message: `${path}: checkpoint is of test/corridor, this run is of test/pairs`,
  });
  const games = new Checkpointer(
    path,
    'test-run',
    { run: runIdentityCheckpoint({}, { gameIds: ['a', 'b'] }) },
    () => 0,
  );
  assert.throws(() => games.restore(), { message: `${path}: checkpoint has no 'gameIds'` });
});

test('what a part misses in a checkpoint is refused naming the file, and two parts may not save one name', () => {
  const path = join(dir, 'parts.dlck');
  const { checkpointer } = smallRun(path);
  checkpointer.save({ checkpoint: 0 });
  const wrongType: Checkpointable = {
    checkpointState: () => ({ meta: {}, arrays: {} }),
    restoreCheckpointState: (saved) => saved.array('table/values', Int32Array),
  };
  assert.throws(() => new Checkpointer(path, 'test-run', { table: wrongType }, () => 0).restore(), {
    message: `${path}: array 'table/values' is missing or not of type Int32Array`,
  });
  const missing = jsonCheckpoint('episodes', []);
  assert.throws(() => new Checkpointer(path, 'test-run', { episodes: missing }, () => 0).restore(), {
    message: `${path}: checkpoint has no 'episodes'`,
  });
  const twice = new Checkpointer(
    path,
    'test-run',
    { steps: jsonCheckpoint('counters', {}), updates: jsonCheckpoint('counters', {}) },
    () => 0,
  );
  assert.throws(() => twice.save({ checkpoint: 0 }), {
    message: "checkpoint parts 'steps' and 'updates' both save meta entry 'counters'",
  });
});
