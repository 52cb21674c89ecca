/**
 * Two corridor games and a small distillation configuration for the tests of the distillation loop: the full
 * corridor, and one whose legal actions are no-op and right only. Teachers are untrained (seeded) networks.
 */
import type { Env, EnvSpec } from '../env/types';
import { type QNetworkSpec, qNetwork } from '../nn/qnetwork';
import { CORRIDOR_SPEC, CorridorEnv } from '../train/corridor-env';
import { DEFAULT_DIVERGENCE } from '../train/divergence';
import { Rng } from '../util/rng';
import type { DistillConfig, GameSetup } from './config';

export const NARROW_CORRIDOR_SPEC: EnvSpec = {
  ...CORRIDOR_SPEC,
  id: 'test/corridor-narrow',
  game: 'corridor_narrow',
  legalActions: [0, 2],
};

export class NarrowCorridor extends CorridorEnv {
  override readonly spec = NARROW_CORRIDOR_SPEC;
}

export const CORRIDOR_SPECS = [CORRIDOR_SPEC, NARROW_CORRIDOR_SPEC];

/** Game g's environment: the full corridor (0) or the narrow one (1). */
export const makeCorridorEnv = (game: number, seed: number): Env =>
  game === 0 ? new CorridorEnv(seed) : new NarrowCorridor(seed);

export const CORRIDOR_TEACHER: QNetworkSpec = { convs: [{ filters: 4, kernel: 3, stride: 1 }], hidden: [16] };

/** Both games with fresh untrained teachers (the caller disposes their variables), scored 0.5. */
export const corridorGames = (): GameSetup[] =>
  CORRIDOR_SPECS.map((spec, g) => ({
    spec,
    teacher: qNetwork(
      `teacher${g}`,
      CORRIDOR_TEACHER,
      spec.observationShape,
      spec.legalActions.length,
      new Rng(20 + g),
    ),
    teacherPath: `teachers/${spec.game}.dlck`,
    teacherScore: 0.5,
    valueRange: [-0.5, 0.5],
  }));

/** 60 updates of the proposed student with H-PR on the corridors: seconds, not minutes. */
export const CORRIDOR_CONFIG: DistillConfig = {
  seed: 5,
  architecture: 'proposed',
  hidden: [16, 8],
  freezeTorso: false,
  totalUpdates: 60,
  updateEvery: 4,
  learningStarts: 32,
  batchSize: 8,
  memoryCapacity: 200,
  sampler: { kind: 'hierarchical', partitions: 3, alpha: 0.6, beta: { start: 0.4, end: 1, steps: 60 } },
  tau: 0.1,
  optimizer: { learningRate: 1e-3, decay: 0.95, epsilon: 0.01, centered: true },
  epsilon: { start: 1, end: 0.1, decaySteps: 200 },
  evaluation: { every: 20, episodes: 2, epsilon: 0.05, maxNoops: 3, maxEpisodeSteps: 40 },
  maxEpisodeSteps: null,
  checkpointEvery: 25,
  divergence: DEFAULT_DIVERGENCE,
};
