/**
 * Actor-Mimic Network (Parisotto, Ba & Salakhutdinov 2016): one network for every game, convolutional
 * layers, fully connected layers and the output over the full action set all shared.
 */
import type { Rng } from '../../util/rng';
import { convTorso, mlp, parameterCount } from '../layers';
import { type Tensor2D, type Tensor4D, tf } from '../tf';
import {
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

export function amnStudent(options: StudentOptions, rng: Rng): Student {
  checkStudentOptions(options);
  const { games, numActions, inputScale, convs, hidden } = options;
  const inputShape = sharedInputShape(games);
  const torso = convTorso('amn/shared/torso', inputShape, convs, rng);
  const head = mlp('amn/shared/head', torso.outputDim, [...hidden, numActions], rng);
  const variables = [...torso.variables, ...head.variables];
  const masks = legalMasks(games, numActions);
  const sharedInput = (x: Tensor4D) => padChannels(toNetworkInput(x, inputScale), inputShape[2]);
  return {
    architecture: 'amn',
    games,
    numActions,
    variables,
    variableNames: [...torso.variableNames, ...head.variableNames],
    trainableVariables: variables,
    legalMask: (gameIndex) => {
      checkGameIndex(games, gameIndex);
      return masks[gameIndex];
    },
    forward: (gameIndex: number, observations: Tensor4D): Tensor2D => {
      checkGameIndex(games, gameIndex);
      checkObservations(games[gameIndex], observations);
      return tf.tidy(() => head.apply(torso.apply(sharedInput(observations))));
    },
    forwardAll: (observations: readonly Tensor4D[]): Tensor2D => {
      checkBatches(games, observations);
      return tf.tidy(() => head.apply(torso.apply(tf.concat(observations.map(sharedInput)) as Tensor4D)));
    },
    parameterCount: () => parameterCount(variables),
    dispose: () => tf.dispose([...variables, ...masks]),
  };
}
