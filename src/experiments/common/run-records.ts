/**
 * A run folder's record of the commands that wrote it: `command.txt` keeps the one that started the run, and
 * `commands.log` gets a line for every start (the first, each resume, each `reproduce --jobs` child).
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { withFileError } from '../../util/atomic-write';

export const COMMANDS_LOG = 'commands.log';

/** Appends `TIME  PID  COMMAND` to FOLDER/commands.log (ISO time, this process's PID). */
export function appendCommandLog(folder: string, command: string): void {
  const path = join(folder, COMMANDS_LOG);
  const line = `${new Date().toISOString()}  pid ${process.pid}  ${command.replace(/\n/g, ' ')}\n`;
  withFileError('append to', path, () => appendFileSync(path, line));
}
