/** Everything that defines a DQN teacher run, as plain JSON-able data (saved in checkpoints and run folders). */
import type { QNetworkSpec } from '../nn/qnetwork';
import type { RmsPropOptions } from '../nn/rmsprop';
import type { DivergenceConfig } from './divergence';
import type { EpsilonSchedule } from './epsilon';
import type { EvaluationConfig } from './evaluate';

/** The TD loss: Huber (Nature DQN) or squared. */
export type LossKind = 'huber' | 'mse';

/** The evaluations during training (a step budget, as the paper) and the final one (whole episodes). */
export interface DqnEvaluationConfig extends EvaluationConfig {
  /** Episodes of the final evaluation: the teacher's score and its interval. */
  readonly finalEpisodes: number;
  /** Evaluation episodes longer than this are cut and reported as truncated. */
  readonly maxEpisodeSteps: number;
}

export interface DqnConfig {
  readonly seed: number;
  /** Environment (agent) steps to train for. */
  readonly totalSteps: number;
  readonly network: QNetworkSpec;
  /** Factor applied to the uint8 observations before the network (1 for MinAtar's 0/1 planes, 1/255 for Atari). */
  readonly inputScale: number;
  readonly replayCapacity: number;
  readonly batchSize: number;
  readonly gamma: number;
  /** Steps of acting (with ε = `epsilon.start`'s schedule) before the first update. */
  readonly learningStarts: number;
  /** One update every this many steps. */
  readonly updateEvery: number;
  /** Steps between copies of the online network into the target network. */
  readonly targetUpdateEvery: number;
  readonly epsilon: EpsilonSchedule;
  readonly optimizer: RmsPropOptions;
  readonly loss: LossKind;
  readonly doubleDqn: boolean;
  /** Training episodes longer than this are cut (a truncation, not a terminal); null for no limit. */
  readonly maxEpisodeSteps: number | null;
  readonly evaluation: DqnEvaluationConfig;
  /** A checkpoint is written at the first episode end at or after every multiple of this many steps. */
  readonly checkpointEvery: number;
  /** When a loss stops the run as diverged (divergence.ts); absent: DEFAULT_DIVERGENCE; null: non-finite only. */
  readonly divergence?: DivergenceConfig | null;
}
