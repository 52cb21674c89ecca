/**
 * A tiny deterministic game for tests and the `demo` command: on a 5×5 grid the goal is the left or the right
 * column (drawn per episode, shown in the second channel), the agent starts in a random cell of the three
 * middle columns and earns 1 on reaching the goal; an action slips to a random one with probability 0.1; an
 * episode is cut after 20 steps. Walking one way wins half the episodes; reading the goal wins them all. It
 * learns in seconds, so the DQN loop can be checked end to end without the real suites.
 */
import type { Env, EnvSpec, RgbImage, StepResult } from '../env/types';
import { Rng } from '../util/rng';
import type { DqnConfig } from './dqn-config';

const SIZE = 5;
const TIME_LIMIT = 20;
const SLIP = 0.1;
const NOOP = 0;
const LEFT = 1;
const RIGHT = 2;

export const CORRIDOR_SPEC: EnvSpec = {
  id: 'test/corridor',
  suite: 'minatar',
  game: 'corridor',
  observationShape: [SIZE, SIZE, 2],
  numActions: 3,
  legalActions: [NOOP, LEFT, RIGHT],
  actionNames: ['noop', 'left', 'right'],
};

/**
 * A DQN that learns the corridor in seconds (the `demo` command's): γ = 0.9 over its 20-step episodes, short
 * evaluations with a few no-ops. Tests take it at a smaller scale.
 */
export const CORRIDOR_DQN: DqnConfig = {
  seed: 0,
  totalSteps: 2_000,
  network: { convs: [{ filters: 8, kernel: 3, stride: 1 }], hidden: [32] },
  inputScale: 1,
  replayCapacity: 2_000,
  batchSize: 32,
  gamma: 0.9,
  learningStarts: 200,
  updateEvery: 1,
  targetUpdateEvery: 100,
  epsilon: { start: 1, end: 0.05, decaySteps: 1_000 },
  optimizer: { learningRate: 1e-3, decay: 0.95, epsilon: 0.01, centered: true, epsilonOutsideRoot: true },
  loss: 'huber',
  doubleDqn: false,
  maxEpisodeSteps: null,
  evaluation: { every: 500, steps: 200, epsilon: 0.05, maxNoops: 3, finalEpisodes: 10, maxEpisodeSteps: 100 },
  checkpointEvery: 1_000_000,
};

export class CorridorEnv implements Env {
  readonly spec = CORRIDOR_SPEC;
  private readonly rng: Rng;
  private row = 0;
  private column = 0;
  private goal = 0;
  private time = 0;
  private readonly result: StepResult = { reward: 0, terminal: false, truncated: false };

  constructor(seed: number) {
    this.rng = new Rng(seed);
  }

  reset(obs: Uint8Array): void {
    this.row = this.rng.int(SIZE);
    this.goal = this.rng.int(2) === 0 ? 0 : SIZE - 1;
    this.column = 1 + this.rng.int(SIZE - 2);
    this.time = 0;
    this.observe(obs);
  }

  step(action: number, obs: Uint8Array): StepResult {
    if (!(Number.isInteger(action) && action >= 0 && action < 3)) {
      throw new RangeError(`corridor actions are 0 (noop), 1 (left), 2 (right); got ${action}`);
    }
    const taken = this.rng.random() < SLIP ? this.rng.int(3) : action;
    if (taken === LEFT) this.column = Math.max(0, this.column - 1);
    if (taken === RIGHT) this.column = Math.min(SIZE - 1, this.column + 1);
    this.time++;
    this.result.terminal = this.column === this.goal;
    this.result.reward = this.result.terminal ? 1 : 0;
    this.result.truncated = !this.result.terminal && this.time >= TIME_LIMIT;
    this.observe(obs);
    return this.result;
  }

  render(): RgbImage {
    const data = new Uint8Array(SIZE * SIZE * 3);
    for (let y = 0; y < SIZE; y++) data[(y * SIZE + this.goal) * 3 + 1] = 255;
    data.fill(255, (this.row * SIZE + this.column) * 3, (this.row * SIZE + this.column) * 3 + 3);
    return { width: SIZE, height: SIZE, data };
  }

  close(): void {}

  private observe(obs: Uint8Array): void {
    obs.fill(0);
    obs[(this.row * SIZE + this.column) * 2] = 1;
    for (let y = 0; y < SIZE; y++) obs[(y * SIZE + this.goal) * 2 + 1] = 1;
  }
}
