/**
 * The multi-task student networks' common contract. Every student maps one game's uint8 NHWC
 * observations to Q-values over the suite's full action set (`q_S`, [batch, numActions]); actions the
 * game lacks are removed by `legalMask` in the softmax, the loss, the priority and the action choice.
 */
import type { Rng } from '../../util/rng';
import { type ConvSpec, type ConvTorso, convTorso, parameterCount } from '../layers';
import { type Tensor, type Tensor2D, type Tensor4D, tf, type Variable } from '../tf';

export const STUDENT_ARCHITECTURES = ['proposed', 'dist', 'amn'] as const;
export type StudentArchitecture = (typeof STUDENT_ARCHITECTURES)[number];

/** What a student needs to know about one game of the suite. */
export interface StudentGame {
  /** Short name, used in variable names (e.g. 'breakout'). */
  readonly name: string;
  /** [height, width, channels] of one observation as the network reads it (stacked frames included). */
  readonly observationShape: readonly [number, number, number];
  /** The game's actions as ascending indices into the full action set. */
  readonly legalActions: readonly number[];
}

export interface StudentOptions {
  readonly games: readonly StudentGame[];
  /** Size of the suite's full action set: the width of every q_S. */
  readonly numActions: number;
  /** Multiplier from stored uint8 values to network inputs (the teachers' scale: 1 for MinAtar's 0/1 planes). */
  readonly inputScale: number;
  /** The teachers' convolutional layers: the proposed student copies them, the others share one such stack. */
  readonly convs: readonly ConvSpec[];
  /** Widths of the fully connected hidden layers (shared, or per game for DIST). */
  readonly hidden: readonly number[];
}

export interface Student {
  readonly architecture: StudentArchitecture;
  readonly games: readonly StudentGame[];
  readonly numActions: number;
  /** Every variable in a fixed order (what a checkpoint holds). */
  readonly variables: readonly Variable[];
  /** A unique name per variable, same order: the checkpoint keys. */
  readonly variableNames: readonly string[];
  /** The variables the optimiser updates (all but a frozen torso). */
  readonly trainableVariables: readonly Variable[];
  /** [1, numActions] of 1 for the game's legal actions and 0 elsewhere. */
  legalMask(gameIndex: number): Tensor2D;
  /** q_S of a batch of game `gameIndex`'s observations (uint8 values in any numeric dtype), [batch, numActions]. */
  forward(gameIndex: number, observations: Tensor4D): Tensor2D;
  /**
   * q_S of one batch per game (`observations[g]` of game g), rows stacked in game order: [Σ batch, numActions].
   * Equal to concatenating `forward(g, observations[g])`, but every shared layer runs once on all rows.
   */
  forwardAll(observations: readonly Tensor4D[]): Tensor2D;
  /** Number of scalar parameters (frozen ones included). */
  parameterCount(): number;
  dispose(): void;
}

/** Throws unless every game, the action set and the sizes are usable, naming the first bad value. */
export function checkStudentOptions(options: StudentOptions): void {
  const { games, numActions, inputScale, convs, hidden } = options;
  if (!(Number.isInteger(numActions) && numActions >= 1)) {
    throw new RangeError(`numActions must be an integer >= 1, got ${numActions}`);
  }
  if (games.length === 0) throw new RangeError('a student needs at least one game');
  const names = new Set<string>();
  for (const game of games) {
    if (names.has(game.name)) throw new RangeError(`game '${game.name}' appears twice`);
    names.add(game.name);
    const shape = game.observationShape;
    if (shape.length !== 3 || !shape.every((d) => Number.isInteger(d) && d >= 1)) {
      throw new RangeError(`${game.name}: observationShape must be 3 positive integers, got [${shape.join(', ')}]`);
    }
    const { legalActions } = game;
    const ascending = legalActions.every(
      (a, i) => Number.isInteger(a) && a >= 0 && a < numActions && (i === 0 || a > legalActions[i - 1]),
    );
    if (legalActions.length === 0 || !ascending) {
      throw new RangeError(
        `${game.name}: legalActions must be ascending distinct indices in [0, ${numActions}), got [${legalActions.join(', ')}]`,
      );
    }
  }
  if (!(inputScale > 0 && Number.isFinite(inputScale)))
    throw new RangeError(`inputScale must be a finite number > 0, got ${inputScale}`);
  if (convs.length === 0) throw new RangeError('a student needs at least one convolutional layer spec');
  hidden.forEach((width, i) => {
    if (!(Number.isInteger(width) && width >= 1))
      throw new RangeError(`hidden layer ${i} width must be an integer >= 1, got ${width}`);
  });
}

/** Throws unless `gameIndex` names one of `games`. */
function checkGameIndex(games: readonly StudentGame[], gameIndex: number): void {
  if (!(Number.isInteger(gameIndex) && gameIndex >= 0 && gameIndex < games.length)) {
    throw new RangeError(`game index must be an integer in [0, ${games.length}), got ${gameIndex}`);
  }
}

/** The legal-action mask of each game as a [1, numActions] float tensor (kept until the student is disposed). */
function legalMasks(games: readonly StudentGame[], numActions: number): Tensor2D[] {
  return games.map((game) => {
    const mask = new Float32Array(numActions);
    for (const a of game.legalActions) mask[a] = 1;
    return tf.tensor2d(mask, [1, numActions]);
  });
}

/** uint8 observations → float network input: cast, then scale (skipped for scale 1). */
export function toNetworkInput(observations: Tensor4D, inputScale: number): Tensor4D {
  const floats = tf.cast(observations, 'float32') as Tensor4D;
  return inputScale === 1 ? floats : (tf.mul(floats, inputScale) as Tensor4D);
}

/**
 * The input shape of convolutional layers shared by all games. Games must agree on height and width;
 * channel counts may differ (MinAtar: 4 to 10), so the shared layers read the largest count and each
 * game's observations are zero-padded up to it (`padChannels`): the extra input channels are always 0,
 * so their filter weights get no gradient from that game, and each game's real channels keep their own order.
 */
function sharedInputShape(games: readonly StudentGame[]): [number, number, number] {
  const [height, width] = games[0].observationShape;
  for (const game of games) {
    const [h, w] = game.observationShape;
    if (h !== height || w !== width) {
      throw new RangeError(
        `shared convolutional layers need one frame size: ${game.name} is ${h}×${w}, ${games[0].name} is ${height}×${width}`,
      );
    }
  }
  return [height, width, Math.max(...games.map((g) => g.observationShape[2]))];
}

/** Zero-pads the channel axis of NHWC `x` up to `channels`. */
function padChannels(x: Tensor4D, channels: number): Tensor4D {
  const missing = channels - x.shape[3];
  return missing === 0
    ? x
    : tf.pad(x, [
        [0, 0],
        [0, 0],
        [0, 0],
        [0, missing],
      ]);
}

/**
 * [k, numActions] 0/1 matrix placing a k-action output at the game's legal positions of the full action
 * set (a product with it is a scatter that tfjs can differentiate); illegal positions read 0 and are masked.
 */
export function actionScatter(legalActions: readonly number[], numActions: number): Tensor2D {
  const matrix = new Float32Array(legalActions.length * numActions);
  legalActions.forEach((a, j) => {
    matrix[j * numActions + a] = 1;
  });
  return tf.tensor2d(matrix, [legalActions.length, numActions]);
}

/** Throws unless there is one batch of observations per game, each of its game's shape. */
function checkBatches(games: readonly StudentGame[], observations: readonly Tensor4D[]): void {
  if (observations.length !== games.length) {
    throw new RangeError(`expected one batch of observations per game (${games.length}), got ${observations.length}`);
  }
  observations.forEach((x, g) => {
    checkObservations(games[g], x);
  });
}

/** Throws unless `observations` is a batch of game `game`'s observations. */
function checkObservations(game: StudentGame, observations: Tensor4D): void {
  const [, h, w, c] = observations.shape;
  const [eh, ew, ec] = game.observationShape;
  if (observations.rank !== 4 || h !== eh || w !== ew || c !== ec) {
    throw new RangeError(
      `${game.name}: observations must be [batch, ${eh}, ${ew}, ${ec}], got [${observations.shape.join(', ')}]`,
    );
  }
}

/** What sets an architecture apart: its variables and its forward passes. */
export interface StudentParts {
  readonly architecture: StudentArchitecture;
  readonly variables: readonly Variable[];
  readonly variableNames: readonly string[];
  /** The variables the optimiser updates; all of them when absent. */
  readonly trainableVariables?: readonly Variable[];
  /** q_S of game `gameIndex`'s batch (run inside a tidy, arguments checked). */
  readonly forward: (gameIndex: number, observations: Tensor4D) => Tensor2D;
  /** q_S of one batch per game, rows stacked in game order (run inside a tidy, arguments checked). */
  readonly forwardAll: (observations: readonly Tensor4D[]) => Tensor2D;
  /** Tensors the student owns beside its variables (DIST's action scatters), disposed with it. */
  readonly constants?: readonly Tensor[];
}

/**
 * A `Student` from its parts, with what every architecture does alike: the argument checks, the legal-action masks,
 * the forward passes inside `tf.tidy`, the parameter count and disposal.
 */
export function assembleStudent(options: StudentOptions, parts: StudentParts): Student {
  const { games, numActions } = options;
  const { variables } = parts;
  const masks = legalMasks(games, numActions);
  return {
    architecture: parts.architecture,
    games,
    numActions,
    variables,
    variableNames: parts.variableNames,
    trainableVariables: parts.trainableVariables ?? variables,
    legalMask: (gameIndex) => {
      checkGameIndex(games, gameIndex);
      return masks[gameIndex];
    },
    forward: (gameIndex, observations) => {
      checkGameIndex(games, gameIndex);
      checkObservations(games[gameIndex], observations);
      return tf.tidy(() => parts.forward(gameIndex, observations));
    },
    forwardAll: (observations) => {
      checkBatches(games, observations);
      return tf.tidy(() => parts.forwardAll(observations));
    },
    parameterCount: () => parameterCount(variables),
    dispose: () => tf.dispose([...variables, ...masks, ...(parts.constants ?? [])]),
  };
}

/** Convolutional layers every game shares (DIST, AMN), with the features they give. */
export interface SharedTorso {
  readonly torso: ConvTorso;
  /** Features of one game's batch. */
  readonly features: (observations: Tensor4D) => Tensor2D;
  /** Features of one batch per game, rows stacked in game order, in one pass. */
  readonly featuresAll: (observations: readonly Tensor4D[]) => Tensor2D;
}

/**
 * A `SharedTorso` named `name`, reading each game's observations scaled and zero-padded to the largest channel
 * count (`sharedInputShape`).
 */
export function sharedTorso(name: string, options: StudentOptions, rng: Rng): SharedTorso {
  const inputShape = sharedInputShape(options.games);
  const torso = convTorso(name, inputShape, options.convs, rng);
  const input = (x: Tensor4D) => padChannels(toNetworkInput(x, options.inputScale), inputShape[2]);
  return {
    torso,
    features: (observations) => torso.apply(input(observations)),
    featuresAll: (observations) => torso.apply(tf.concat(observations.map(input)) as Tensor4D),
  };
}
