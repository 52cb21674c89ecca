/**
 * A one-cell game for the tests of evaluation (whole episodes and step budgets): an episode lasts a fixed number of
 * steps, action 2 pays 1, and every environment logs the actions it was given, so that a test can check which
 * actions the protocol chose (no-ops, ε-random or greedy among the legal ones) episode by episode.
 */
import type { Env, EnvSpec, StepResult } from '../env/types';

/** Three actions of which the game has 0 and 2: action 1 is illegal. */
export const COUNTER_SPEC: EnvSpec = {
  id: 'test/counter',
  suite: 'minatar',
  game: 'counter',
  observationShape: [1, 1, 1],
  numActions: 3,
  legalActions: [0, 2],
  actionNames: ['noop', 'a', 'b'],
};

/**
 * Pays 1 for full-set action 2 and 0 otherwise; episodes end after `length` steps. Each environment made appends
 * the list of the actions it is given to `log`.
 */
export function counterEnv(length: number, log: number[][]): (seed: number) => Env {
  return () => {
    const actions: number[] = [];
    log.push(actions);
    const result: StepResult = { reward: 0, terminal: false, truncated: false };
    return {
      spec: COUNTER_SPEC,
      reset: (obs) => obs.fill(0),
      step: (action) => {
        actions.push(action);
        result.reward = action === 2 ? 1 : 0;
        result.terminal = actions.length === length;
        return result;
      },
      render: () => ({ width: 1, height: 1, data: new Uint8Array(3) }),
      close: () => {},
    };
  };
}
