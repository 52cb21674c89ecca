import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CURVE_RISE_TABLE } from '../src/experiments/reproduce/curve-rise';
import { ARCHITECTURES_TABLE } from '../src/experiments/reproduce/reproduce-tables';
import { readTable } from '../src/tables';
import { blockText, generatedBlocks } from '../src/util/generated-blocks';
import { PROJECT_ROOT } from '../src/util/paths';

/** The documents whose headline results must come from the committed claims table. */
const MUST_QUOTE_CLAIMS = ['README.md', 'docs/distillation.md'];

const read = (file: string) => readFileSync(join(PROJECT_ROOT, file), 'utf8');
const documents = execFileSync('git', ['ls-files', '-z', '*.md'], { cwd: PROJECT_ROOT, encoding: 'utf8' })
  .split('\0')
  .filter((file) => file !== '');

test("every generated block in the documents holds its file's current text (npm run docs:results rewrites them)", () => {
  const stale = documents.flatMap((document) =>
    generatedBlocks(read(document)).flatMap((block) => {
      if (!existsSync(join(PROJECT_ROOT, block.source))) return [`${document}: ${block.source} does not exist`];
      return block.text === blockText(read(block.source)) ? [] : [`${document}: ${block.source} has changed`];
    }),
  );
  assert.deepEqual(stale, []);
});

test('README and the distillation page quote the claims table through a generated block', () => {
  for (const document of MUST_QUOTE_CLAIMS) {
    const claims = generatedBlocks(read(document)).filter((block) => block.name === 'claims');
    assert.ok(claims.length > 0 && claims.every((block) => block.source.endsWith('/claims.md')), document);
  }
});

type Row = Record<string, string | number | null>;

/** Rows of one of a budget study's committed tables (`minatar-budget-48k`, `minatar-budget-96k`). */
function studyRows(name: string, study = 'minatar-budget-48k'): Row[] {
  return readTable(name, [], join(PROJECT_ROOT, 'data', 'tables', study)).objects() as Row[];
}

/** A study's Table 1 row of the geometric mean over games, for one architecture and measure. */
function geometricMeanRow(study: string, architecture: string, measure: string): Row | undefined {
  return studyRows(ARCHITECTURES_TABLE, study).find(
    (r) => r.game === 'geometric mean' && r.architecture === architecture && r.measure === measure,
  );
}

/** A Table 1 row's score with its interval, as the docs print it (`unit` after the point). */
function withInterval(row: Row | undefined, unit = ''): string {
  const one = (x: unknown) => Number(x).toFixed(1);
  return `${one(row?.point)}${unit} [${one(row?.lower)}, ${one(row?.upper)}]`;
}

/** That geometric mean with its interval. */
const geometricMean = (study: string, architecture: string, measure: string) =>
  withInterval(geometricMeanRow(study, architecture, measure));

test("the budget study's reading in docs/distillation.md holds for its committed tables", () => {
  const page = read('docs/distillation.md').replace(/\s+/g, ' ');
  const rise = studyRows(CURVE_RISE_TABLE);
  const rising = (architecture: string, cut: number) =>
    rise.filter((r) => r.architecture === architecture && r.cut_quarters === cut && r.verdict === 'rising').length;
  assert.ok(page.includes('no curve of the proposed student is detectably rising at 36,000 or 48,000 updates'));
  assert.deepEqual([rising('proposed', 3), rising('proposed', 4)], [0, 0]);
  // "Therefore needs more than 48,000 updates" rests on AMN's rising curves at the whole budget.
  assert.ok(page.includes("while AMN's still rise on some games at 48,000"));
  assert.ok(rising('amn', 4) > 0);
  assert.ok(page.includes("the proposed student's Breakout and Space Invaders curves fall over their last quarter"));
  for (const game of ['breakout', 'space_invaders']) {
    const row = rise.find((r) => r.cut_quarters === 4 && r.architecture === 'proposed' && r.game === game);
    assert.ok(Number(row?.rise) < 0 && row?.verdict === 'inconclusive', game);
  }
  // The proposed student's geometric mean over games: best evaluation above its teachers, final score below.
  const proposed = (measure: string) => geometricMeanRow('minatar-budget-48k', 'proposed', measure);
  assert.ok(page.includes("The proposed student's best evaluation exceeds its teachers"));
  assert.ok(Number(proposed('best')?.lower) > 100);
  assert.ok(page.includes('but its final score, the mean of the last quarter of its evaluations, stays below them'));
  assert.ok(Number(proposed('final')?.upper) < 100);
});

test("the longer budget study's reading in docs/distillation.md holds for its committed tables", () => {
  const page = read('docs/distillation.md').replace(/\s+/g, ' ');
  const rise = studyRows(CURVE_RISE_TABLE, 'minatar-budget-96k');
  const verdicts = (cut: number, verdict: string) =>
    rise.filter((r) => r.cut_quarters === cut && r.verdict === verdict).map((r) => `${r.architecture}/${r.game}`);
  assert.ok(
    page.includes('at 72,000 and 96,000 updates no curve of any of the three architectures is detectably rising'),
  );
  assert.deepEqual([verdicts(3, 'rising'), verdicts(4, 'rising')], [[], []]);
  assert.ok(page.includes("AMN's Seaquest falls over the last quarter at 96,000"));
  assert.deepEqual(verdicts(4, 'falling'), ['amn/seaquest']);
  // "Between 48,000 and 72,000": some curve still rose at the half.
  assert.ok(verdicts(2, 'rising').length > 0);
  // The table of the proposed student's final score and best evaluation, at each study's budget.
  for (const [study, updates] of [
    ['minatar-budget-48k', '48,000'],
    ['minatar-budget-96k', '96,000'],
  ]) {
    const row = `| ${updates} updates | ${geometricMean(study, 'proposed', 'final')} | ${geometricMean(study, 'proposed', 'best')} |`;
    assert.ok(page.includes(row), row);
  }
  const proposed = (measure: string) => geometricMeanRow('minatar-budget-96k', 'proposed', measure);
  assert.ok(page.includes("at eight times `full`'s budget its final score is still below 100 %"));
  const readme = read('README.md').replace(/\s+/g, ' ');
  assert.ok(readme.includes('show where they stop rising (between 48,000 and 72,000 updates)'));
  assert.ok(
    readme.includes("the proposed student's best evaluation exceeds its teachers, its final score stays below them"),
  );
  assert.ok(Number(proposed('final')?.upper) < 100 && Number(proposed('best')?.lower) > 100);
  // Breakout and Space Invaders at 96,000: their rise and their final score, each with its interval.
  const signed = (x: unknown) => `${Number(x) < 0 ? '−' : '+'}${Math.abs(Number(x)).toFixed(1)}`;
  const riseOf = (game: string) => {
    const row = rise.find((r) => r.cut_quarters === 4 && r.architecture === 'proposed' && r.game === game);
    return `${signed(row?.rise)} [${signed(row?.lower)}, ${signed(row?.upper)}]`;
  };
  const finalOf = (game: string) =>
    withInterval(
      studyRows(ARCHITECTURES_TABLE, 'minatar-budget-96k').find(
        (r) => r.game === game && r.architecture === 'proposed' && r.measure === 'final',
      ),
      ' %',
    );
  const sentence =
    `their rises over this study's last quarter are ${riseOf('breakout')} and ${riseOf('space_invaders')} points, ` +
    `their final scores ${finalOf('breakout')} and ${finalOf('space_invaders')} (3 seeds;`;
  assert.ok(page.includes(sentence), sentence);
});
