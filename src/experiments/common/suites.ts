/** The game suites: MinAtar's built-in games and the paper's ten Atari games through the ALE. */
import { PAPER_GAMES } from '../../env/atari/games';
import { MINATAR_GAMES } from '../../env/minatar';

export const SUITES = ['minatar', 'atari'] as const;
export type Suite = (typeof SUITES)[number];

/** A suite's games, in their canonical order (Atari: the ten of Yin & Pan's experiments). */
export function gamesOf(suite: Suite): readonly string[] {
  return suite === 'minatar' ? MINATAR_GAMES : PAPER_GAMES;
}
