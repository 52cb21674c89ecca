/**
 * Which run folders `report DIR` reads. A preset's folder keeps the runs of every plan trained into it (the preset's
 * own, each ablation's, the runs of settings since changed), and two plans' runs of one variant and seed would be
 * merged evaluation by evaluation into one experiment: silently wrong curves. So a report reads one plan: the runs a
 * runs file lists (a named plan's `runs.txt`), or a folder in which no variant and seed has two runs.
 */
import { displayPath } from '../../util/paths';
import { runNameWithoutKey } from './run';

/** Runs named in a message before the rest are counted. */
const NAMED = 3;

const some = (names: readonly string[]) =>
  `${names.slice(0, NAMED).join('; ')}${names.length > NAMED ? `; and ${names.length - NAMED} more` : ''}`;

/**
 * The runs of `dir` a report reads, from `usable` (its run folders with a curve table, finished unless unfinished
 * ones count): `listed` when given, each of which must be usable; else all of them. Refused when two of them are
 * the same variant and seed of different plans (their names differ only in the settings' key).
 */
export function reportRuns(dir: string, usable: readonly string[], listed: readonly string[] | null): string[] {
  if (listed !== null) {
    if (listed.length === 0) throw new RangeError('--runs lists no run');
    const absent = listed.filter((name) => !usable.includes(name));
    if (absent.length > 0)
      throw new RangeError(
        `--runs lists runs that ${displayPath(dir)} holds no finished run folder with curves of: ${some(absent)} ` +
          '(--include-unfinished counts unfinished ones)',
      );
  }
  const runs = [...(listed ?? usable)];
  const byRun = new Map<string, string[]>();
  for (const name of runs) {
    const run = runNameWithoutKey(name) ?? name;
    byRun.set(run, [...(byRun.get(run) ?? []), name]);
  }
  const repeated = [...byRun.values()].filter((names) => names.length > 1).map((names) => names.join(' and '));
  if (repeated.length > 0)
    throw new RangeError(
      `${displayPath(dir)} holds runs of more than one plan for the same variant and seed (${some(repeated)}): ` +
        "a report reads one plan's runs; list them in a file, one name per line, and pass --runs FILE " +
        "(a named plan's data/tables/NAME/runs.txt lists its own)",
    );
  return runs;
}
