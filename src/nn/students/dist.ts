/**
 * DIST (Rusu et al. 2016, multi-task policy distillation): convolutional layers shared by all games,
 * then per game its own fully connected layer(s) and its own output over that game's actions only,
 * scattered into the full action set so that every student answers with the same [batch, numActions].
 */
import type { Rng } from '../../util/rng';
import { mlp } from '../layers';
import { type Tensor2D, tf } from '../tf';
import {
  actionScatter,
  assembleStudent,
  checkStudentOptions,
  type Student,
  type StudentOptions,
  sharedTorso,
} from './student';

export function distStudent(options: StudentOptions, rng: Rng): Student {
  checkStudentOptions(options);
  const { games, numActions, hidden } = options;
  const shared = sharedTorso('dist/shared/torso', options, rng);
  const heads = games.map((game) =>
    mlp(`dist/${game.name}/head`, shared.torso.outputDim, [...hidden, game.legalActions.length], rng),
  );
  const scatters = games.map((game) => actionScatter(game.legalActions, numActions));
  // Game g's own layers on shared features, its outputs placed at its legal actions of the full set.
  const head = (g: number, features: Tensor2D) => tf.matMul(heads[g].apply(features), scatters[g]) as Tensor2D;
  return assembleStudent(options, {
    architecture: 'dist',
    variables: [...shared.torso.variables, ...heads.flatMap((h) => h.variables)],
    variableNames: [...shared.torso.variableNames, ...heads.flatMap((h) => h.variableNames)],
    forward: (gameIndex, observations) => head(gameIndex, shared.features(observations)),
    forwardAll: (observations) => {
      const perGame = tf.split(
        shared.featuresAll(observations),
        observations.map((x) => x.shape[0]),
        0,
      );
      return tf.concat(perGame.map((f, g) => head(g, f as Tensor2D))) as Tensor2D;
    },
    constants: scatters,
  });
}
