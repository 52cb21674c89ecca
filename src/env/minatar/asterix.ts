/**
 * Asterix (MinAtar): the player moves in four directions; enemies and gold cross the rows from the sides.
 * +1 per gold picked up; touching an enemy ends the episode. With ramping, spawning and movement speed up
 * every 102 steps.
 */
import type { Rng } from '../../util/rng';
import { ACTION, GRID, type MinatarGame, type MinatarGameInfo } from './game';

// Local bindings: under tsx's CommonJS transform each use of an imported binding is a getter call,
// which made the step several times slower.
const { DOWN, LEFT, NOOP, RIGHT, UP } = ACTION;
const SIDE = GRID;

const RAMP_INTERVAL = 100;
const INIT_SPAWN_SPEED = 10;
const INIT_MOVE_INTERVAL = 5;
/** One entity slot per row 1..8. */
const SLOTS = 8;
const CHANNELS = 4;
/** Index of cell (y, x), channel c, in an observation. */
const at = (y: number, x: number, c: number): number => (y * SIDE + x) * CHANNELS + c;
const PLAYER = 0;
const ENEMY = 1;
const TRAIL = 2;
const GOLD = 3;

class Asterix implements MinatarGame {
  terminal = false;
  rampIndex = 0;
  private playerX = 5;
  private playerY = 5;
  private readonly active = new Uint8Array(SLOTS);
  private readonly entityX = new Int8Array(SLOTS);
  private readonly movesRight = new Uint8Array(SLOTS);
  private readonly isGold = new Uint8Array(SLOTS);
  private readonly freeSlots = new Uint8Array(SLOTS);
  private spawnSpeed = INIT_SPAWN_SPEED;
  private spawnTimer = INIT_SPAWN_SPEED;
  private moveSpeed = INIT_MOVE_INTERVAL;
  private moveTimer = INIT_MOVE_INTERVAL;
  private rampTimer = RAMP_INTERVAL;

  constructor(private readonly ramping: boolean) {}

  reset(_rng: Rng): void {
    this.playerX = 5;
    this.playerY = 5;
    this.active.fill(0);
    this.spawnSpeed = INIT_SPAWN_SPEED;
    this.spawnTimer = INIT_SPAWN_SPEED;
    this.moveSpeed = INIT_MOVE_INTERVAL;
    this.moveTimer = INIT_MOVE_INTERVAL;
    this.rampTimer = RAMP_INTERVAL;
    this.rampIndex = 0;
    this.terminal = false;
  }

  act(action: number, rng: Rng): number {
    if (this.terminal) return 0;
    if (this.spawnTimer === 0) {
      this.spawn(rng);
      this.spawnTimer = this.spawnSpeed;
    }
    if (action === LEFT) this.playerX = Math.max(0, this.playerX - 1);
    else if (action === RIGHT) this.playerX = Math.min(9, this.playerX + 1);
    else if (action === UP) this.playerY = Math.max(1, this.playerY - 1);
    else if (action === DOWN) this.playerY = Math.min(8, this.playerY + 1);

    let reward = 0;
    for (let i = 0; i < SLOTS; i++) if (this.active[i]) reward += this.collide(i);
    if (this.moveTimer === 0) {
      this.moveTimer = this.moveSpeed;
      for (let i = 0; i < SLOTS; i++) {
        if (!this.active[i]) continue;
        const x = this.entityX[i] + (this.movesRight[i] ? 1 : -1);
        this.entityX[i] = x;
        if (x < 0 || x > 9) this.active[i] = 0;
        else reward += this.collide(i);
      }
    }
    this.spawnTimer--;
    this.moveTimer--;
    if (this.ramping && (this.spawnSpeed > 1 || this.moveSpeed > 1)) {
      if (this.rampTimer >= 0) this.rampTimer--;
      else {
        if (this.moveSpeed > 1 && this.rampIndex % 2) this.moveSpeed--;
        if (this.spawnSpeed > 1) this.spawnSpeed--;
        this.rampIndex++;
        this.rampTimer = RAMP_INTERVAL;
      }
    }
    return reward;
  }

  /** Gold on the player's cell is collected (+1), an enemy there ends the episode. */
  private collide(slot: number): number {
    if (this.entityX[slot] !== this.playerX || slot + 1 !== this.playerY) return 0;
    if (this.isGold[slot]) {
      this.active[slot] = 0;
      return 1;
    }
    this.terminal = true;
    return 0;
  }

  /** Draw order as the reference: side, gold, then the slot among the free ones (no slot: nothing spawns). */
  private spawn(rng: Rng): void {
    const fromLeft = rng.random() < 1 / 2;
    const gold = rng.random() < 1 / 3;
    let free = 0;
    for (let i = 0; i < SLOTS; i++) if (!this.active[i]) this.freeSlots[free++] = i;
    if (free === 0) return;
    const slot = this.freeSlots[rng.int(free)];
    this.active[slot] = 1;
    this.entityX[slot] = fromLeft ? 0 : 9;
    this.movesRight[slot] = fromLeft ? 1 : 0;
    this.isGold[slot] = gold ? 1 : 0;
  }

  observe(obs: Uint8Array): void {
    obs.fill(0, 0, SIDE * SIDE * CHANNELS);
    obs[at(this.playerY, this.playerX, PLAYER)] = 1;
    for (let i = 0; i < SLOTS; i++) {
      if (!this.active[i]) continue;
      const x = this.entityX[i];
      obs[at(i + 1, x, this.isGold[i] ? GOLD : ENEMY)] = 1;
      const back = this.movesRight[i] ? x - 1 : x + 1;
      if (back >= 0 && back <= 9) obs[at(i + 1, back, TRAIL)] = 1;
    }
  }
}

export const ASTERIX: MinatarGameInfo = {
  name: 'asterix',
  channels: ['player', 'enemy', 'trail', 'gold'],
  legalActions: [NOOP, LEFT, UP, RIGHT, DOWN],
  create: (difficultyRamping) => new Asterix(difficultyRamping),
};
