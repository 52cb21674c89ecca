/**
 * A MinAtar distillation loop on the five games with untrained stand-in teachers, for the benchmarks that time
 * the loop (its cost does not depend on the teachers' weights).
 */
import type { DistillConfig } from '../src/distill/config';
import { Distiller, type DistillerSetup } from '../src/distill/distiller';
import { MINATAR_GAMES, makeMinatarEnv } from '../src/env/minatar';
import { makeRunEnv } from '../src/experiments/reproduce/run';
import { MINATAR_DQN, type QNetwork, qNetwork } from '../src/nn/qnetwork';
import { Rng } from '../src/util/rng';

const specs = MINATAR_GAMES.map((game) => makeMinatarEnv(game).spec);

/** The stand-in teachers, one per game (the caller disposes their variables when done). */
export function standInTeachers(): QNetwork[] {
  return specs.map((spec, i) =>
    qNetwork('teacher', MINATAR_DQN, spec.observationShape, spec.legalActions.length, new Rng(i)),
  );
}

/** The setup of a run on the five games with `teachers` (scores of 1, value ranges [−1, 1]). */
export function standInSetup(config: DistillConfig, teachers: readonly QNetwork[]): DistillerSetup {
  return {
    config,
    games: specs.map((spec, i) => ({
      spec,
      teacher: teachers[i],
      teacherPath: '(stand-in)',
      teacherScore: 1,
      valueRange: [-1, 1] as const,
    })),
    makeEnv: (g, seed) => makeRunEnv('minatar', specs[g].game, seed, config.maxEpisodeSteps),
    teacherNetwork: MINATAR_DQN,
    inputScale: 1,
  };
}

export function standInDistiller(config: DistillConfig, teachers: readonly QNetwork[]): Distiller {
  return Distiller.create(standInSetup(config, teachers), null);
}
