"""ale_py's own vector environment (AtariVectorEnv, C++ threads) timed for bench/envs/atari.ts.

Reads lines "NUM_ENVS NUM_THREADS BATCH_STEPS" on stdin and answers each with the seconds that many
batch steps took, wall clock and CPU (all threads of the process), as "WALL CPU" (random legal
actions drawn beforehand), so the benchmark can interleave its runs
with ours. Settings match ours: Breakout, full action set, frame skip 4 with max-pooling, 84x84
grayscale, 4-stack, up to 30 no-ops, clipped rewards, no episodic life, no FIRE on reset, sticky 0.
"""

import sys
import time

import numpy as np
from ale_py.vector_env import AtariVectorEnv

envs = {}
rng = np.random.default_rng(2)
legal = np.array([0, 1, 3, 4])  # Breakout's minimal set, as indices into the full set

for line in sys.stdin:
    num_envs, num_threads, steps = map(int, line.split())
    key = (num_envs, num_threads)
    if key not in envs:
        env = AtariVectorEnv(
            "breakout", num_envs, num_threads=num_threads, full_action_space=True, frameskip=4, maxpool=True,
            noop_max=30, reward_clipping=True, episodic_life=False, use_fire_reset=False,
            repeat_action_probability=0.0, stack_num=4, img_height=84, img_width=84, grayscale=True,
        )
        env.reset(seed=1)
        envs[key] = env
    env = envs[key]
    actions = legal[rng.integers(0, len(legal), size=(steps, num_envs))]
    start, start_cpu = time.perf_counter(), time.process_time()
    for t in range(steps):
        env.step(actions[t])
    print(time.perf_counter() - start, time.process_time() - start_cpu, flush=True)
