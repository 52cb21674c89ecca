/** The paper's ten Atari games and the ROMs that setup extracted from the pinned ale-py wheel. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../util/paths';

/** Yin & Pan (2017), section "Experiments", in ALE's ROM names. */
export const PAPER_GAMES = [
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
export type PaperGame = (typeof PAPER_GAMES)[number];

export const ALE_SETUP_COMMAND = 'bash scripts/setup.sh --only ale';
export const ROM_DIR = join(PROJECT_ROOT, 'native', 'ale', 'roms');

/** Names of every ROM in place, sorted; no ROM folder at all is an error with the setup command. */
export function availableGames(romDir = ROM_DIR): string[] {
  if (!existsSync(romDir)) {
    throw new Error(`Atari ROMs are missing (no folder ${romDir}): run '${ALE_SETUP_COMMAND}'`);
  }
  return readdirSync(romDir)
    .filter((f) => f.endsWith('.bin'))
    .map((f) => f.slice(0, -'.bin'.length))
    .sort();
}

/** The ROM file of `game`; an unknown name lists the available ones, a missing paper ROM names the setup command. */
export function romPath(game: string, romDir = ROM_DIR): string {
  const path = join(romDir, `${game}.bin`);
  if (existsSync(path)) return path;
  if ((PAPER_GAMES as readonly string[]).includes(game)) {
    throw new Error(`the ROM of '${game}' is missing (${path}): run '${ALE_SETUP_COMMAND}'`);
  }
  throw new RangeError(`unknown Atari game '${game}': expected one of ${availableGames(romDir).join(', ')}`);
}
