import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reportRuns } from './report-runs';
import { runNameWithoutKey } from './run';

const full12k = [
  'proposed-uniform-seed0-22bcb0fa54',
  'proposed-uniform-seed1-0a1b2c3d4e',
  'dist-uniform-seed0-ffffffffff',
];
const study48k = ['proposed-uniform-seed0-df923348c5', 'proposed-uniform-seed1-7382f04caf'];

describe('runNameWithoutKey', () => {
  it("strips a run folder's settings key, and refuses other names", () => {
    assert.equal(runNameWithoutKey('amn-hpr-p10-seed12-0123456789'), 'amn-hpr-p10-seed12');
    assert.equal(runNameWithoutKey('amn-uniform-seed1-012345678'), null);
    assert.equal(runNameWithoutKey('notes'), null);
  });
});

describe('reportRuns', () => {
  it("reads every usable run of a folder that holds one plan's", () => {
    assert.deepEqual(reportRuns('d', full12k, null), full12k);
  });

  it('refuses a folder where a variant and seed has runs of two plans, naming them', () => {
    assert.throws(
      () => reportRuns('d', [...full12k, ...study48k], null),
      (error: Error) =>
        error.message ===
        'd holds runs of more than one plan for the same variant and seed (proposed-uniform-seed0-22bcb0fa54 and ' +
          'proposed-uniform-seed0-df923348c5; proposed-uniform-seed1-0a1b2c3d4e and proposed-uniform-seed1-7382f04caf): ' +
          "a report reads one plan's runs; list them in a file, one name per line, and pass --runs FILE " +
          "(a named plan's data/tables/NAME/runs.txt lists its own)",
    );
  });

  it('names three pairs and counts the rest', () => {
    const names = [0, 1, 2, 3, 4].flatMap((s) => [
      `amn-uniform-seed${s}-aaaaaaaaaa`,
      `amn-uniform-seed${s}-bbbbbbbbbb`,
    ]);
    assert.throws(() => reportRuns('d', names, null), /amn-uniform-seed2-bbbbbbbbbb; and 2 more\): a report/);
  });

  it('reads the runs a list names, in its order, even where the folder holds other plans', () => {
    assert.deepEqual(reportRuns('d', [...full12k, ...study48k], [...study48k].reverse()), [...study48k].reverse());
  });

  it('refuses a list that names runs the folder does not hold, or the same variant and seed twice', () => {
    assert.throws(
      () => reportRuns('d', full12k, [full12k[0], 'amn-uniform-seed4-0000000000']),
      (error: Error) =>
        error.message ===
        '--runs lists runs that d holds no finished run folder with curves of: amn-uniform-seed4-0000000000 ' +
          '(--include-unfinished counts unfinished ones)',
    );
    assert.throws(() => reportRuns('d', [...full12k, ...study48k], [full12k[0], study48k[0]]), /more than one plan/);
    assert.throws(() => reportRuns('d', full12k, []), /--runs lists no run/);
  });
});
