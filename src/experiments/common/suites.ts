/** The game suites: MinAtar's built-in games and the paper's ten Atari games through the ALE. */
import { MINATAR_GAMES } from '../../env/minatar';

export const SUITES = ['minatar', 'atari'] as const;
export type Suite = (typeof SUITES)[number];

/** The ten games of Yin & Pan's experiments, as the ALE names them. */
export const ATARI_GAMES = [
  'beam_rider',
  'breakout',
  'enduro',
  'freeway',
  'ms_pacman',
  'pong',
  'qbert',
  'seaquest',
  'space_invaders',
  'riverraid',
] as const;

/** A suite's games, in their canonical order. */
export function gamesOf(suite: Suite): readonly string[] {
  return suite === 'minatar' ? MINATAR_GAMES : ATARI_GAMES;
}
