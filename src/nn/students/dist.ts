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
      return tf.tidy(() => {
        const features = torso.apply(padChannels(toNetworkInput(observations, inputScale), inputShape[2]));
        return tf.matMul(heads[gameIndex].apply(features), scatters[gameIndex]);
      });
    },
    parameterCount: () => parameterCount(variables),
    dispose: () => tf.dispose([...variables, ...masks, ...scatters]),
  };
}
