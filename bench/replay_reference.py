"""Reference for bench/replay.ts: PyPI cpprb 11.0.0 PrioritizedReplayBuffer (proportional, C++ sum and min trees).

Usage: replay_reference.py SIZE H,W,C DTYPE NUM_ACTIONS
Fills SIZE experiences (obs, teacher q, action, reward, done: the fields our memory stores) and prints
{"ready": true, "bytesPerExperience": resident-memory growth / SIZE}. Then, for every line "OPS" read
from stdin, times OPS operations (sample(32) + update_priorities(32 random priorities)) and prints
{"opsPerCpuSecond": x, "opsPerSecond": y} (process CPU time, wall time), so that the benchmark can interleave its rounds with ours under the same machine load.
cpprb's generator cannot be seeded; numpy's generator for the priorities is.
"""
import json
import sys
import time

import numpy as np
from cpprb import PrioritizedReplayBuffer


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


def main():
    size, shape, dtype, num_actions = sys.argv[1:5]
    size, num_actions = int(size), int(num_actions)
    shape = tuple(int(d) for d in shape.split(","))
    obs_dtype = np.bool_ if dtype == "bool" else np.uint8
    rng = np.random.default_rng(1)
    before = rss_bytes()
    buffer = PrioritizedReplayBuffer(
        size,
        {
            "obs": {"shape": shape, "dtype": obs_dtype},
            "q": {"shape": (num_actions,), "dtype": np.float32},
            "act": {"dtype": np.uint8},
            "rew": {"dtype": np.float32},
            "done": {"dtype": np.uint8},
        },
        alpha=0.7,
        eps=1e-4,
    )
    chunk = 10_000
    if dtype == "bool":
        obs = (rng.random((chunk, *shape)) < 0.3).astype(obs_dtype)
    else:
        obs = rng.integers(0, 256, (chunk, *shape), dtype=np.uint8)
    q = rng.random((chunk, num_actions), dtype=np.float32)
    for start in range(0, size, chunk):
        n = min(chunk, size - start)
        zeros = np.zeros(n, np.uint8)
        buffer.add(obs=obs[:n], q=q[:n], act=zeros, rew=zeros.astype(np.float32), done=zeros)
    print(json.dumps({"ready": True, "bytesPerExperience": (rss_bytes() - before) / size}), flush=True)

    def op():
        s = buffer.sample(32, beta=0.5)
        buffer.update_priorities(s["indexes"], rng.random(32))

    for _ in range(500):  # warm-up
        op()
    for line in sys.stdin:
        ops = int(line)
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(ops):
            op()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(json.dumps({"opsPerCpuSecond": ops / cpu, "opsPerSecond": ops / wall}), flush=True)


if __name__ == "__main__":
    main()
