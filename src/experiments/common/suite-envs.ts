/** A suite's environments for teachers: training and evaluation protocols, and the game's spec. */
import { AtariEnv } from '../../env/atari';
import { makeMinatarEnv } from '../../env/minatar';
import type { Env, EnvSpec } from '../../env/types';
import { envsFrom, type TrainerEnvs } from '../../train/trainer-common';
import type { Suite } from './suites';

/**
 * The training and evaluation environments of a suite's game. MinAtar: one kind, fresh per episode (exact
 * resume). Atari: the training protocol (episodic life, clipped rewards) in one environment for the run, and
 * the evaluation protocol without the environment's own no-op starts, since the evaluation adds 0–30 itself.
 */
export function suiteEnvs(suite: Suite, game: string): TrainerEnvs {
  if (suite === 'minatar') return envsFrom((seed) => makeMinatarEnv(game, { seed }));
  return {
    training: (seed) => new AtariEnv(game, { seed, mode: 'training' }),
    evaluation: (seed) => new AtariEnv(game, { seed, mode: 'evaluation', noopMax: 0 }),
    freshPerEpisode: false,
  };
}

/** A fresh evaluation-protocol environment of the suite's game, seeded (for evaluations and pictures). */
export function makeSuiteEnv(suite: Suite, game: string, seed: number): Env {
  return suiteEnvs(suite, game).evaluation(seed);
}

/** The game's spec, read from one environment. */
export function suiteSpec(suite: Suite, game: string): EnvSpec {
  const env = makeSuiteEnv(suite, game, 0);
  env.close();
  return env.spec;
}
