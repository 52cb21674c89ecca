/**
 * Policies for the step-for-step conformance runs. Random actions end most episodes early, so each game
 * also gets a crude heuristic (with random moves mixed in) that lives longer and reaches the deeper rules:
 * difficulty ramps, brick refills, wave clears, surfacing with divers.
 */
import type { Rng } from '../../../util/rng';

/** Chooses an action (0..5) from the current observation. */
export type Policy = (obs: Uint8Array, rng: Rng) => number;

const NOOP = 0;
const LEFT = 1;
const UP = 2;
const RIGHT = 3;
const DOWN = 4;
const FIRE = 5;
const MOVES: readonly [number, number, number][] = [
  [NOOP, 0, 0],
  [LEFT, 0, -1],
  [UP, -1, 0],
  [RIGHT, 0, 1],
  [DOWN, 1, 0],
];

/** Uniform over all six actions, the ones outside the minimal set included. */
export const uniform: Policy = (_obs, rng) => rng.int(6);

/** Keeps the previous action with probability `repeat`, else a uniform one: longer strides across the grid. */
export function lingering(repeat: number): Policy {
  let action = NOOP;
  return (_obs, rng) => {
    if (rng.random() >= repeat) action = rng.int(6);
    return action;
  };
}

/** Reads one 10×10×C observation. */
class View {
  constructor(
    private readonly obs: Uint8Array,
    private readonly channels: number,
  ) {}

  on(y: number, x: number, c: number): boolean {
    return y >= 0 && y < 10 && x >= 0 && x < 10 && this.obs[(y * 10 + x) * this.channels + c] === 1;
  }

  /** First cell (row-major) where channel c is set. */
  find(c: number): [number, number] | null {
    for (let y = 0; y < 10; y++) for (let x = 0; x < 10; x++) if (this.on(y, x, c)) return [y, x];
    return null;
  }

  /** The cell with channel c closest to (y, x) in Manhattan distance, or null. */
  nearest(y: number, x: number, c: number): [number, number] | null {
    let best: [number, number] | null = null;
    for (let cy = 0; cy < 10; cy++) {
      for (let cx = 0; cx < 10; cx++) {
        if (!this.on(cy, cx, c)) continue;
        if (!best || Math.abs(cy - y) + Math.abs(cx - x) < Math.abs(best[0] - y) + Math.abs(best[1] - x))
          best = [cy, cx];
      }
    }
    return best;
  }

  columnHas(x: number, c: number): boolean {
    for (let y = 0; y < 10; y++) if (this.on(y, x, c)) return true;
    return false;
  }

  count(y: number, c: number): number {
    let n = 0;
    for (let x = 0; x < 10; x++) if (this.on(y, x, c)) n++;
    return n;
  }
}

/**
 * A random action among the `preferred` moves whose target cell (and its row neighbours) holds none of
 * `danger`; failing that, among all safe moves; failing that, any action.
 */
function safeMove(view: View, rng: Rng, y: number, x: number, danger: readonly number[], preferred: number[]): number {
  const safe = MOVES.filter(([, dy, dx]) => {
    const ty = Math.min(Math.max(y + dy, 0), 9);
    const tx = Math.min(Math.max(x + dx, 0), 9);
    return !danger.some((c) => view.on(ty, tx, c) || view.on(ty, tx - 1, c) || view.on(ty, tx + 1, c));
  }).map(([a]) => a);
  const best = safe.filter((a) => preferred.includes(a));
  const choices = best.length ? best : safe;
  return choices.length ? choices[rng.int(choices.length)] : rng.int(6);
}

/** The moves that bring (y, x) closer to `target` (no-op when on it). */
function towards(y: number, x: number, target: [number, number]): number[] {
  const moves: number[] = [];
  if (target[0] < y) moves.push(UP);
  if (target[0] > y) moves.push(DOWN);
  if (target[1] < x) moves.push(LEFT);
  if (target[1] > x) moves.push(RIGHT);
  return moves.length ? moves : [NOOP];
}

/** With probability `epsilon` a uniform action, else the game's heuristic. */
export function heuristic(game: string, epsilon: number): Policy {
  const rule = RULES[game];
  return (obs, rng) => (rng.random() < epsilon ? rng.int(6) : rule(obs, rng));
}

const RULES: Record<string, Policy> = {
  asterix: (obs, rng) => {
    const view = new View(obs, 4);
    const [y, x] = view.find(0) ?? [5, 5];
    return safeMove(view, rng, y, x, [1], [NOOP, LEFT, UP, RIGHT, DOWN]);
  },
  breakout: (obs) => {
    const view = new View(obs, 4);
    const ball = view.find(1);
    const trail = view.find(2);
    const paddle = view.find(0);
    if (!ball || !trail || !paddle) return NOOP;
    // Falling: aim where it will be on row 8 (walls reflect it); rising: follow it.
    let x = ball[1];
    let dx = Math.sign(ball[1] - trail[1]) || 1;
    for (let y = ball[0]; ball[0] > trail[0] && y < 8; y++) {
      x += dx;
      if (x < 0 || x > 9) {
        x = Math.min(Math.max(x, 0), 9);
        dx = -dx;
      }
    }
    return x < paddle[1] ? LEFT : x > paddle[1] ? RIGHT : NOOP;
  },
  freeway: () => UP,
  seaquest: (obs, rng) => {
    const view = new View(obs, 10);
    const [y, x] = view.find(0) ?? [0, 5];
    const divers = view.count(9, 8);
    const oxygen = view.count(9, 7);
    if (divers > 0 && (oxygen <= 3 || divers === 6)) return UP;
    if (y <= 1 && divers === 0) return DOWN;
    if (rng.random() < 0.3) return FIRE;
    // Towards the nearest diver when that move is safe.
    const diver = view.nearest(y, x, 9);
    const toward = diver ? towards(y, x, diver) : [NOOP, LEFT, UP, RIGHT, DOWN];
    return safeMove(view, rng, y, x, [4, 5, 6], y <= 1 && divers < 6 ? toward.filter((a) => a !== UP) : toward);
  },
  space_invaders: (obs) => {
    const view = new View(obs, 6);
    const x = view.find(0)?.[1] ?? 5;
    const safe = (cx: number): boolean => cx >= 0 && cx <= 9 && !view.on(8, cx, 5) && !view.on(7, cx, 5);
    // Under the nearest alien column, firing; stepping aside from bullets about to land.
    const target = nearestAlienColumn(view, x);
    const [action, next] = target < x ? [LEFT, x - 1] : target > x ? [RIGHT, x + 1] : [FIRE, x];
    if (safe(next)) return action;
    if (safe(x)) return NOOP;
    return safe(x - 1) ? LEFT : RIGHT;
  },
};

/** Column of the nearest alien, led by its sideways motion over the rows a bullet must climb. */
function nearestAlienColumn(view: View, x: number): number {
  for (let d = 0; d < 10; d++) {
    for (const cx of [x - d, x + d]) {
      if (cx < 0 || cx > 9 || !view.columnHas(cx, 1)) continue;
      let row = 9;
      while (!view.on(row, cx, 1)) row--;
      const dir = view.on(row, cx, 3) ? 1 : -1;
      return Math.min(Math.max(cx + dir * (8 - row), 0), 9);
    }
  }
  return x;
}
