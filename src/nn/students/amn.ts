/**
 * Actor-Mimic Network (Parisotto, Ba & Salakhutdinov 2016): one network for every game, convolutional
 * layers, fully connected layers and the output over the full action set all shared.
 */
import type { Rng } from '../../util/rng';
import { mlp } from '../layers';
import { assembleStudent, checkStudentOptions, type Student, type StudentOptions, sharedTorso } from './student';

export function amnStudent(options: StudentOptions, rng: Rng): Student {
  checkStudentOptions(options);
  const shared = sharedTorso('amn/shared/torso', options, rng);
  const head = mlp('amn/shared/head', shared.torso.outputDim, [...options.hidden, options.numActions], rng);
  return assembleStudent(options, {
    architecture: 'amn',
    variables: [...shared.torso.variables, ...head.variables],
    variableNames: [...shared.torso.variableNames, ...head.variableNames],
    forward: (_, observations) => head.apply(shared.features(observations)),
    forwardAll: (observations) => head.apply(shared.featuresAll(observations)),
  });
}
