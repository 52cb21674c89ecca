/** The five MinAtar games by name. */
import { ASTERIX } from './asterix';
import { BREAKOUT } from './breakout';
import { FREEWAY } from './freeway';
import type { MinatarGameInfo } from './game';
import { SEAQUEST } from './seaquest';
import { SPACE_INVADERS } from './space-invaders';

export const MINATAR_GAMES = ['asterix', 'breakout', 'freeway', 'seaquest', 'space_invaders'] as const;
export type MinatarGameName = (typeof MINATAR_GAMES)[number];

const GAMES: Record<MinatarGameName, MinatarGameInfo> = {
  asterix: ASTERIX,
  breakout: BREAKOUT,
  freeway: FREEWAY,
  seaquest: SEAQUEST,
  space_invaders: SPACE_INVADERS,
};

/** The game's rules and metadata; an unknown name is an error listing the valid ones. */
export function minatarGame(name: string): MinatarGameInfo {
  if (!Object.hasOwn(GAMES, name)) {
    throw new RangeError(`unknown MinAtar game '${name}': expected one of ${MINATAR_GAMES.join(', ')}`);
  }
  return GAMES[name as MinatarGameName];
}
