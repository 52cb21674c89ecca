"""Reference trajectories from Gymnasium's AtariPreprocessing + FrameStackObservation over ale_py.

Run by the frame-for-frame tests (env.test.ts) with .venv/bin/python. Reads a JSON list of jobs on
stdin (one process for all: importing Gymnasium and OpenCV is the slow part), each
  {"rom": path, "seed": int, "actions": [..], "noops": int, "sticky": float, "episodicLife": bool,
   "stopAtTerminal": bool, "observations": path}
writes every observation (84x84x4, H x W x C like ours: the stack axis moved last) to `observations`
and prints a list of {"rewards": [...], "terminated": [...], "truncated": [...]} on stdout.
After a terminal or truncated step the episode is reset and the reset's observation follows the
terminal one.
"""

import json
import sys

import ale_py
import gymnasium as gym
import numpy as np
from gymnasium.wrappers import AtariPreprocessing, FrameStackObservation


class FixedNoops:
    """Stands in for the env's np_random so that the no-op start count is the one our emulator drew."""

    def __init__(self, count):
        self.count = count

    def integers(self, low, high):
        assert low <= self.count < high, (low, self.count, high)
        return self.count


def run(job):
    env = gym.make(
        "ALE/Pong-v5",  # any id: the ROM is replaced below
        frameskip=1,
        repeat_action_probability=job["sticky"],
        full_action_space=True,
        max_num_frames_per_episode=108_000,
    )
    base = env.unwrapped
    # Same emulator seed and ROM as our addon: ALE's random_seed, then loadROM.
    base.ale.setInt("random_seed", np.int32(job["seed"]))
    base.ale.loadROM(job["rom"])
    base._action_set = base.ale.getLegalActionSet()
    noops = job["noops"]
    env = AtariPreprocessing(
        env, noop_max=max(noops, 1) if noops else 0, frame_skip=4, screen_size=84,
        terminal_on_life_loss=job["episodicLife"], grayscale_obs=True,
    )
    env = FrameStackObservation(env, 4)
    if noops:
        base._np_random = FixedNoops(noops)

    frames, rewards, terminated, truncated = [], [], [], []
    obs, _ = env.reset()
    frames.append(obs)
    for action in job["actions"]:
        obs, reward, term, trunc, _ = env.step(action)
        rewards.append(float(reward))
        terminated.append(bool(term))
        truncated.append(bool(trunc))
        frames.append(obs)
        if term or trunc:
            if job["stopAtTerminal"]:
                break
            obs, _ = env.reset()
            frames.append(obs)
    np.ascontiguousarray(np.stack(frames).transpose(0, 2, 3, 1)).tofile(job["observations"])
    env.close()
    return {"rewards": rewards, "terminated": terminated, "truncated": truncated}


def main():
    gym.register_envs(ale_py)
    json.dump([run(job) for job in json.load(sys.stdin)], sys.stdout)


if __name__ == "__main__":
    main()
