"""Drives the MinAtar reference (PyPI minatar 1.0.15) for the TypeScript conformance tests and benchmark.

Usage: .venv/bin/python src/env/minatar/reference/driver.py replay|sample|bench  (JSON request on stdin,
JSON answer on stdout). The reference is patched only where docs/environments.md lists a deliberate difference.
"""

import base64
import json
import logging
import sys
import time

import numpy as np
from scipy import stats

logging.disable(logging.WARNING)  # minatar warns that matplotlib is missing: only its display needs it
from minatar import Environment  # noqa: E402
from minatar.environments import seaquest  # noqa: E402


def surface_fixed(self):
    """Seaquest 1.0.15's _surface, except that surfacing with six divers leaves zero divers, not -1."""
    self.surface = True
    if self.diver_count == 6:
        self.diver_count = 0
        r = self.oxygen * 10 // seaquest.max_oxygen
    else:
        r = 0
        self.diver_count -= 1
    self.oxygen = seaquest.max_oxygen
    if self.ramping and (self.e_spawn_speed > 1 or self.move_speed > 2):
        if self.move_speed > 2 and self.ramp_index % 2:
            self.move_speed -= 1
        if self.e_spawn_speed > 1:
            self.e_spawn_speed -= 1
        self.ramp_index += 1
    return r


seaquest.Env._surface = surface_fixed


class ReplayedRandom:
    """Stands in for numpy's RandomState, answering with the draws the TypeScript game recorded.

    Draws come as triples (kind, n, value): kind 0 is a uniform float (rand), kind 1 an integer in [0, n)
    (randint over a range of n). A request of another kind or range means the two games draw differently.
    """

    def __init__(self, draws):
        self.draws = draws
        self.next = 0

    def _take(self, kind, n):
        if self.next + 3 > len(self.draws):
            raise RuntimeError(f"reference asked for draw {self.next // 3} (kind {kind}, n {n}) but the record ended")
        got_kind, got_n, value = self.draws[self.next : self.next + 3]
        if (got_kind, got_n) != (kind, n):
            raise RuntimeError(
                f"draw {self.next // 3}: reference asked for kind {kind} n {n}, TypeScript drew kind {got_kind} n {got_n}"
            )
        self.next += 3
        return value

    def rand(self, *size):
        if not size:
            return self._take(0, 0)
        return np.array([self._take(0, 0) for _ in range(int(np.prod(size)))]).reshape(size)

    def randint(self, low, high=None, size=None):
        if high is None:
            low, high = 0, low
        if size is None:
            return low + int(self._take(1, high - low))
        return np.array([low + int(self._take(1, high - low)) for _ in range(size)])


def make_env(game, sticky, ramping, generator):
    env = Environment(game, sticky_action_prob=sticky, difficulty_ramping=ramping)
    env.random = env.env.random = generator  # what Environment.seed does
    return env


def reset(env):
    env.reset()
    env.last_action = 0  # deliberate difference: sticky memory starts at no-op every episode


def replay(request):
    """Plays the given action sequences with the recorded draws; returns every observation, reward, terminal."""
    generator = ReplayedRandom(request["draws"])
    env = make_env(request["game"], request["sticky"], request["ramping"], generator)
    episodes = []
    for actions in request["episodes"]:
        reset(env)
        frames = [env.state()]
        rewards, terminals = [], []
        for a in actions:
            r, terminal = env.act(a)
            frames.append(env.state())
            rewards.append(int(r))
            terminals.append(bool(terminal))
        obs = np.stack(frames).astype(np.uint8)
        episodes.append({"obs": base64.b64encode(obs.tobytes()).decode(), "rewards": rewards, "terminals": terminals})
    return {"episodes": episodes, "drawsLeft": (len(generator.draws) - generator.next) // 3}


def random_episodes(game, count, seed, sticky):
    """Returns and lengths of `count` episodes of a uniformly random policy over the six actions."""
    env = make_env(game, sticky, True, np.random.RandomState(seed))
    policy = np.random.RandomState(seed + 1)
    returns, lengths = [], []
    for _ in range(count):
        reset(env)
        total, length, terminal = 0, 0, False
        while not terminal:
            r, terminal = env.act(int(policy.randint(6)))
            total += r
            length += 1
        returns.append(int(total))
        lengths.append(length)
    return returns, lengths


def two_sample(ours, reference):
    ks = stats.ks_2samp(ours, reference)
    mw = stats.mannwhitneyu(ours, reference, alternative="two-sided")
    return {
        "oursMean": float(np.mean(ours)),
        "referenceMean": float(np.mean(reference)),
        "ks": {"statistic": float(ks.statistic), "p": float(ks.pvalue)},
        "mannWhitney": {"statistic": float(mw.statistic), "p": float(mw.pvalue)},
    }


def sample(request):
    """Reference random-policy episodes, compared with ours (given) by KS and Mann-Whitney tests."""
    returns, lengths = random_episodes(request["game"], request["episodes"], request["seed"], request["sticky"])
    return {
        "return": two_sample(request["returns"], returns),
        "length": two_sample(request["lengths"], lengths),
    }


def bench(request):
    """Median steps per wall-clock and per CPU second over `runs` runs of `steps` random-policy steps
    (minimal action set) with state() every step."""
    env = make_env(request["game"], 0.1, True, np.random.RandomState(request["seed"]))
    legal = env.minimal_action_set()
    actions = np.random.RandomState(request["seed"] + 1).choice(legal, request["steps"]).tolist()
    wall, cpu = [], []
    for _ in range(request["runs"]):
        env.reset()
        start, start_cpu = time.perf_counter(), time.process_time()
        for a in actions:
            _, terminal = env.act(a)
            env.state()
            if terminal:
                env.reset()
        cpu.append(len(actions) / (time.process_time() - start_cpu))
        wall.append(len(actions) / (time.perf_counter() - start))
    return {"wall": float(np.median(wall)), "cpu": float(np.median(cpu))}


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    handlers = {"replay": replay, "sample": sample, "bench": bench}
    if command not in handlers:
        sys.exit(f"driver.py: unknown command '{command}': expected one of {', '.join(handlers)}")
    json.dump(handlers[command](json.load(sys.stdin)), sys.stdout)
