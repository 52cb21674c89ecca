/**
 * Breakout (MinAtar): a paddle on the bottom row bounces a diagonal ball into three rows of bricks.
 * +1 per brick; the rows refill once cleared; the ball reaching the bottom past the paddle ends the episode.
 */
import type { Rng } from '../../util/rng';
import { ACTION, GRID, type MinatarGame, type MinatarGameInfo } from './game';

// Local bindings: under tsx's CommonJS transform each use of an imported binding is a getter call,
// which made the step several times slower.
const { LEFT, NOOP, RIGHT } = ACTION;
const SIDE = GRID;

const CHANNELS = 4;
/** Index of cell (y, x), channel c, in an observation. */
const at = (y: number, x: number, c: number): number => (y * SIDE + x) * CHANNELS + c;
const PADDLE = 0;
const BALL = 1;
const TRAIL = 2;
const BRICK = 3;
/** Ball directions 0..3: up-left, up-right, down-right, down-left. */
const DX = [-1, 1, 1, -1];
const DY = [-1, -1, 1, 1];
const MIRROR_X = [1, 0, 3, 2];
const MIRROR_Y = [3, 2, 1, 0];
/** Bounce off the paddle's edge: the ball turns back the way it came. */
const REVERSE = [2, 3, 0, 1];
const BRICK_CELLS = 30;

class Breakout implements MinatarGame {
  terminal = false;
  readonly rampIndex = 0;
  private readonly bricks = new Uint8Array(SIDE * SIDE);
  private bricksLeft = BRICK_CELLS;
  private paddle = 4;
  private ballX = 0;
  private ballY = 3;
  private ballDir = 2;
  private lastX = 0;
  private lastY = 3;
  private strike = false;

  reset(rng: Rng): void {
    this.ballY = 3;
    const fromRight = rng.int(2) === 1;
    this.ballX = fromRight ? 9 : 0;
    this.ballDir = fromRight ? 3 : 2;
    this.paddle = 4;
    this.fillBricks();
    this.strike = false;
    this.lastX = this.ballX;
    this.lastY = this.ballY;
    this.terminal = false;
  }

  private fillBricks(): void {
    this.bricks.fill(0);
    this.bricks.fill(1, 1 * SIDE, 4 * SIDE);
    this.bricksLeft = BRICK_CELLS;
  }

  act(action: number, _rng: Rng): number {
    if (this.terminal) return 0;
    if (action === LEFT) this.paddle = Math.max(0, this.paddle - 1);
    else if (action === RIGHT) this.paddle = Math.min(9, this.paddle + 1);

    this.lastX = this.ballX;
    this.lastY = this.ballY;
    let newX = this.ballX + DX[this.ballDir];
    let newY = this.ballY + DY[this.ballDir];
    let reward = 0;
    let strikeToggle = false;
    if (newX < 0 || newX > 9) {
      newX = newX < 0 ? 0 : 9;
      this.ballDir = MIRROR_X[this.ballDir];
    }
    if (newY < 0) {
      newY = 0;
      this.ballDir = MIRROR_Y[this.ballDir];
    } else if (this.bricks[newY * SIDE + newX] === 1) {
      strikeToggle = true;
      if (!this.strike) {
        reward = 1;
        this.strike = true;
        this.bricks[newY * SIDE + newX] = 0;
        this.bricksLeft--;
        newY = this.lastY;
        this.ballDir = MIRROR_Y[this.ballDir];
      }
    } else if (newY === 9) {
      if (this.bricksLeft === 0) this.fillBricks();
      if (this.ballX === this.paddle) {
        this.ballDir = MIRROR_Y[this.ballDir];
        newY = this.lastY;
      } else if (newX === this.paddle) {
        this.ballDir = REVERSE[this.ballDir];
        newY = this.lastY;
      } else {
        this.terminal = true;
      }
    }
    if (!strikeToggle) this.strike = false;
    this.ballX = newX;
    this.ballY = newY;
    return reward;
  }

  observe(obs: Uint8Array): void {
    obs.fill(0, 0, SIDE * SIDE * CHANNELS);
    obs[at(this.ballY, this.ballX, BALL)] = 1;
    obs[at(9, this.paddle, PADDLE)] = 1;
    obs[at(this.lastY, this.lastX, TRAIL)] = 1;
    for (let cell = SIDE; cell < 4 * SIDE; cell++) if (this.bricks[cell]) obs[cell * CHANNELS + BRICK] = 1;
  }
}

export const BREAKOUT: MinatarGameInfo = {
  name: 'breakout',
  channels: ['paddle', 'ball', 'trail', 'brick'],
  legalActions: [NOOP, LEFT, RIGHT],
  create: () => new Breakout(),
};
