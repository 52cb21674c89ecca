import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { PNG } from 'pngjs';
import { Rng } from '../../util/rng';
import { encodePng } from '../image';
import { ATARI_ACTION_NAMES, legalActionMask } from './actions';
import { AtariEnv, type AtariOptions } from './env';
import { observationFrame } from './frame';
import { availableGames, PAPER_GAMES, romPath } from './games';
import { loadAleAddon } from './native';
import { gymnasiumTrajectories, type ReferenceJob, type ReferenceTrajectory, referenceSkipReason } from './reference';

const OBS = 84 * 84 * 4;

/** Our side of a reference job: reset, then every action, resetting after an episode end (unless told to stop). */
function ourTrajectory(game: string, options: AtariOptions, actions: number[], stopAtTerminal = false) {
  const env = new AtariEnv(game, options);
  const obs = new Uint8Array(OBS);
  const frames: Uint8Array[] = [];
  const rewards: number[] = [];
  const terminated: boolean[] = [];
  const truncated: boolean[] = [];
  env.reset(obs);
  frames.push(obs.slice());
  for (const action of actions) {
    const result = env.step(action, obs);
    frames.push(obs.slice());
    rewards.push(result.reward);
    terminated.push(result.terminal);
    truncated.push(result.truncated);
    if (result.terminal || result.truncated) {
      if (stopAtTerminal) break;
      env.reset(obs);
      frames.push(obs.slice());
    }
  }
  return { env, frames, rewards, terminated, truncated };
}

function randomActions(seed: number, count: number): number[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => rng.int(ATARI_ACTION_NAMES.length));
}

/** Same observations, rewards and episode ends; a mismatch names the first differing observation. */
function assertSameTrajectory(ours: ReturnType<typeof ourTrajectory>, theirs: ReferenceTrajectory): void {
  assert.equal(ours.frames.length * OBS, theirs.observations.length, 'number of observations');
  for (let i = 0; i < ours.frames.length; i++) {
    const reference = theirs.observations.subarray(i * OBS, (i + 1) * OBS);
    if (Buffer.compare(ours.frames[i], reference) !== 0) assert.fail(`observation ${i} differs from Gymnasium's`);
  }
  assert.deepEqual(ours.rewards, theirs.rewards);
  assert.deepEqual(ours.terminated, theirs.terminated);
  assert.deepEqual(ours.truncated, theirs.truncated);
}

// Random steps over the full set, enough for at least one game over in each game.
const STEPS_PER_GAME: Record<string, number> = { breakout: 1000, pong: 1500, space_invaders: 1000 };
const EVALUATION: AtariOptions = { seed: 7, mode: 'evaluation', noopMax: 0 };
const STICKY: AtariOptions = { seed: 21, mode: 'evaluation', noopMax: 0, stickyActionProbability: 0.25 };
const EPISODIC: AtariOptions = { seed: 1, mode: 'training', clipRewards: false, noopMax: 0 };
const NOOP_SEED = 3;

/** How many no-op frames our emulator drew for its first reset (frames beyond a reset without them). */
function firstNoopCount(game: string, seed: number): number {
  const withNoops = new AtariEnv(game, { seed, mode: 'evaluation' });
  const without = new AtariEnv(game, { seed, mode: 'evaluation', noopMax: 0 });
  withNoops.reset(new Uint8Array(OBS));
  without.reset(new Uint8Array(OBS));
  return withNoops.episodeFrame() - without.episodeFrame();
}

/** Every reference trajectory the tests below compare with, from one Python process, made on first use. */
const reference = (() => {
  let trajectories: Map<string, ReferenceTrajectory> | undefined;
  return (name: string): ReferenceTrajectory => {
    if (!trajectories) {
      const jobs: [string, ReferenceJob][] = Object.entries(STEPS_PER_GAME).map(([game, steps]) => [
        game,
        {
          rom: romPath(game),
          seed: 7,
          actions: randomActions(5, steps),
          noops: 0,
          sticky: 0,
          episodicLife: false,
          stopAtTerminal: false,
        },
      ]);
      const noops = firstNoopCount('seaquest', NOOP_SEED);
      jobs.push(
        [
          'noops',
          {
            rom: romPath('seaquest'),
            seed: NOOP_SEED,
            actions: randomActions(11, 200),
            noops,
            sticky: 0,
            episodicLife: false,
            stopAtTerminal: true,
          },
        ],
        [
          'sticky',
          {
            rom: romPath('breakout'),
            seed: 21,
            actions: randomActions(13, 400),
            noops: 0,
            sticky: 0.25,
            episodicLife: false,
            stopAtTerminal: false,
          },
        ],
        [
          'episodic',
          {
            rom: romPath('breakout'),
            seed: 1,
            actions: randomActions(17, 500),
            noops: 0,
            sticky: 0,
            episodicLife: true,
            stopAtTerminal: true,
          },
        ],
      );
      const answers = gymnasiumTrajectories(jobs.map(([, job]) => job));
      trajectories = new Map(jobs.map(([key], i) => [key, answers[i]]));
    }
    return trajectories.get(name)!;
  };
})();

describe(
  'AtariEnv equals Gymnasium AtariPreprocessing + FrameStackObservation over ale_py',
  { skip: referenceSkipReason() },
  () => {
    for (const [game, steps] of Object.entries(STEPS_PER_GAME)) {
      test(`${game}: ${steps} steps of a fixed action sequence, evaluation protocol, episodes reset`, () => {
        const ours = ourTrajectory(game, EVALUATION, randomActions(5, steps));
        assert.ok(ours.terminated.some(Boolean), 'the sequence ends at least one episode');
        assertSameTrajectory(ours, reference(game));
      });
    }

    test('no-op starts: the count our generator drew, replayed in Gymnasium, gives the same episode', () => {
      const noops = firstNoopCount('seaquest', NOOP_SEED);
      assert.ok(noops >= 1 && noops <= 30, `no-op count ${noops} within 1..30`);
      const ours = ourTrajectory('seaquest', { seed: NOOP_SEED, mode: 'evaluation' }, randomActions(11, 200));
      const theirs = reference('noops');
      // Only the first episode: the next one draws a new count on each side.
      const firstEnd = ours.terminated.findIndex(Boolean);
      const steps = firstEnd < 0 ? ours.rewards.length : firstEnd + 1;
      assertSameTrajectory(
        {
          ...ours,
          frames: ours.frames.slice(0, steps + 1),
          rewards: ours.rewards.slice(0, steps),
          terminated: ours.terminated.slice(0, steps),
          truncated: ours.truncated.slice(0, steps),
        },
        theirs,
      );
    });

    test('sticky actions (0.25) follow ALE’s own seeded draws on both sides', () => {
      assertSameTrajectory(ourTrajectory('breakout', STICKY, randomActions(13, 400)), reference('sticky'));
    });

    test('episodic life: the first lost life is a terminal on both sides; ours then plays on in the same game', () => {
      const ours = ourTrajectory('breakout', EPISODIC, randomActions(17, 500), true);
      assertSameTrajectory(ours, reference('episodic'));
      const { env } = ours;
      assert.equal(env.lives(), 4, 'Breakout starts with 5 lives');
      const framesBefore = env.episodeFrame();
      env.reset(new Uint8Array(OBS));
      // One no-op agent step (4 frames), no new game.
      assert.equal(env.episodeFrame(), framesBefore + 4);
      assert.equal(env.lives(), 4);
    });
  },
);

describe('AtariEnv protocol', () => {
  test('training clips each step’s summed reward to its sign; rawReward keeps the score change', () => {
    const actions = randomActions(19, 600);
    const common: AtariOptions = { seed: 2, noopMax: 0, episodicLife: false };
    const training = new AtariEnv('space_invaders', { ...common, mode: 'training' });
    const evaluation = new AtariEnv('space_invaders', { ...common, mode: 'evaluation' });
    const a = new Uint8Array(OBS);
    const b = new Uint8Array(OBS);
    training.reset(a);
    evaluation.reset(b);
    let scored = 0;
    for (const action of actions) {
      const clipped = training.step(action, a);
      const raw = evaluation.step(action, b);
      assert.equal(clipped.reward, Math.sign(raw.reward));
      assert.equal(clipped.rawReward, raw.reward);
      if (raw.reward > 1) scored++;
      if (raw.terminal) break;
    }
    assert.ok(scored > 0, 'some step scored more than 1 point');
  });

  test('spec: 84×84×4 observations, the 18 actions, the game’s legal set (Breakout: NOOP FIRE RIGHT LEFT)', () => {
    const env = new AtariEnv('breakout');
    assert.deepEqual(env.spec.observationShape, [84, 84, 4]);
    assert.equal(env.spec.id, 'atari/breakout');
    assert.equal(env.spec.numActions, 18);
    assert.deepEqual(env.spec.legalActions, [0, 1, 3, 4]);
    assert.deepEqual(
      [...legalActionMask(env.spec.legalActions)],
      [1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    );
    assert.equal(new AtariEnv('pong').spec.legalActions.length, 6);
    assert.equal(new AtariEnv('seaquest').spec.legalActions.length, 18);
  });

  test('every paper game loads and resets', () => {
    for (const game of PAPER_GAMES) {
      const env = new AtariEnv(game, { noopMax: 0 });
      env.reset(new Uint8Array(OBS));
      assert.ok(env.spec.legalActions.includes(0), `${game} has NOOP`);
      env.close();
    }
  });

  test('a frame shows as a PNG: the screen (210×160) and an observation frame (84×84)', () => {
    const env = new AtariEnv('breakout', { noopMax: 0 });
    const obs = new Uint8Array(OBS);
    env.reset(obs);
    for (const image of [env.render(), observationFrame(env.spec, obs)]) {
      const decoded = PNG.sync.read(encodePng(image));
      assert.deepEqual([decoded.width, decoded.height], [image.width, image.height]);
    }
    assert.deepEqual([env.render().width, env.render().height], [160, 210]);
    const gray = observationFrame(env.spec, obs, 0);
    assert.deepEqual(
      [gray.data[3 * 3000], gray.data[3 * 3000 + 1], gray.data[3 * 3000 + 2]],
      [obs[4 * 3000], obs[4 * 3000], obs[4 * 3000]],
    );
  });
});

describe('AtariEnv bad input', () => {
  test('an unknown game lists the ROMs there are', () => {
    assert.throws(
      () => new AtariEnv('brekout'),
      (error: Error) => {
        assert.match(error.message, /^unknown Atari game 'brekout': expected one of adventure, air_raid, alien, /);
        assert.match(error.message, / breakout, /);
        return true;
      },
    );
    assert.equal(availableGames().length, 108);
  });

  test('a missing ROM or ROM folder, or an unbuilt addon, is one message with the setup command', () => {
    const dir = mkdtempSync(join(tmpdir(), 'roms-'));
    try {
      assert.throws(() => romPath('pong', dir), {
        message: `the ROM of 'pong' is missing (${join(dir, 'pong.bin')}): run 'bash scripts/setup.sh --only ale'`,
      });
      assert.throws(() => romPath('nosuchgame', join(dir, 'absent')), {
        message: `Atari ROMs are missing (no folder ${join(dir, 'absent')}): run 'bash scripts/setup.sh --only ale'`,
      });
      const fake = join(dir, 'ale.node');
      assert.throws(() => loadAleAddon(join(dir, 'none.node')), {
        message: `the Atari addon is not built (${join(dir, 'none.node')} is missing): run 'bash scripts/setup.sh --only ale'`,
      });
      writeFileSync(fake, 'not a shared library');
      assert.throws(
        () => loadAleAddon(fake),
        /^Error: the Atari addon .* does not load .*run 'bash scripts\/setup.sh --only ale'$/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('actions outside 0..17, wrong buffers and bad options name what was expected', () => {
    const env = new AtariEnv('breakout');
    const obs = new Uint8Array(OBS);
    assert.throws(() => env.step(0, obs), { message: 'atari/breakout: call reset() before step()' });
    env.reset(obs);
    assert.throws(() => env.step(18, obs), { message: 'atari/breakout: action must be an integer in 0..17, got 18' });
    assert.throws(() => env.step(-1, obs), { message: 'atari/breakout: action must be an integer in 0..17, got -1' });
    assert.throws(() => env.step(1.5, obs), { message: 'atari/breakout: action must be an integer in 0..17, got 1.5' });
    assert.throws(() => env.step(0, new Uint8Array(84 * 84)), {
      message:
        'atari/breakout: observation buffer must be a Uint8Array of length 28224 (shape [84, 84, 4]), got a Uint8Array of length 7056',
    });
    assert.throws(() => new AtariEnv('breakout', { seed: -1 }), {
      message: 'seed must be an integer in [0, 2^32), got -1',
    });
    assert.throws(() => new AtariEnv('breakout', { frameSkip: 0 }), {
      message: 'frameSkip must be an integer in [1, 64], got 0',
    });
    assert.throws(() => new AtariEnv('breakout', { stickyActionProbability: 2 }), {
      message: 'stickyActionProbability must be a number in [0, 1], got 2',
    });
  });

  test('closing twice is harmless; a closed environment says so', () => {
    const env = new AtariEnv('pong');
    env.close();
    env.close();
    assert.throws(() => env.reset(new Uint8Array(OBS)), { message: 'atari/pong: the environment is closed' });
  });
});
