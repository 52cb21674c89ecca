/**
 * Space Invaders (MinAtar): a cannon on the bottom row shoots upward at a block of aliens that sweeps
 * sideways and steps down at the edges, shooting back. +1 per alien; an alien or bullet reaching the cannon
 * ends the episode. Aliens speed up as they thin out; with ramping each new wave starts faster.
 */
import type { Rng } from '../../util/rng';
import { ACTION, GRID, type MinatarGame, type MinatarGameInfo } from './game';

// Local bindings: under tsx's CommonJS transform each use of an imported binding is a getter call,
// which made the step several times slower.
const { FIRE, LEFT, NOOP, RIGHT } = ACTION;
const SIDE = GRID;

const SHOT_COOL_DOWN = 5;
const ENEMY_MOVE_INTERVAL = 12;
const ENEMY_SHOT_INTERVAL = 10;
const WAVE_SIZE = 24;
const CHANNELS = 6;
/** Index of cell (y, x), channel c, in an observation. */
const at = (y: number, x: number, c: number): number => (y * SIDE + x) * CHANNELS + c;
const CANNON = 0;
const ALIEN = 1;
const ALIEN_LEFT = 2;
const ALIEN_RIGHT = 3;
const FRIENDLY_BULLET = 4;
const ENEMY_BULLET = 5;
const CELLS = SIDE * SIDE;
const BOTTOM = (SIDE - 1) * SIDE;

class SpaceInvaders implements MinatarGame {
  terminal = false;
  rampIndex = 0;
  /** 10×10 maps, row-major, 0/1. */
  private readonly aliens = new Uint8Array(CELLS);
  private readonly friendlyBullets = new Uint8Array(CELLS);
  private readonly enemyBullets = new Uint8Array(CELLS);
  private readonly scratchRow = new Uint8Array(SIDE);
  private aliensLeft = WAVE_SIZE;
  private pos = 5;
  private alienDir = -1;
  private enemyMoveInterval = ENEMY_MOVE_INTERVAL;
  private alienMoveTimer = ENEMY_MOVE_INTERVAL;
  private alienShotTimer = ENEMY_SHOT_INTERVAL;
  private shotTimer = 0;

  constructor(private readonly ramping: boolean) {}

  reset(_rng: Rng): void {
    this.pos = 5;
    this.friendlyBullets.fill(0);
    this.enemyBullets.fill(0);
    this.newWave();
    this.alienDir = -1;
    this.enemyMoveInterval = ENEMY_MOVE_INTERVAL;
    this.alienMoveTimer = ENEMY_MOVE_INTERVAL;
    this.alienShotTimer = ENEMY_SHOT_INTERVAL;
    this.rampIndex = 0;
    this.shotTimer = 0;
    this.terminal = false;
  }

  /** Rows 0–3, columns 2–7. */
  private newWave(): void {
    this.aliens.fill(0);
    for (let y = 0; y < 4; y++) this.aliens.fill(1, y * SIDE + 2, y * SIDE + 8);
    this.aliensLeft = WAVE_SIZE;
  }

  act(action: number, _rng: Rng): number {
    if (this.terminal) return 0;
    if (action === FIRE && this.shotTimer === 0) {
      this.friendlyBullets[BOTTOM + this.pos] = 1;
      this.shotTimer = SHOT_COOL_DOWN;
    } else if (action === LEFT) this.pos = Math.max(0, this.pos - 1);
    else if (action === RIGHT) this.pos = Math.min(9, this.pos + 1);

    // Friendly bullets move up a row, enemy bullets down; what leaves the grid is gone.
    this.friendlyBullets.copyWithin(0, SIDE, CELLS);
    this.friendlyBullets.fill(0, BOTTOM, CELLS);
    this.enemyBullets.copyWithin(SIDE, 0, BOTTOM);
    this.enemyBullets.fill(0, 0, SIDE);
    if (this.enemyBullets[BOTTOM + this.pos]) this.terminal = true;

    if (this.aliens[BOTTOM + this.pos]) this.terminal = true;
    if (this.alienMoveTimer === 0) {
      this.alienMoveTimer = Math.min(this.aliensLeft, this.enemyMoveInterval);
      if ((this.alienDir < 0 && this.columnHasAlien(0)) || (this.alienDir > 0 && this.columnHasAlien(9))) {
        this.alienDir = -this.alienDir;
        if (this.aliens.indexOf(1, BOTTOM) >= 0) this.terminal = true;
        this.rollAliensDown();
      } else {
        this.rollAliensSideways(this.alienDir);
      }
      if (this.aliens[BOTTOM + this.pos]) this.terminal = true;
    }
    if (this.alienShotTimer === 0) {
      this.alienShotTimer = ENEMY_SHOT_INTERVAL;
      this.enemyBullets[this.nearestAlien()] = 1;
    }

    let reward = 0;
    for (let cell = 0; cell < CELLS; cell++) {
      if (this.aliens[cell] && this.friendlyBullets[cell]) {
        this.aliens[cell] = 0;
        this.friendlyBullets[cell] = 0;
        this.aliensLeft--;
        reward++;
      }
    }
    if (this.shotTimer > 0) this.shotTimer--;
    this.alienMoveTimer--;
    this.alienShotTimer--;
    if (this.aliensLeft === 0) {
      if (this.enemyMoveInterval > 6 && this.ramping) {
        this.enemyMoveInterval--;
        this.rampIndex++;
      }
      this.newWave();
    }
    return reward;
  }

  private columnHasAlien(x: number): boolean {
    for (let cell = x; cell < CELLS; cell += SIDE) if (this.aliens[cell]) return true;
    return false;
  }

  /** np.roll(aliens, 1, axis=0): the bottom row wraps to the top (that move has already ended the episode). */
  private rollAliensDown(): void {
    for (let x = 0; x < SIDE; x++) this.scratchRow[x] = this.aliens[BOTTOM + x];
    this.aliens.copyWithin(SIDE, 0, BOTTOM);
    this.aliens.set(this.scratchRow, 0);
  }

  /** np.roll(aliens, dir, axis=1) for dir = ±1, wrapping within each row. */
  private rollAliensSideways(dir: number): void {
    const a = this.aliens;
    for (let row = 0; row < CELLS; row += SIDE) {
      if (dir > 0) {
        const last = a[row + 9];
        a.copyWithin(row + 1, row, row + 9);
        a[row] = last;
      } else {
        const first = a[row];
        a.copyWithin(row, row + 1, row + SIDE);
        a[row + 9] = first;
      }
    }
  }

  /** The lowest alien of the column nearest the cannon (ties: the left column), as a cell index. */
  private nearestAlien(): number {
    for (let d = 0; d < SIDE; d++) {
      const left = this.lowestAlienIn(this.pos - d);
      if (left >= 0) return left;
      const right = this.lowestAlienIn(this.pos + d);
      if (right >= 0) return right;
    }
    throw new Error('space_invaders: no alien left to shoot (a new wave should have spawned)');
  }

  /** Cell index of the lowest alien in column x, or −1 (also for x off the grid). */
  private lowestAlienIn(x: number): number {
    if (x < 0 || x > 9) return -1;
    for (let cell = BOTTOM + x; cell >= 0; cell -= SIDE) if (this.aliens[cell]) return cell;
    return -1;
  }

  observe(obs: Uint8Array): void {
    obs.fill(0, 0, CELLS * CHANNELS);
    obs[at(9, this.pos, CANNON)] = 1;
    const direction = this.alienDir < 0 ? ALIEN_LEFT : ALIEN_RIGHT;
    for (let cell = 0; cell < CELLS; cell++) {
      const base = cell * CHANNELS;
      if (this.aliens[cell]) {
        obs[base + ALIEN] = 1;
        obs[base + direction] = 1;
      }
      if (this.friendlyBullets[cell]) obs[base + FRIENDLY_BULLET] = 1;
      if (this.enemyBullets[cell]) obs[base + ENEMY_BULLET] = 1;
    }
  }
}

export const SPACE_INVADERS: MinatarGameInfo = {
  name: 'space_invaders',
  channels: ['cannon', 'alien', 'alien_left', 'alien_right', 'friendly_bullet', 'enemy_bullet'],
  legalActions: [NOOP, LEFT, RIGHT, FIRE],
  create: (difficultyRamping) => new SpaceInvaders(difficultyRamping),
};
