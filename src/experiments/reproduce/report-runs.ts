/**
 * Which run folders `report DIR` reads. A preset's folder keeps the runs of every plan trained into it (the preset's
 * own, each ablation's, the runs of settings since changed), and two plans' runs of one variant and seed would be
 * merged evaluation by evaluation into one experiment: silently wrong curves. So a report refuses a folder in which a
 * variant and seed has two runs (their names differ only in the settings' key), or reads the runs a file lists (a
 * named plan's `runs.txt`). Runs of two plans with different seeds cannot be told apart by their names: a folder
 * holding seeds 0–2 of one plan and 3–4 of another is read as one plan of five seeds.
 */
import { displayPath } from '../../util/paths';
import { runNameWithoutKey } from './run';

/** Runs named in a message before the rest are counted. */
const NAMED = 3;

const some = (names: readonly string[]) =>
  `${names.slice(0, NAMED).join('; ')}${names.length > NAMED ? `; and ${names.length - NAMED} more` : ''}`;

/** What `report` found in its folder. */
export interface ReportFolder {
  readonly dir: string;
  /** Its run folders with a curve table. */
  readonly withCurves: readonly string[];
  /** Those of them finished. */
  readonly finished: readonly string[];
  /** Whether unfinished runs count (`--include-unfinished`). */
  readonly includeUnfinished: boolean;
}

/** The runs a `--runs` file lists: its path (for messages) and names. */
export interface RunsListing {
  readonly file: string;
  readonly names: readonly string[];
}

/** Why `folder` cannot report run `name`, or null when it can. */
function unusable(folder: ReportFolder, name: string): string | null {
  if (!folder.withCurves.includes(name)) return `${name} (no run folder with curves)`;
  if (!folder.includeUnfinished && !folder.finished.includes(name))
    return `${name} (unfinished: --include-unfinished counts it)`;
  return null;
}

/**
 * The runs of `folder` a report reads: those `listing` names when given, each of which it must be able to report;
 * else every finished one (every one with curves, under --include-unfinished). Refused when two of them are the
 * same variant and seed of different plans.
 */
export function reportRuns(folder: ReportFolder, listing: RunsListing | null): string[] {
  const where = displayPath(folder.dir);
  if (listing !== null) {
    const { file, names } = listing;
    if (names.length === 0) throw new RangeError(`--runs ${file} lists no run: expected one run folder name per line`);
    const twice = names.find((name, i) => names.indexOf(name) !== i);
    if (twice !== undefined) throw new RangeError(`--runs ${file} lists ${twice} twice`);
    const refused = names.map((name) => unusable(folder, name)).filter((why) => why !== null);
    if (refused.length > 0) throw new RangeError(`--runs ${file} lists runs ${where} cannot report: ${some(refused)}`);
  }
  const runs = [...(listing?.names ?? (folder.includeUnfinished ? folder.withCurves : folder.finished))];
  const byRun = new Map<string, string[]>();
  for (const name of runs) {
    const run = runNameWithoutKey(name) ?? name;
    byRun.set(run, [...(byRun.get(run) ?? []), name]);
  }
  const repeated = [...byRun.values()].filter((names) => names.length > 1).map((names) => names.join(' and '));
  if (repeated.length > 0)
    throw new RangeError(
      `${where} holds runs of more than one plan for the same variant and seed (${some(repeated)}): ` +
        "a report reads one plan's runs; pass --runs FILE, FILE one run folder name per line (a named plan's " +
        "data/tables/NAME/runs.txt lists its own; reproduce … --plan prints any plan's run names)",
    );
  return runs;
}
