/**
 * Yin & Pan's student (Figure 1): every game keeps its teacher's convolutional layers, initialised to
 * the teacher's weights and fine-tuned end to end by default (frozen on request); the flattened features
 * feed fully connected layers shared by all games and one shared output over the full action set, so
 * the same action of two games goes through the same weights.
 */
import type { Rng } from '../../util/rng';
import { type ConvTorso, convTorso, mlp } from '../layers';
import type { QNetwork } from '../qnetwork';
import { type Tensor2D, tf } from '../tf';
import { assembleStudent, checkStudentOptions, type Student, type StudentOptions, toNetworkInput } from './student';

export interface ProposedStudentOptions extends StudentOptions {
  /** Each game's trained teacher, in the order of `games`: its torso initialises the game's torso. */
  readonly teachers: readonly QNetwork[];
  /** Keep the teachers' convolutional weights fixed (the paper fine-tunes them: false). */
  readonly freezeTorso: boolean;
}

/** Copies `teacher`'s torso weights into `torso`, after checking that every shape matches. */
export function copyTorsoWeights(torso: ConvTorso, teacher: ConvTorso, gameName: string): void {
  const shapes = (t: ConvTorso) => t.variables.map((v) => `[${v.shape.join(', ')}]`).join(' ');
  if (shapes(torso) !== shapes(teacher)) {
    throw new RangeError(
      `${gameName}: the teacher's convolutional layers have shapes ${shapes(teacher)}, the student's need ${shapes(torso)}`,
    );
  }
  torso.variables.forEach((v, i) => {
    v.assign(teacher.variables[i]);
  });
}

export function proposedStudent(options: ProposedStudentOptions, rng: Rng): Student {
  checkStudentOptions(options);
  const { games, numActions, inputScale, convs, hidden, teachers, freezeTorso } = options;
  if (teachers.length !== games.length) {
    throw new RangeError(
      `the proposed student needs one teacher per game: ${games.length} games, ${teachers.length} teachers`,
    );
  }
  const torsos = games.map((game, i) => {
    const torso = convTorso(`proposed/${game.name}/torso`, game.observationShape, convs, rng);
    copyTorsoWeights(torso, teachers[i].torso, game.name);
    return torso;
  });
  const featureDim = torsos[0].outputDim;
  torsos.forEach((torso, i) => {
    if (torso.outputDim !== featureDim) {
      throw new RangeError(
        `shared layers need one feature size: ${games[i].name}'s torso gives ${torso.outputDim}, ${games[0].name}'s ${featureDim}`,
      );
    }
  });
  const shared = mlp('proposed/shared', featureDim, [...hidden, numActions], rng);
  const variables = [...torsos.flatMap((t) => t.variables), ...shared.variables];
  return assembleStudent(options, {
    architecture: 'proposed',
    variables,
    variableNames: [...torsos.flatMap((t) => t.variableNames), ...shared.variableNames],
    trainableVariables: freezeTorso ? shared.variables : variables,
    forward: (gameIndex, observations) =>
      shared.apply(torsos[gameIndex].apply(toNetworkInput(observations, inputScale))),
    forwardAll: (observations) =>
      shared.apply(tf.concat(observations.map((x, g) => torsos[g].apply(toNetworkInput(x, inputScale)))) as Tensor2D),
  });
}
