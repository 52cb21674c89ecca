import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyThreadPools, commandThreadPools, threadShare } from './thread-pools';

test("each process's TensorFlow gets its share of the cores, at least one thread, one inter-op thread", () => {
  assert.deepEqual(threadShare(1, 8), { TF_NUM_INTRAOP_THREADS: '8', TF_NUM_INTEROP_THREADS: '1' });
  assert.equal(threadShare(2, 8).TF_NUM_INTRAOP_THREADS, '4');
  assert.equal(threadShare(3, 8).TF_NUM_INTRAOP_THREADS, '2');
  assert.equal(threadShare(2, 2).TF_NUM_INTRAOP_THREADS, '1');
  assert.equal(threadShare(6, 2).TF_NUM_INTRAOP_THREADS, '1');
});

test('a MinAtar teacher trains on one thread; other commands keep the defaults', () => {
  const one = { TF_NUM_INTRAOP_THREADS: '1', TF_NUM_INTEROP_THREADS: '1' };
  assert.deepEqual(
    commandThreadPools(['node', 'distill-lab', 'teach', '--suite', 'minatar', '--game', 'asterix']),
    one,
  );
  assert.deepEqual(commandThreadPools(['node', 'distill-lab', 'teach', '--game', 'asterix', '--suite=minatar']), one);
  assert.equal(commandThreadPools(['node', 'distill-lab', 'teach', '--suite', 'atari', '--game', 'pong']), null);
  assert.equal(commandThreadPools(['node', 'distill-lab', 'reproduce', '--suite', 'minatar']), null);
  assert.equal(commandThreadPools(['node', 'distill-lab', 'teach', '--suite']), null);
});

test("the user's variables win over the chosen pools", () => {
  const env: NodeJS.ProcessEnv = { TF_NUM_INTRAOP_THREADS: '2' };
  applyThreadPools(threadShare(2, 2), env);
  assert.deepEqual(env, { TF_NUM_INTRAOP_THREADS: '2', TF_NUM_INTEROP_THREADS: '1' });
  applyThreadPools(null, env);
  assert.deepEqual(env, { TF_NUM_INTRAOP_THREADS: '2', TF_NUM_INTEROP_THREADS: '1' });
});
