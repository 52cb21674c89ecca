import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../../util/rng';
import { observationSize } from '../types';
import { MINATAR_GAMES, type MinatarEnv, makeMinatarEnv } from '.';
import { cubehelixPalette } from './render';
import { SEAQUEST } from './seaquest';

/** Observations of an episode prefix with the given actions (all observations concatenated). */
function trajectory(env: MinatarEnv, actions: readonly number[]): { frames: number[]; rewards: number[] } {
  const obs = new Uint8Array(observationSize(env.spec));
  env.reset(obs);
  const frames = [...obs];
  const rewards: number[] = [];
  for (const a of actions) {
    const result = env.step(a, obs);
    frames.push(...obs);
    rewards.push(result.reward);
    if (result.terminal) env.reset(obs);
  }
  return { frames, rewards };
}

function randomActions(seed: number, n: number): number[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => rng.int(6));
}

describe('MinAtar spec', () => {
  it('has the reference shapes and minimal action sets', () => {
    const specs = MINATAR_GAMES.map((g) => makeMinatarEnv(g).spec);
    assert.deepEqual(
      specs.map((s) => [s.id, s.observationShape, s.legalActions]),
      [
        ['minatar/asterix', [10, 10, 4], [0, 1, 2, 3, 4]],
        ['minatar/breakout', [10, 10, 4], [0, 1, 3]],
        ['minatar/freeway', [10, 10, 7], [0, 2, 4]],
        ['minatar/seaquest', [10, 10, 10], [0, 1, 2, 3, 4, 5]],
        ['minatar/space_invaders', [10, 10, 6], [0, 1, 3, 5]],
      ],
    );
    assert.deepEqual(specs[0].actionNames, ['noop', 'left', 'up', 'right', 'down', 'fire']);
    assert.equal(specs[0].numActions, 6);
  });
});

describe('MinAtar bad input', () => {
  it('an unknown game lists the valid ones', () => {
    assert.throws(() => makeMinatarEnv('pong'), {
      name: 'RangeError',
      message: "unknown MinAtar game 'pong': expected one of asterix, breakout, freeway, seaquest, space_invaders",
    });
  });

  it('rejects a wrong-sized observation buffer naming both shapes', () => {
    const env = makeMinatarEnv('freeway');
    assert.throws(() => env.reset(new Uint8Array(400)), {
      message:
        'minatar/freeway: observation buffer must be a Uint8Array of length 700 (shape [10, 10, 7]), got a Uint8Array of length 400',
    });
  });

  it('rejects actions outside 0..5 before changing anything, and stepping before reset', () => {
    const env = makeMinatarEnv('breakout', { stickyActionProbability: 0 });
    const obs = new Uint8Array(400);
    assert.throws(() => env.step(0, obs), { message: 'minatar/breakout: call reset(obs) before step()' });
    env.reset(obs);
    const before = Uint8Array.from(obs);
    for (const bad of [6, -1, 1.5, Number.NaN]) {
      assert.throws(() => env.step(bad, obs), {
        message: `minatar/breakout: action must be an integer in [0, 5] (noop, left, up, right, down, fire), got ${bad}`,
      });
    }
    assert.deepEqual(obs, before);
  });

  it('rejects bad options', () => {
    assert.throws(() => makeMinatarEnv('asterix', { stickyActionProbability: 1.5 }), {
      message: 'stickyActionProbability must be a number in [0, 1], got 1.5',
    });
    assert.throws(() => makeMinatarEnv('asterix', { maxEpisodeSteps: 0 }), {
      message: 'maxEpisodeSteps must be a positive integer or Infinity, got 0',
    });
  });
});

describe('MinAtar actions', () => {
  it('actions outside the minimal set act as in the reference: a no-op in these games', () => {
    // Breakout ignores up, down, fire; Freeway ignores left, right, fire; Asterix ignores fire.
    const cases: [string, number[]][] = [
      ['breakout', [2, 4, 5]],
      ['freeway', [1, 3, 5]],
      ['asterix', [5]],
      ['space_invaders', [2, 4]],
    ];
    for (const [game, ignored] of cases) {
      const noop = trajectory(makeMinatarEnv(game, { seed: 3 }), Array(200).fill(0));
      for (const a of ignored) {
        assert.deepEqual(
          trajectory(makeMinatarEnv(game, { seed: 3 }), Array(200).fill(a)),
          noop,
          `${game} action ${a}`,
        );
      }
    }
  });

  it('sticky actions: p = 1 keeps the first no-op forever, p = 0 obeys at once', () => {
    const paddleX = (p: number): number => {
      const env = makeMinatarEnv('breakout', { stickyActionProbability: p });
      const obs = new Uint8Array(400);
      env.reset(obs);
      env.step(1, obs); // left
      // Paddle channel 0 in the bottom row.
      for (let x = 0; x < 10; x++) if (obs[(90 + x) * 4]) return x;
      return -1;
    };
    assert.equal(paddleX(1), 4);
    assert.equal(paddleX(0), 3);
  });
});

describe('MinAtar determinism', () => {
  for (const game of MINATAR_GAMES) {
    it(`${game}: same seed and actions give the same trajectory; another seed another one`, () => {
      const actions = randomActions(9, 3000);
      const a = trajectory(makeMinatarEnv(game, { seed: 42 }), actions);
      const b = trajectory(makeMinatarEnv(game, { seed: 42 }), actions);
      const c = trajectory(makeMinatarEnv(game, { seed: 43 }), actions);
      assert.deepEqual(a, b);
      assert.notDeepEqual(a.frames, c.frames);
      assert.ok(a.frames.every((v) => v === 0 || v === 1));
    });
  }
});

describe('MinAtar episodes', () => {
  it('Freeway ends after 2,501 steps (terminal, not truncated)', () => {
    const env = makeMinatarEnv('freeway');
    const obs = new Uint8Array(700);
    env.reset(obs);
    let steps = 0;
    let last = env.step(0, obs);
    for (steps = 1; !last.terminal; steps++) last = env.step(0, obs);
    assert.equal(steps, 2501);
    assert.equal(last.truncated, false);
    // After the end the game stays still, as the reference's act() does.
    const after = Uint8Array.from(obs);
    assert.deepEqual({ ...env.step(2, obs) }, { reward: 0, terminal: true, truncated: false });
    assert.deepEqual(obs, after);
  });

  it('maxEpisodeSteps truncates', () => {
    const env = makeMinatarEnv('freeway', { maxEpisodeSteps: 3 });
    const obs = new Uint8Array(700);
    env.reset(obs);
    const flags = [1, 2, 3].map(() => env.step(0, obs).truncated);
    assert.deepEqual(flags, [false, false, true]);
  });

  it('Seaquest: surfacing with six divers scores the oxygen and leaves zero divers (reference 1.0.15: −1)', () => {
    const game = SEAQUEST.create(true);
    const rng = new Rng(1);
    game.reset(rng);
    // Just below the surface with six divers and 150 oxygen, as if rescued on the way.
    Object.assign(game, { diverCount: 6, subY: 1, surfaced: false, oxygen: 150 });
    const reward = game.act(2, rng); // up
    assert.equal(reward, 7); // floor(150 · 10 / 200)
    const obs = new Uint8Array(1000);
    game.observe(obs);
    const gauge = (channel: number): number[] => Array.from({ length: 10 }, (_, x) => obs[(90 + x) * 10 + channel]);
    assert.deepEqual(gauge(8), [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]); // diver gauge empty
    assert.deepEqual(gauge(7), [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]); // oxygen refilled
    assert.equal(game.rampIndex, 1);
    // With zero divers the next surfacing ends the episode (with the reference's −1 it would not).
    game.act(4, rng);
    assert.equal(game.terminal, false);
    game.act(2, rng);
    assert.equal(game.terminal, true);
  });
});

describe('MinAtar rules without the reference', () => {
  it('Breakout: the ball starts in a top corner of row 3 and falls diagonally away from its wall', () => {
    const seen = new Set<string>();
    for (let seed = 0; seed < 10; seed++) {
      const env = makeMinatarEnv('breakout', { seed, stickyActionProbability: 0 });
      const obs = new Uint8Array(400);
      env.reset(obs);
      env.step(0, obs);
      const cells = (c: number): string[] =>
        Array.from({ length: 100 }, (_, i) => i).flatMap((i) =>
          obs[i * 4 + c] ? [`${Math.floor(i / 10)},${i % 10}`] : [],
        );
      seen.add(`ball ${cells(1)} trail ${cells(2)}`);
    }
    assert.deepEqual([...seen].sort(), ['ball 4,1 trail 3,0', 'ball 4,8 trail 3,9']);
  });

  it('Freeway: a car of speed |v| (trail channel 1 + |v|) moves once every |v| + 1 frames', () => {
    const env = makeMinatarEnv('freeway', { seed: 4, stickyActionProbability: 0 });
    const obs = new Uint8Array(700);
    env.reset(obs);
    const carX = (row: number): number =>
      Array.from({ length: 10 }, (_, x) => x).find((x) => obs[(row * 10 + x) * 7 + 1])!;
    const speed = (row: number): number =>
      [2, 3, 4, 5, 6].find((c) => obs.subarray(row * 70, row * 70 + 70).some((v, i) => v && i % 7 === c))! - 1;
    const speeds = [1, 2, 3, 4, 5, 6, 7, 8].map(speed);
    const moves = new Array(8).fill(0);
    const frames = 60;
    for (let t = 0; t < frames; t++) {
      const before = [1, 2, 3, 4, 5, 6, 7, 8].map(carX);
      env.step(0, obs);
      for (let row = 1; row <= 8; row++) if (carX(row) !== before[row - 1]) moves[row - 1]++;
    }
    assert.deepEqual(
      moves,
      speeds.map((v) => Math.floor(frames / (v + 1))),
    );
    assert.ok(new Set(speeds).size > 1, `speeds ${speeds} should vary`);
  });
});

describe('MinAtar render', () => {
  it('palette bytes equal matplotlib 3.10.7 + seaborn 0.13.2 cubehelix (bytes=True)', () => {
    // From: sns.color_palette('cubehelix', n) through ListedColormap(...)(i, bytes=True).
    assert.deepEqual(Array.from(cubehelixPalette(4)), [21, 60, 77, 83, 121, 46, 207, 126, 146, 193, 202, 243]);
    assert.deepEqual(
      Array.from(cubehelixPalette(7)),
      [26, 29, 59, 21, 83, 75, 67, 119, 48, 161, 121, 74, 211, 131, 169, 198, 180, 237, 203, 231, 239],
    );
  });

  it('colours each cell by its highest channel, black elsewhere', () => {
    const env = makeMinatarEnv('breakout', { seed: 5 });
    env.reset(new Uint8Array(400));
    const image = env.render();
    assert.equal(image.width, 10);
    assert.equal(image.height, 10);
    const pixel = (y: number, x: number): number[] =>
      Array.from(image.data.subarray((y * 10 + x) * 3, (y * 10 + x) * 3 + 3));
    assert.deepEqual(pixel(9, 4), [21, 60, 77]); // paddle, channel 0
    assert.deepEqual(pixel(2, 5), [193, 202, 243]); // brick, channel 3
    assert.deepEqual(pixel(6, 5), [0, 0, 0]);
  });
});
