/**
 * The folders a plan's tables and figures go to under data/tables/ and figures/: a preset's own (`minatar-full`), or
 * one named with `--name`, whose `runs.txt` lists the runs its tables come from so that another plan cannot silently
 * replace them.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFilesAtomically } from '../../util/atomic-write';
import { displayPath } from '../../util/paths';
import { PRESET_NAMES, type PresetName } from '../common/preset-env';
import { SUITES, type Suite } from '../common/suites';
import type { PipelineOptions } from './pipeline';

/** The folder name of a preset's committed results, under data/tables/ and figures/ alike. */
export function presetResultsFolder(suite: Suite, preset: PresetName): string {
  return `${suite}-${preset}`;
}

/** Whether `options` ask for their preset's own plan, unchanged: no selection, override, game subset or teachers. */
export function isPresetsOwnPlan(options: PipelineOptions): boolean {
  return (
    options.only === undefined &&
    options.seeds === undefined &&
    (options.overrides ?? []).length === 0 &&
    options.games === undefined &&
    options.teachersRoot === undefined
  );
}

/** What `--name` accepts: a folder name of lowercase letters, digits and dashes. */
const RESULTS_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

/**
 * Refuses a `--name` that is not a plain folder name, or that is a preset's own results folder (`minatar-full`) for
 * any plan but that preset's own: an ablation never overwrites the committed results.
 */
export function checkResultsName(name: string, suite: Suite, preset: PresetName, isPresetPlan: boolean): void {
  if (!RESULTS_NAME.test(name))
    throw new RangeError(
      `--name '${name}' is not a folder name: expected lowercase letters, digits and dashes, starting with a letter or digit`,
    );
  const own = isPresetPlan ? presetResultsFolder(suite, preset) : null;
  const reserved = SUITES.flatMap((s) => PRESET_NAMES.map((p) => presetResultsFolder(s, p)));
  if (reserved.includes(name) && name !== own)
    throw new RangeError(
      `--name ${name}: that folder holds the ${name.replace('-', ' ')} preset's own results; name this plan otherwise`,
    );
}

/** The file in a named results folder that lists the runs its tables come from. */
export const RESULTS_RUNS_FILE = 'runs.txt';

const listing = (runs: readonly { readonly name: string }[]) => `${runs.map((run) => run.name).join('\n')}\n`;

/**
 * Refuses a named results folder whose `runs.txt` lists other runs than `runs` (other variants, seeds, settings or
 * teachers): checked before anything is written. Reads only: the list is written with the tables (`writeResultsRuns`).
 */
export function checkResultsFolder(dir: string, runs: readonly { readonly name: string }[]): void {
  const path = join(dir, RESULTS_RUNS_FILE);
  if (!existsSync(path)) return;
  if (readFileSync(path, 'utf8') === listing(runs)) return;
  const names = readRunsListing(path);
  const outside = names.filter((name) => !runs.some((run) => run.name === name));
  const which =
    outside.length > 0
      ? `runs outside this plan (${outside.slice(0, 3).join(', ')}${outside.length > 3 ? ', …' : ''})`
      : `${names.length} of these ${runs.length} runs only`;
  throw new RangeError(
    `${displayPath(dir)} holds the results of ${which}; choose another --name, or remove the folder to replace them`,
  );
}

/** The run names a runs file lists (a named folder's `runs.txt`), one per line. */
export function readRunsListing(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((name) => name !== '');
}

/** Writes the list of the runs a named folder's tables come from (with the tables, stage 3). */
export function writeResultsRuns(dir: string, runs: readonly { readonly name: string }[]): string {
  const path = join(dir, RESULTS_RUNS_FILE);
  mkdirSync(dir, { recursive: true });
  writeFilesAtomically([{ path, content: listing(runs) }]);
  return path;
}
