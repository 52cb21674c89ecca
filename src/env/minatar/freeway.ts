/**
 * Freeway (MinAtar): the chicken crosses eight lanes of cars upward. +1 per crossing (car speeds are then
 * redrawn); a car sends the chicken back to the bottom. The episode ends after 2500 frames. A car of speed
 * |v| moves every |v|+1 frames (the reference's docstring says every |v|).
 */
import type { Rng } from '../../util/rng';
import { ACTION, GRID, type MinatarGame, type MinatarGameInfo } from './game';

// Local bindings: under tsx's CommonJS transform each use of an imported binding is a getter call,
// which made the step several times slower.
const { DOWN, NOOP, UP } = ACTION;
const SIDE = GRID;

const PLAYER_SPEED = 3;
const TIME_LIMIT = 2500;
const CARS = 8;
const CHANNELS = 7;
/** Index of cell (y, x), channel c, in an observation. */
const at = (y: number, x: number, c: number): number => (y * SIDE + x) * CHANNELS + c;
const CHICKEN = 0;
const CAR = 1;
/** Trail channels speed1..speed5 are SPEED_BASE + |v|. */
const SPEED_BASE = 1;
const CHICKEN_X = 4;

class Freeway implements MinatarGame {
  terminal = false;
  readonly rampIndex = 0;
  /** Car i drives in row i + 1. */
  private readonly carX = new Int8Array(CARS);
  private readonly carTimer = new Int8Array(CARS);
  /** Signed speed: the sign is the direction, |v| the frames between moves minus one. */
  private readonly carSpeed = new Int8Array(CARS);
  private pos = 9;
  private moveTimer = PLAYER_SPEED;
  private terminateTimer = TIME_LIMIT;

  reset(rng: Rng): void {
    this.carX.fill(0);
    this.randomizeCars(rng);
    this.pos = 9;
    this.moveTimer = PLAYER_SPEED;
    this.terminateTimer = TIME_LIMIT;
    this.terminal = false;
  }

  /**
   * Draw order as the reference: eight speeds in 1..5, then eight uniforms for the directions.
   * The reference takes sign(u − 0.5), which is 0 (an invalid speed that crashes its renderer) for u = 0.5;
   * here u ≥ 0.5 means rightwards.
   */
  private randomizeCars(rng: Rng): void {
    for (let i = 0; i < CARS; i++) this.carSpeed[i] = 1 + rng.int(5);
    for (let i = 0; i < CARS; i++) {
      if (rng.random() < 0.5) this.carSpeed[i] = -this.carSpeed[i];
      this.carTimer[i] = Math.abs(this.carSpeed[i]);
    }
  }

  act(action: number, rng: Rng): number {
    if (this.terminal) return 0;
    if (action === UP && this.moveTimer === 0) {
      this.moveTimer = PLAYER_SPEED;
      this.pos = Math.max(0, this.pos - 1);
    } else if (action === DOWN && this.moveTimer === 0) {
      this.moveTimer = PLAYER_SPEED;
      this.pos = Math.min(9, this.pos + 1);
    }
    let reward = 0;
    if (this.pos === 0) {
      reward = 1;
      this.randomizeCars(rng);
      this.pos = 9;
    }
    for (let i = 0; i < CARS; i++) {
      if (this.carX[i] === CHICKEN_X && i + 1 === this.pos) this.pos = 9;
      if (this.carTimer[i] === 0) {
        const speed = this.carSpeed[i];
        this.carTimer[i] = Math.abs(speed);
        let x = this.carX[i] + (speed > 0 ? 1 : -1);
        if (x < 0) x = 9;
        else if (x > 9) x = 0;
        this.carX[i] = x;
        if (x === CHICKEN_X && i + 1 === this.pos) this.pos = 9;
      } else {
        this.carTimer[i]--;
      }
    }
    if (this.moveTimer > 0) this.moveTimer--;
    this.terminateTimer--;
    if (this.terminateTimer < 0) this.terminal = true;
    return reward;
  }

  observe(obs: Uint8Array): void {
    obs.fill(0, 0, SIDE * SIDE * CHANNELS);
    obs[at(this.pos, CHICKEN_X, CHICKEN)] = 1;
    for (let i = 0; i < CARS; i++) {
      const x = this.carX[i];
      const speed = this.carSpeed[i];
      obs[at(i + 1, x, CAR)] = 1;
      let back = speed > 0 ? x - 1 : x + 1;
      if (back < 0) back = 9;
      else if (back > 9) back = 0;
      obs[at(i + 1, back, SPEED_BASE + Math.abs(speed))] = 1;
    }
  }
}

export const FREEWAY: MinatarGameInfo = {
  name: 'freeway',
  channels: ['chicken', 'car', 'speed1', 'speed2', 'speed3', 'speed4', 'speed5'],
  legalActions: [NOOP, UP, DOWN],
  create: () => new Freeway(),
};
