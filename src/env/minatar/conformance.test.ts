/**
 * Conformance with the reference (PyPI minatar 1.0.15, driven through .venv/bin/python):
 * (a) step-for-step equality: our games draw from a recording generator, the reference replays those draws
 *     in place of numpy's generator, and both play the same actions (three policies per game, see below);
 * (b) random-policy episode returns and lengths, each side with its own generator, 1,000 episodes each,
 *     compared by two-sample Kolmogorov–Smirnov and Mann–Whitney tests.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../../util/rng';
import { MinatarEnv } from './env';
import { MINATAR_GAMES } from './games';
import { heuristic, lingering, type Policy, uniform } from './reference/policies';
import { RecordingRng } from './reference/recording-rng';
import { callReference, referenceUnavailable } from './reference/reference';

const skip = referenceUnavailable() ?? false;
const quiet = process.env.DISTILL_LAB_QUIET === '1';

interface Played {
  actions: number[][];
  obs: Uint8Array[];
  rewards: number[][];
  terminals: boolean[][];
  /** Highest difficulty level reached: how deep into the game the comparison went. */
  maxRamp: number;
}

/** Episodes a heuristic might never end are cut here (truncated; the reference replays the same steps). */
const MAX_EPISODE_STEPS = 3000;

/** Plays whole episodes with `policy` until at least `minSteps` steps, recording everything. */
function play(env: MinatarEnv, policy: Policy, rng: Rng, minSteps: number): Played {
  const size = env.spec.observationShape.reduce((a, b) => a * b);
  const played: Played = { actions: [], obs: [], rewards: [], terminals: [], maxRamp: 0 };
  let steps = 0;
  while (steps < minSteps) {
    const frames: number[] = [];
    const obs = new Uint8Array(size);
    env.reset(obs);
    frames.push(...obs);
    const actions: number[] = [];
    const rewards: number[] = [];
    const terminals: boolean[] = [];
    for (let done = false; !done; ) {
      const action = policy(obs, rng);
      const result = env.step(action, obs);
      actions.push(action);
      frames.push(...obs);
      rewards.push(result.reward);
      terminals.push(result.terminal);
      played.maxRamp = Math.max(played.maxRamp, env.rampIndex);
      done = result.terminal || result.truncated;
    }
    steps += actions.length;
    played.actions.push(actions);
    played.obs.push(Uint8Array.from(frames));
    played.rewards.push(rewards);
    played.terminals.push(terminals);
  }
  return played;
}

interface ReplayAnswer {
  episodes: { obs: string; rewards: number[]; terminals: boolean[] }[];
  drawsLeft: number;
}

/** The first difference between our episode and the reference's, described, or null. */
function firstDifference(
  ours: Played,
  e: number,
  theirs: ReplayAnswer['episodes'][number],
  size: number,
): string | null {
  const obs = Buffer.from(theirs.obs, 'base64');
  const steps = ours.actions[e].length;
  if (obs.length !== (steps + 1) * size) return `episode ${e}: ${obs.length / size} observations, ours ${steps + 1}`;
  for (let t = 0; t <= steps; t++) {
    const a = Buffer.from(ours.obs[e].buffer, t * size, size);
    const b = obs.subarray(t * size, (t + 1) * size);
    if (!a.equals(b)) {
      const channels = size / 100;
      const cells = [...a.keys()].filter((k) => a[k] !== b[k]).slice(0, 5);
      const where = cells.map(
        (k) =>
          `(y ${Math.floor(k / channels / 10)}, x ${Math.floor(k / channels) % 10}, c ${k % channels}): ours ${a[k]}`,
      );
      return `episode ${e}, after step ${t} (last actions ${ours.actions[e].slice(Math.max(0, t - 10), t)}): ${where.join('; ')}`;
    }
    if (t === steps) break;
    if (ours.rewards[e][t] !== theirs.rewards[t])
      return `episode ${e}, step ${t + 1}: reward ${ours.rewards[e][t]} vs ${theirs.rewards[t]}`;
    if (ours.terminals[e][t] !== theirs.terminals[t])
      return `episode ${e}, step ${t + 1}: terminal ${ours.terminals[e][t]} vs ${theirs.terminals[t]}`;
  }
  return null;
}

describe('MinAtar conformance: step-for-step with replayed draws', { skip }, () => {
  // The heuristic runs without sticky actions: a paddle as fast as the ball cannot recover from a stuck move,
  // and only then does Breakout get through its bricks (refills) and Space Invaders through its waves.
  const runs: { name: string; sticky: number; policy: (game: string) => Policy }[] = [
    { name: 'uniform random actions', sticky: 0.1, policy: () => uniform },
    { name: 'lingering random actions', sticky: 0.1, policy: () => lingering(0.8) },
    { name: 'a heuristic with 3 % random actions', sticky: 0, policy: (game) => heuristic(game, 0.03) },
  ];
  for (const game of MINATAR_GAMES) {
    for (const run of runs) {
      it(`${game}, sticky ${run.sticky}, ramping, ${run.name}`, () => {
        const rng = new RecordingRng(11);
        const env = new MinatarEnv(game, {
          rng,
          stickyActionProbability: run.sticky,
          maxEpisodeSteps: MAX_EPISODE_STEPS,
        });
        const minSteps = game === 'freeway' ? 2501 : 4000;
        const ours = play(env, run.policy(game), new Rng(17), minSteps);
        const answer = callReference<ReplayAnswer>('replay', {
          game,
          sticky: run.sticky,
          ramping: true,
          draws: rng.draws,
          episodes: ours.actions,
        });
        const size = env.spec.observationShape.reduce((a, b) => a * b);
        assert.equal(answer.episodes.length, ours.actions.length);
        for (let e = 0; e < ours.actions.length; e++) {
          assert.equal(firstDifference(ours, e, answer.episodes[e], size), null);
        }
        assert.equal(answer.drawsLeft, 0, 'the reference used every draw we made');
        const steps = ours.actions.reduce((n, a) => n + a.length, 0);
        const score = ours.rewards.flat().reduce((a, b) => a + b, 0);
        const best = Math.max(...ours.rewards.map((r) => r.reduce((a, b) => a + b, 0)));
        const report = `${ours.actions.length} episodes, ${steps} steps, reward ${score} (best episode ${best}), max ramp ${ours.maxRamp}`;
        if (!quiet) console.log(`  ${game}: ${report}, identical`);
      });
    }
  }
});

interface TwoSample {
  oursMean: number;
  referenceMean: number;
  ks: { statistic: number; p: number };
  mannWhitney: { statistic: number; p: number };
}

/** Returns and lengths of `count` episodes of a uniformly random policy over the six actions. */
function randomEpisodes(game: string, count: number, seed: number): { returns: number[]; lengths: number[] } {
  const env = new MinatarEnv(game, { seed });
  const policy = new Rng(seed + 1);
  const obs = new Uint8Array(env.spec.observationShape.reduce((a, b) => a * b));
  const returns: number[] = [];
  const lengths: number[] = [];
  for (let e = 0; e < count; e++) {
    env.reset(obs);
    let total = 0;
    let length = 0;
    for (let done = false; !done; length++) {
      const result = env.step(policy.int(6), obs);
      total += result.reward;
      done = result.terminal;
    }
    returns.push(total);
    lengths.push(length);
  }
  return { returns, lengths };
}

/** Deterministic seeds on both sides, so a pass or fail is reproducible; 0.001 keeps 20 tests' false alarms rare. */
const ALPHA = 0.001;
const EPISODES = 1000;

describe('MinAtar conformance: random-policy distributions (1,000 episodes a side, sticky 0.1)', { skip }, () => {
  for (const game of MINATAR_GAMES) {
    it(`${game}: episode returns and lengths match the reference's`, () => {
      const ours = randomEpisodes(game, EPISODES, 5);
      const answer = callReference<{ return: TwoSample; length: TwoSample }>('sample', {
        game,
        episodes: EPISODES,
        seed: 5,
        sticky: 0.1,
        ...ours,
      });
      for (const metric of ['return', 'length'] as const) {
        const t = answer[metric];
        console.log(
          `  ${game} ${metric}: mean ${t.oursMean.toFixed(3)} vs ${t.referenceMean.toFixed(3)}; ` +
            `KS D=${t.ks.statistic.toFixed(4)} p=${t.ks.p.toPrecision(3)}; ` +
            `Mann-Whitney U=${t.mannWhitney.statistic} p=${t.mannWhitney.p.toPrecision(3)}`,
        );
        if (game === 'freeway' && metric === 'length') {
          // Freeway always lasts 2,501 steps: the tests are degenerate, the means must be equal.
          assert.equal(t.oursMean, 2501);
          assert.equal(t.referenceMean, 2501);
          continue;
        }
        assert.ok(t.ks.p > ALPHA, `${game} ${metric}: KS p = ${t.ks.p}`);
        assert.ok(t.mannWhitney.p > ALPHA, `${game} ${metric}: Mann-Whitney p = ${t.mannWhitney.p}`);
      }
    });
  }
});
