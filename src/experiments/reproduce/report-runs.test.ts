import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ReportFolder, reportRuns } from './report-runs';
import { runNameWithoutKey } from './run';

const full12k = [
  'proposed-uniform-seed0-22bcb0fa54',
  'proposed-uniform-seed1-0a1b2c3d4e',
  'dist-uniform-seed0-ffffffffff',
];
const study48k = ['proposed-uniform-seed0-df923348c5', 'proposed-uniform-seed1-7382f04caf'];
const unfinished = 'amn-uniform-seed0-0123456789';

/** A folder of `finished` runs and one unfinished run, all with curves. */
const folder = (finished: readonly string[], includeUnfinished = false): ReportFolder => ({
  dir: 'd',
  withCurves: [...finished, unfinished],
  finished,
  includeUnfinished,
});
const listing = (names: readonly string[]) => ({ file: 'runs.txt', names });

describe('runNameWithoutKey', () => {
  it("strips a run folder's settings key, and refuses other names", () => {
    assert.equal(runNameWithoutKey('amn-hpr-p10-seed12-0123456789'), 'amn-hpr-p10-seed12');
    assert.equal(runNameWithoutKey('amn-uniform-seed1-012345678'), null);
    assert.equal(runNameWithoutKey('notes'), null);
  });
});

describe('reportRuns', () => {
  it("reads the finished runs of a folder that holds one plan's, and the unfinished one when asked", () => {
    assert.deepEqual(reportRuns(folder(full12k), null), full12k);
    assert.deepEqual(reportRuns(folder(full12k, true), null), [...full12k, unfinished]);
  });

  it('refuses a folder where a variant and seed has runs of two plans, naming them', () => {
    assert.throws(
      () => reportRuns(folder([...full12k, ...study48k]), null),
      (error: Error) =>
        error.message ===
        'd holds runs of more than one plan for the same variant and seed (proposed-uniform-seed0-22bcb0fa54 and ' +
          'proposed-uniform-seed0-df923348c5; proposed-uniform-seed1-0a1b2c3d4e and proposed-uniform-seed1-7382f04caf): ' +
          "a report reads one plan's runs; pass --runs FILE, FILE one run folder name per line (a named plan's " +
          "data/tables/NAME/runs.txt lists its own; reproduce … --plan prints any plan's run names)",
    );
  });

  it('names three pairs and counts the rest', () => {
    const names = [0, 1, 2, 3, 4].flatMap((s) => [
      `amn-uniform-seed${s}-aaaaaaaaaa`,
      `amn-uniform-seed${s}-bbbbbbbbbb`,
    ]);
    assert.throws(() => reportRuns(folder(names), null), /amn-uniform-seed2-bbbbbbbbbb; and 2 more\): a report/);
  });

  it('reads the runs a list names, in its order, even where the folder holds other plans', () => {
    const listed = [...study48k].reverse();
    assert.deepEqual(reportRuns(folder([...full12k, ...study48k]), listing(listed)), listed);
    assert.deepEqual(reportRuns(folder(full12k, true), listing([unfinished])), [unfinished]);
  });

  it('refuses a list naming runs it cannot report, saying why, or one name twice, or none', () => {
    assert.throws(
      () => reportRuns(folder(full12k), listing([full12k[0], 'amn-uniform-seed4-0000000000', unfinished])),
      (error: Error) =>
        error.message ===
        '--runs runs.txt lists runs d cannot report: amn-uniform-seed4-0000000000 (no run folder with curves); ' +
          `${unfinished} (unfinished: --include-unfinished counts it)`,
    );
    assert.throws(() => reportRuns(folder(full12k), listing([full12k[1], full12k[0], full12k[1]])), {
      message: `--runs runs.txt lists ${full12k[1]} twice`,
    });
    assert.throws(() => reportRuns(folder([...full12k, ...study48k]), listing([full12k[0], study48k[0]])), {
      message:
        /^d holds runs of more than one plan for the same variant and seed \(proposed-uniform-seed0-22bcb0fa54 and/,
    });
    assert.throws(() => reportRuns(folder(full12k), listing([])), {
      message: '--runs runs.txt lists no run: expected one run folder name per line',
    });
  });
});
