/**
 * Conformance with the reference (PyPI minatar 1.0.15, driven through .venv/bin/python):
 * (a) step-for-step equality: our games draw from a recording generator, the reference replays those draws
 *     in place of numpy's generator, and both play the same actions, sticky actions on (p = 0.1);
 * (b) random-policy episode returns and lengths, each side with its own generator, 1,000 episodes each,
 *     compared by two-sample Kolmogorov–Smirnov and Mann–Whitney tests.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../../util/rng';
import { MinatarEnv } from './env';
import { MINATAR_GAMES } from './games';
import { callReference, referenceUnavailable } from './reference/reference';
import { RecordingRng } from './reference/recording-rng';

const skip = referenceUnavailable() ?? false;
const quiet = process.env.DISTILL_LAB_QUIET === '1';

interface Played {
  actions: number[][];
  obs: Uint8Array[];
  rewards: number[][];
  terminals: boolean[][];
}

/**
 * Plays whole episodes until `minSteps` steps: uniformly random actions over all six (illegal ones included)
 * when `repeat` is 0; otherwise the previous action is kept with probability `repeat` (longer moves reach
 * further into the games).
 */
function play(env: MinatarEnv, policy: Rng, minSteps: number, repeat: number): Played {
  const size = env.spec.observationShape.reduce((a, b) => a * b);
  const played: Played = { actions: [], obs: [], rewards: [], terminals: [] };
  let steps = 0;
  while (steps < minSteps) {
    const frames: number[] = [];
    const obs = new Uint8Array(size);
    env.reset(obs);
    frames.push(...obs);
    const actions: number[] = [];
    const rewards: number[] = [];
    const terminals: boolean[] = [];
    let action = 0;
    for (;;) {
      if (actions.length === 0 || policy.random() >= repeat) action = policy.int(6);
      const result = env.step(action, obs);
      actions.push(action);
      frames.push(...obs);
      rewards.push(result.reward);
      terminals.push(result.terminal);
      if (result.terminal) break;
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
function firstDifference(ours: Played, e: number, theirs: ReplayAnswer['episodes'][number], size: number): string | null {
  const obs = Buffer.from(theirs.obs, 'base64');
  const steps = ours.actions[e].length;
  if (obs.length !== (steps + 1) * size) return `episode ${e}: ${obs.length / size} observations, ours ${steps + 1}`;
  for (let t = 0; t <= steps; t++) {
    const a = Buffer.from(ours.obs[e].buffer, t * size, size);
    const b = obs.subarray(t * size, (t + 1) * size);
    if (!a.equals(b)) return `episode ${e}, after step ${t} (actions ${ours.actions[e].slice(0, t).join(',')}): observations differ`;
    if (t === steps) break;
    if (ours.rewards[e][t] !== theirs.rewards[t]) return `episode ${e}, step ${t + 1}: reward ${ours.rewards[e][t]} vs ${theirs.rewards[t]}`;
    if (ours.terminals[e][t] !== theirs.terminals[t]) return `episode ${e}, step ${t + 1}: terminal ${ours.terminals[e][t]} vs ${theirs.terminals[t]}`;
  }
  return null;
}

describe('MinAtar conformance: step-for-step with replayed draws', { skip }, () => {
  for (const game of MINATAR_GAMES) {
    for (const repeat of [0, 0.8]) {
      it(`${game}, sticky 0.1, ramping, ${repeat ? 'lingering' : 'uniform'} random actions`, () => {
        const rng = new RecordingRng(11);
        const env = new MinatarEnv(game, { rng });
        const minSteps = game === 'freeway' ? 2501 : 4000;
        const ours = play(env, new Rng(repeat ? 23 : 17), minSteps, repeat);
        const answer = callReference<ReplayAnswer>('replay', {
          game,
          sticky: 0.1,
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
        if (!quiet) console.log(`  ${game}: ${ours.actions.length} episodes, ${steps} steps, total reward ${score}, identical`);
      });
    }
  }
});
