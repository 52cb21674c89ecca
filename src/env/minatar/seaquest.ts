/**
 * Seaquest (MinAtar): a two-cell submarine shoots fish and enemy subs (+1 each), picks up divers, and must
 * surface before its oxygen runs out, with at least one diver aboard. Surfacing with six divers scores the
 * remaining oxygen (one point per 20 units). Each surfacing ramps up the enemies' spawn rate and speed.
 */
import type { Rng } from '../../util/rng';
import { EntityList } from './entity-list';
import { ACTION, GRID, type MinatarGame, type MinatarGameInfo } from './game';

// Local bindings: under tsx's CommonJS transform each use of an imported binding is a getter call,
// which made the step several times slower.
const { DOWN, FIRE, LEFT, NOOP, RIGHT, UP } = ACTION;
const SIDE = GRID;

const MAX_OXYGEN = 200;
const INIT_SPAWN_SPEED = 20;
const DIVER_SPAWN_SPEED = 30;
const INIT_MOVE_INTERVAL = 5;
const SHOT_COOL_DOWN = 5;
const ENEMY_SHOT_INTERVAL = 10;
const DIVER_MOVE_INTERVAL = 5;
const MAX_DIVERS = 6;
const CHANNELS = 10;
/** Index of cell (y, x), channel c, in an observation. */
const at = (y: number, x: number, c: number): number => (y * SIDE + x) * CHANNELS + c;
const SUB_FRONT = 0;
const SUB_BACK = 1;
const FRIENDLY_BULLET = 2;
const TRAIL = 3;
const ENEMY_BULLET = 4;
const ENEMY_FISH = 5;
const ENEMY_SUB = 6;
const OXYGEN_GAUGE = 7;
const DIVER_GAUGE = 8;
const DIVER = 9;

class Seaquest implements MinatarGame {
  terminal = false;
  rampIndex = 0;
  private oxygen = MAX_OXYGEN;
  private diverCount = 0;
  private subX = 5;
  private subY = 0;
  private facingRight = false;
  private readonly friendlyBullets = new EntityList();
  private readonly enemyBullets = new EntityList();
  private readonly fish = new EntityList();
  private readonly subs = new EntityList();
  private readonly divers = new EntityList();
  private enemySpawnSpeed = INIT_SPAWN_SPEED;
  private enemySpawnTimer = INIT_SPAWN_SPEED;
  private diverSpawnTimer = DIVER_SPAWN_SPEED;
  private moveSpeed = INIT_MOVE_INTERVAL;
  private shotTimer = 0;
  private surfaced = true;

  constructor(private readonly ramping: boolean) {}

  reset(_rng: Rng): void {
    this.oxygen = MAX_OXYGEN;
    this.diverCount = 0;
    this.subX = 5;
    this.subY = 0;
    this.facingRight = false;
    this.friendlyBullets.clear();
    this.enemyBullets.clear();
    this.fish.clear();
    this.subs.clear();
    this.divers.clear();
    this.enemySpawnSpeed = INIT_SPAWN_SPEED;
    this.enemySpawnTimer = INIT_SPAWN_SPEED;
    this.diverSpawnTimer = DIVER_SPAWN_SPEED;
    this.moveSpeed = INIT_MOVE_INTERVAL;
    this.rampIndex = 0;
    this.shotTimer = 0;
    this.surfaced = true;
    this.terminal = false;
  }

  act(action: number, rng: Rng): number {
    if (this.terminal) return 0;
    if (this.enemySpawnTimer === 0) {
      this.spawnEnemy(rng);
      this.enemySpawnTimer = this.enemySpawnSpeed;
    }
    if (this.diverSpawnTimer === 0) {
      this.spawnDiver(rng);
      this.diverSpawnTimer = DIVER_SPAWN_SPEED;
    }
    if (action === FIRE && this.shotTimer === 0) {
      this.friendlyBullets.push(this.subX, this.subY, this.facingRight, 0, 0);
      this.shotTimer = SHOT_COOL_DOWN;
    } else if (action === LEFT) {
      this.subX = Math.max(0, this.subX - 1);
      this.facingRight = false;
    } else if (action === RIGHT) {
      this.subX = Math.min(9, this.subX + 1);
      this.facingRight = true;
    } else if (action === UP) this.subY = Math.max(0, this.subY - 1);
    else if (action === DOWN) this.subY = Math.min(8, this.subY + 1);

    let reward = this.moveFriendlyBullets();
    this.moveDivers();
    reward += this.moveEnemies(this.subs);
    this.moveEnemyBullets();
    reward += this.moveEnemies(this.fish);

    if (this.enemySpawnTimer > 0) this.enemySpawnTimer--;
    if (this.diverSpawnTimer > 0) this.diverSpawnTimer--;
    if (this.shotTimer > 0) this.shotTimer--;
    if (this.oxygen <= 0) this.terminal = true;
    if (this.subY > 0) {
      this.oxygen--;
      this.surfaced = false;
    } else if (!this.surfaced) {
      if (this.diverCount === 0) this.terminal = true;
      else reward += this.surface();
    }
    return reward;
  }

  /** Bullets fly one cell per step; one hitting a fish (checked first) or a sub removes both and scores. */
  private moveFriendlyBullets(): number {
    const bullets = this.friendlyBullets;
    let reward = 0;
    for (let i = bullets.length - 1; i >= 0; i--) {
      const x = bullets.x[i] + (bullets.right[i] ? 1 : -1);
      bullets.x[i] = x;
      if (x < 0 || x > 9) {
        bullets.removeAt(i);
        continue;
      }
      const y = bullets.y[i];
      const fish = this.fish.indexAt(x, y);
      const sub = fish >= 0 ? -1 : this.subs.indexAt(x, y);
      if (fish >= 0) this.fish.removeAt(fish);
      else if (sub >= 0) this.subs.removeAt(sub);
      else continue;
      bullets.removeAt(i);
      reward++;
    }
    return reward;
  }

  private pickUpDiver(i: number): boolean {
    const divers = this.divers;
    if (divers.x[i] !== this.subX || divers.y[i] !== this.subY || this.diverCount >= MAX_DIVERS) return false;
    divers.removeAt(i);
    this.diverCount++;
    return true;
  }

  private moveDivers(): void {
    const divers = this.divers;
    for (let i = divers.length - 1; i >= 0; i--) {
      if (this.pickUpDiver(i)) continue;
      if (divers.timer[i] === 0) {
        divers.timer[i] = DIVER_MOVE_INTERVAL;
        const x = divers.x[i] + (divers.right[i] ? 1 : -1);
        divers.x[i] = x;
        if (x < 0 || x > 9) divers.removeAt(i);
        else this.pickUpDiver(i);
      } else {
        divers.timer[i]--;
      }
    }
  }

  /**
   * Fish and subs: touching the player ends the episode; moving onto a friendly bullet removes both and scores.
   * Subs fire every 11 steps from where they stand, even in the step they are destroyed or leave the grid
   * (as the reference, which keeps using the removed entity).
   */
  private moveEnemies(enemies: EntityList): number {
    const shoots = enemies === this.subs;
    let reward = 0;
    for (let i = enemies.length - 1; i >= 0; i--) {
      let x = enemies.x[i];
      const y = enemies.y[i];
      const right = enemies.right[i] === 1;
      let removed = false;
      if (x === this.subX && y === this.subY) this.terminal = true;
      if (enemies.timer[i] === 0) {
        enemies.timer[i] = this.moveSpeed;
        x += right ? 1 : -1;
        enemies.x[i] = x;
        if (x < 0 || x > 9) removed = true;
        else if (x === this.subX && y === this.subY) this.terminal = true;
        else {
          const hit = this.friendlyBullets.indexAt(x, y);
          if (hit >= 0) {
            this.friendlyBullets.removeAt(hit);
            reward++;
            removed = true;
          }
        }
      } else {
        enemies.timer[i]--;
      }
      const shotTimer = enemies.shotTimer[i];
      if (removed) enemies.removeAt(i);
      if (!shoots) continue;
      if (shotTimer === 0) {
        if (!removed) enemies.shotTimer[i] = ENEMY_SHOT_INTERVAL;
        this.enemyBullets.push(x, y, right, 0, 0);
      } else if (!removed) {
        enemies.shotTimer[i]--;
      }
    }
    return reward;
  }

  private moveEnemyBullets(): void {
    const bullets = this.enemyBullets;
    for (let i = bullets.length - 1; i >= 0; i--) {
      const y = bullets.y[i];
      if (bullets.x[i] === this.subX && y === this.subY) this.terminal = true;
      const x = bullets.x[i] + (bullets.right[i] ? 1 : -1);
      bullets.x[i] = x;
      if (x < 0 || x > 9) bullets.removeAt(i);
      else if (x === this.subX && y === this.subY) this.terminal = true;
    }
  }

  /**
   * Surfacing with divers refills the oxygen and ramps the difficulty. With six divers all of them leave and
   * the remaining oxygen scores; otherwise one diver leaves. (Reference 1.0.15 also subtracts one after
   * emptying, leaving −1 divers; see docs/environments.md for why this is not copied.)
   */
  private surface(): number {
    this.surfaced = true;
    let reward = 0;
    if (this.diverCount === MAX_DIVERS) {
      this.diverCount = 0;
      reward = Math.floor((this.oxygen * 10) / MAX_OXYGEN);
    } else {
      this.diverCount--;
    }
    this.oxygen = MAX_OXYGEN;
    if (this.ramping && (this.enemySpawnSpeed > 1 || this.moveSpeed > 2)) {
      if (this.moveSpeed > 2 && this.rampIndex % 2) this.moveSpeed--;
      if (this.enemySpawnSpeed > 1) this.enemySpawnSpeed--;
      this.rampIndex++;
    }
    return reward;
  }

  /** Draw order as the reference: side, kind, row; no spawn where it would meet an opposite-moving enemy. */
  private spawnEnemy(rng: Rng): void {
    const fromLeft = rng.random() < 1 / 2;
    const isSub = rng.random() < 1 / 3;
    const y = 1 + rng.int(8);
    if (this.meetsOpposite(this.subs, y, fromLeft) || this.meetsOpposite(this.fish, y, fromLeft)) return;
    if (isSub) this.subs.push(fromLeft ? 0 : 9, y, fromLeft, this.moveSpeed, ENEMY_SHOT_INTERVAL);
    else this.fish.push(fromLeft ? 0 : 9, y, fromLeft, this.moveSpeed, 0);
  }

  private meetsOpposite(enemies: EntityList, y: number, right: boolean): boolean {
    const r = right ? 1 : 0;
    for (let i = 0; i < enemies.length; i++) if (enemies.y[i] === y && enemies.right[i] !== r) return true;
    return false;
  }

  private spawnDiver(rng: Rng): void {
    const fromLeft = rng.random() < 1 / 2;
    const y = 1 + rng.int(8);
    this.divers.push(fromLeft ? 0 : 9, y, fromLeft, DIVER_MOVE_INTERVAL, 0);
  }

  observe(obs: Uint8Array): void {
    obs.fill(0, 0, SIDE * SIDE * CHANNELS);
    obs[at(this.subY, this.subX, SUB_FRONT)] = 1;
    obs[at(this.subY, this.facingRight ? this.subX - 1 : this.subX + 1, SUB_BACK)] = 1;
    const oxygenCells = Math.floor((Math.max(0, this.oxygen) * 10) / MAX_OXYGEN);
    for (let x = 0; x < oxygenCells; x++) obs[at(9, x, OXYGEN_GAUGE)] = 1;
    for (let x = 9 - this.diverCount; x < 9; x++) obs[at(9, x, DIVER_GAUGE)] = 1;
    this.observeList(obs, this.friendlyBullets, FRIENDLY_BULLET, false);
    this.observeList(obs, this.enemyBullets, ENEMY_BULLET, false);
    this.observeList(obs, this.fish, ENEMY_FISH, true);
    this.observeList(obs, this.subs, ENEMY_SUB, true);
    this.observeList(obs, this.divers, DIVER, true);
  }

  private observeList(obs: Uint8Array, list: EntityList, channel: number, trail: boolean): void {
    for (let i = 0; i < list.length; i++) {
      const x = list.x[i];
      const y = list.y[i];
      obs[at(y, x, channel)] = 1;
      if (!trail) continue;
      const back = list.right[i] ? x - 1 : x + 1;
      if (back >= 0 && back <= 9) obs[at(y, back, TRAIL)] = 1;
    }
  }
}

export const SEAQUEST: MinatarGameInfo = {
  name: 'seaquest',
  channels: [
    'sub_front',
    'sub_back',
    'friendly_bullet',
    'trail',
    'enemy_bullet',
    'enemy_fish',
    'enemy_sub',
    'oxygen_gauge',
    'diver_gauge',
    'diver',
  ],
  legalActions: [NOOP, LEFT, UP, RIGHT, DOWN, FIRE],
  create: (difficultyRamping) => new Seaquest(difficultyRamping),
};
