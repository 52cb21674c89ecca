/**
 * DIST (Rusu et al. 2016, multi-task policy distillation): convolutional layers shared by all games,
 * then per game its own fully connected layer(s) and its own output over that game's actions only,
 * scattered into the full action set so that every student answers with the same [batch, numActions].
 */
import type { Rng } from '../../util/rng';
import { convTorso, mlp, parameterCount } from '../layers';
import { type Tensor2D, type Tensor4D, tf } from '../tf';
import {
  actionScatter,
  checkBatches,
  checkGameIndex,
  checkObservations,
  checkStudentOptions,
  legalMasks,
  padChannels,
  type Student,
  type StudentOptions,
  sharedInputShape,
  toNetworkInput,
} from './student';

export function distStudent(options: StudentOptions, rng: Rng): Student {
  checkStudentOptions(options);
  const { games, numActions, inputScale, convs, hidden } = options;
  const inputShape = sharedInputShape(games);
  const torso = convTorso('dist/shared/torso', inputShape, convs, rng);
  const heads = games.map((game) =>
    mlp(`dist/${game.name}/head`, torso.outputDim, [...hidden, game.legalActions.length], rng),
  );
  const scatters = games.map((game) => actionScatter(game.legalActions, numActions));
  const variables = [...torso.variables, ...heads.flatMap((h) => h.variables)];
  const masks = legalMasks(games, numActions);
  const sharedInput = (x: Tensor4D) => padChannels(toNetworkInput(x, inputScale), inputShape[2]);
  // Game g's own layers on shared features, its outputs placed at its legal actions of the full set.
  const head = (g: number, features: Tensor2D) => tf.matMul(heads[g].apply(features), scatters[g]) as Tensor2D;
  return {
    architecture: 'dist',
    games,
    numActions,
    variables,
    variableNames: [...torso.variableNames, ...heads.flatMap((h) => h.variableNames)],
    trainableVariables: variables,
    legalMask: (gameIndex) => {
      checkGameIndex(games, gameIndex);
      return masks[gameIndex];
    },
    forward: (gameIndex: number, observations: Tensor4D): Tensor2D => {
      checkGameIndex(games, gameIndex);
      checkObservations(games[gameIndex], observations);
      return tf.tidy(() => head(gameIndex, torso.apply(sharedInput(observations))));
    },
    forwardAll: (observations: readonly Tensor4D[]): Tensor2D => {
      checkBatches(games, observations);
      return tf.tidy(() => {
        const features = torso.apply(tf.concat(observations.map(sharedInput)) as Tensor4D);
        const perGame = tf.split(
          features,
          observations.map((x) => x.shape[0]),
          0,
        );
        return tf.concat(perGame.map((f, g) => head(g, f as Tensor2D))) as Tensor2D;
      });
    },
    parameterCount: () => parameterCount(variables),
    dispose: () => tf.dispose([...variables, ...masks, ...scatters]),
  };
}
