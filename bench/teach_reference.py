"""Reference timing for bench/teach.ts: PQN (Gallici et al. 2024) training on MinAtar in PyTorch, on the CPU,
with PyPI's `minatar` for the games. The same algorithm and network as src/train/pqn-trainer.ts with the
default MinAtar configuration (src/experiments/teacher-config.ts):

- 128 environments (sticky actions 0.1), stepped one after another in a Python loop for 32 steps per rollout,
  one batched forward pass of all 128 observations per step, ε-greedy over the minimal action set
  (ε from 1 to 0.05 over the first 10 % of --total-frames);
- Q(λ) targets from the acting network's greedy values (γ 0.99, λ 0.65; a terminal ends the sum), with one more
  forward pass for the observations after the rollout;
- 2 epochs × 32 shuffled minibatches of 128; loss ½·mean (Q(s, a) − G)²; gradients clipped to global norm 10,
  then torch.optim.RAdam at 5e-4 decayed linearly to zero over the updates of --total-frames;
- network: conv 16×3×3 stride 1 (valid) → ReLU → flatten → dense 128 → LayerNorm → ReLU → dense (legal actions).

One thread (torch.set_num_threads(1); the caller also sets OMP_NUM_THREADS=1).

  python bench/teach_reference.py --game breakout --rollouts 8 --warmup 1

Prints one JSON line: frames per second over --rollouts rollouts after --warmup untimed ones, by wall time and by
process CPU time, and the seconds spent acting (forward passes, environment steps, λ-returns) and updating.
"""
import argparse
import importlib.metadata
import json
import logging
import time

import numpy as np
import torch
from torch import nn

# minatar warns at import that matplotlib is missing (it only draws with it): keep stderr for real errors.
logging.disable(logging.WARNING)
import minatar  # noqa: E402

logging.disable(logging.NOTSET)

NUM_ENVS = 128
ROLLOUT_STEPS = 32
EPOCHS = 2
MINIBATCHES = 32
GAMMA = 0.99
LAMBDA = 0.65
LEARNING_RATE = 5e-4
MAX_GRAD_NORM = 10.0
EPSILON_START, EPSILON_END, EPSILON_DECAY_FRACTION = 1.0, 0.05, 0.1
STICKY_ACTION_PROBABILITY = 0.1


class QNetwork(nn.Module):
    """MinAtar's DQN torso with LayerNorm in the head, as MINATAR_PQN in src/nn/qnetwork.ts."""

    def __init__(self, height, width, channels, num_actions):
        super().__init__()
        self.conv = nn.Conv2d(channels, 16, kernel_size=3, stride=1)
        flat = 16 * (height - 2) * (width - 2)
        self.hidden = nn.Linear(flat, 128)
        self.norm = nn.LayerNorm(128, eps=1e-5)
        self.out = nn.Linear(128, num_actions)

    def forward(self, x):
        # x: [batch, height, width, channels], as the environments give it.
        x = torch.relu(self.conv(x.permute(0, 3, 1, 2)))
        x = torch.relu(self.norm(self.hidden(x.flatten(1))))
        return self.out(x)


def lambda_returns(rewards, dones, next_max_q, gamma, lam):
    """Q(λ) targets over [T, N] arrays, backwards in time; row t's bootstrap is next_max_q[t]."""
    targets = np.empty_like(rewards)
    not_done = 1.0 - dones
    targets[-1] = rewards[-1] + gamma * not_done[-1] * next_max_q[-1]
    for t in range(rewards.shape[0] - 2, -1, -1):
        blended = (1.0 - lam) * next_max_q[t] + lam * targets[t + 1]
        targets[t] = rewards[t] + gamma * not_done[t] * blended
    return targets


class Pqn:
    def __init__(self, game, seed, total_frames):
        self.rng = np.random.default_rng(seed)
        torch.manual_seed(seed)
        self.envs = []
        for i in range(NUM_ENVS):
            env = minatar.Environment(game, sticky_action_prob=STICKY_ACTION_PROBABILITY)
            env.seed(seed * NUM_ENVS + i + 1)
            env.reset()
            self.envs.append(env)
        self.action_set = list(self.envs[0].minimal_action_set())
        self.num_actions = len(self.action_set)
        height, width, channels = self.envs[0].state_shape()
        self.obs_shape = (height, width, channels)
        self.current = np.stack([env.state() for env in self.envs])
        self.episode_returns = np.zeros(NUM_ENVS)
        self.episodes = 0
        self.net = QNetwork(height, width, channels, self.num_actions)
        self.optimizer = torch.optim.RAdam(self.net.parameters(), lr=LEARNING_RATE)
        self.rows = NUM_ENVS * ROLLOUT_STEPS
        self.batch = self.rows // MINIBATCHES
        self.total_frames = total_frames
        self.total_updates = -(-total_frames // self.rows) * EPOCHS * MINIBATCHES
        self.epsilon_decay_frames = round(EPSILON_DECAY_FRACTION * total_frames)
        self.frames = 0
        self.updates = 0

    def epsilon(self):
        if self.epsilon_decay_frames <= 0:
            return EPSILON_END
        fraction = min(1.0, self.frames / self.epsilon_decay_frames)
        return EPSILON_START + fraction * (EPSILON_END - EPSILON_START)

    def q_values(self, observations):
        with torch.no_grad():
            return self.net(torch.from_numpy(observations).float()).numpy()

    def collect(self):
        """One rollout: every environment's ROLLOUT_STEPS steps, then the λ-return targets."""
        n = NUM_ENVS
        observations = np.empty((ROLLOUT_STEPS, n) + self.obs_shape, dtype=bool)
        actions = np.empty((ROLLOUT_STEPS, n), dtype=np.int64)
        rewards = np.zeros((ROLLOUT_STEPS, n), dtype=np.float32)
        dones = np.zeros((ROLLOUT_STEPS, n), dtype=np.float32)
        max_q = np.empty((ROLLOUT_STEPS, n), dtype=np.float32)
        epsilon = self.epsilon()
        for t in range(ROLLOUT_STEPS):
            q = self.q_values(self.current)
            observations[t] = self.current
            greedy = q.argmax(axis=1)
            max_q[t] = q[np.arange(n), greedy]
            explore = self.rng.random(n) < epsilon
            chosen = np.where(explore, self.rng.integers(self.num_actions, size=n), greedy)
            actions[t] = chosen
            for i, env in enumerate(self.envs):
                reward, terminal = env.act(self.action_set[chosen[i]])
                rewards[t, i] = reward
                self.episode_returns[i] += reward
                if terminal:
                    dones[t, i] = 1.0
                    self.episodes += 1
                    self.episode_returns[i] = 0.0
                    env.reset()
                self.current[i] = env.state()
            self.frames += n
        last_q = self.q_values(self.current)
        next_max_q = np.empty_like(max_q)
        next_max_q[:-1] = max_q[1:]
        next_max_q[-1] = last_q.max(axis=1)
        targets = lambda_returns(rewards, dones, next_max_q, GAMMA, LAMBDA)
        return (
            torch.from_numpy(observations.reshape((self.rows,) + self.obs_shape)).float(),
            torch.from_numpy(actions.reshape(self.rows)),
            torch.from_numpy(targets.reshape(self.rows)),
        )

    def learn(self, observations, actions, targets):
        """EPOCHS passes over the rollout in shuffled minibatches, one clipped RAdam step each."""
        for _ in range(EPOCHS):
            order = torch.from_numpy(self.rng.permutation(self.rows))
            for m in range(MINIBATCHES):
                index = order[m * self.batch : (m + 1) * self.batch]
                q = self.net(observations[index])
                chosen = q.gather(1, actions[index].unsqueeze(1)).squeeze(1)
                loss = 0.5 * (chosen - targets[index]).square().mean()
                self.optimizer.zero_grad(set_to_none=True)
                loss.backward()
                nn.utils.clip_grad_norm_(self.net.parameters(), MAX_GRAD_NORM)
                progress = self.updates / self.total_updates
                for group in self.optimizer.param_groups:
                    group["lr"] = LEARNING_RATE * max(0.0, 1.0 - progress)
                self.optimizer.step()
                value = loss.item()
                if not np.isfinite(value):
                    raise FloatingPointError(f"loss became {value} at frame {self.frames}")
                self.updates += 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--game", default="breakout")
    parser.add_argument("--rollouts", type=int, default=8, help="timed rollouts")
    parser.add_argument("--warmup", type=int, default=1, help="untimed rollouts before them")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--total-frames", type=int, default=5_000_000, help="the run the ε and learning-rate schedules belong to"
    )
    args = parser.parse_args()
    if args.rollouts < 1 or args.warmup < 0:
        parser.error(f"--rollouts must be ≥ 1 and --warmup ≥ 0, got {args.rollouts} and {args.warmup}")
    rows = NUM_ENVS * ROLLOUT_STEPS
    if (args.rollouts + args.warmup) * rows > args.total_frames:
        parser.error(f"--total-frames {args.total_frames} is less than the {args.rollouts + args.warmup} rollouts run")
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)

    agent = Pqn(args.game, args.seed, args.total_frames)
    for _ in range(args.warmup):
        agent.learn(*agent.collect())
    acting = updating = 0.0
    wall = time.perf_counter()
    cpu = time.process_time()
    for _ in range(args.rollouts):
        clock = time.perf_counter()
        batch = agent.collect()
        now = time.perf_counter()
        acting += now - clock
        agent.learn(*batch)
        updating += time.perf_counter() - now
    cpu = time.process_time() - cpu
    wall = time.perf_counter() - wall
    frames = args.rollouts * rows
    print(
        json.dumps(
            {
                "torch": torch.__version__,
                "minatar": importlib.metadata.version("minatar"),
                "game": args.game,
                "actions": agent.num_actions,
                "rollouts": args.rollouts,
                "warmup": args.warmup,
                "frames": frames,
                "seconds": wall,
                "cpuSeconds": cpu,
                "fps": frames / wall,
                "fpsCpu": frames / cpu,
                "actSeconds": acting,
                "updateSeconds": updating,
                "episodes": agent.episodes,
                "updates": agent.updates,
                "threads": torch.get_num_threads(),
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
