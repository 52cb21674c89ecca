import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { test } from 'node:test';
import { threadShare } from './parallel-runs';

test("each child's TensorFlow gets its share of the cores, at least one thread, one inter-op thread", () => {
  const cores = availableParallelism();
  assert.deepEqual(threadShare(1), { TF_NUM_INTRAOP_THREADS: String(cores), TF_NUM_INTEROP_THREADS: '1' });
  assert.equal(threadShare(cores).TF_NUM_INTRAOP_THREADS, '1');
  assert.equal(threadShare(cores * 3).TF_NUM_INTRAOP_THREADS, '1');
  if (cores >= 4) assert.equal(threadShare(2).TF_NUM_INTRAOP_THREADS, String(Math.floor(cores / 2)));
});
