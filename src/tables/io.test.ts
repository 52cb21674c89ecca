import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { table } from 'arquero';
import { readTable, tablePaths, writeTable } from './io';
import type { TableSchema } from './schema';

const dir = mkdtempSync(join(tmpdir(), 'distill-tables-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const SCHEMA: TableSchema = { method: 'utf8', seed: 'int32', score: 'float64', done: 'bool' };
const rows = table({
  score: [1.5, 0.1 + 0.2, -3],
  method: ['H-PR', 'uniform, "plain"', 'DIST'],
  seed: [0, 1, 2],
  done: [true, false, null],
});

test('writeTable writes CSV in schema order with full precision and quoting', () => {
  const paths = writeTable('scores', rows, SCHEMA, dir);
  assert.deepEqual(paths, { arrow: join(dir, 'scores.arrow'), csv: join(dir, 'scores.csv') });
  assert.equal(
    readFileSync(paths.csv, 'utf8'),
    'method,seed,score,done\nH-PR,0,1.5,true\n"uniform, ""plain""",1,0.30000000000000004,false\nDIST,2,-3,\n',
  );
  assert.deepEqual(readdirSync(dir).sort(), ['scores.arrow', 'scores.csv']);
});

test('readTable reloads the Arrow file with the schema types and values', () => {
  writeTable('scores', rows, SCHEMA, dir);
  const back = readTable('scores', ['score'], dir);
  assert.deepEqual(back.columnNames(), ['method', 'seed', 'score', 'done']);
  assert.deepEqual(back.objects(), [
    { method: 'H-PR', seed: 0, score: 1.5, done: true },
    { method: 'uniform, "plain"', seed: 1, score: 0.30000000000000004, done: false },
    { method: 'DIST', seed: 2, score: -3, done: null },
  ]);
  // Arrow types from the schema: int32 stays int32 although the values would fit the Int8 arquero infers.
  const arrowType = (column: string) => (back.column(column) as unknown as { type: object }).type;
  assert.deepEqual(arrowType('seed'), { typeId: 2, bitWidth: 32, signed: true, values: Int32Array });
  assert.deepEqual(arrowType('score'), { typeId: 3, precision: 2, values: Float64Array });
  assert.deepEqual(arrowType('done'), { typeId: 6 });
  assert.equal((arrowType('method') as { typeId: number }).typeId, 5); // utf8
});

test('a table that does not match its schema is rejected before anything is written', () => {
  assert.throws(
    () => writeTable('bad', rows, { ...SCHEMA, seed: 'utf8' }, dir),
    /table 'bad', column 'seed', row 0: 0 does not fit column type utf8/,
  );
  assert.throws(
    () => writeTable('bad', rows, { method: 'utf8' }, dir),
    /does not match its schema: unexpected score, seed, done \(schema: method\)/,
  );
  assert.equal(existsSync(join(dir, 'bad.arrow')), false);
  assert.equal(existsSync(join(dir, 'bad.csv')), false);
});

test('a missing table names its file and the fix', () => {
  assert.throws(
    () => readTable('learning-curves', [], dir),
    new Error(
      `table 'learning-curves' not found: ${join(dir, 'learning-curves.arrow')} does not exist. ` +
        'Run the notebook or command that writes it (data/README.md lists each table and its producer).',
    ),
  );
});

test('a missing column and a corrupt file are named', () => {
  writeTable('scores', rows, SCHEMA, dir);
  assert.throws(
    () => readTable('scores', ['steps', 'score'], dir),
    /scores\.arrow lacks column\(s\) steps \(has method, seed, score, done\)/,
  );
  writeFileSync(join(dir, 'broken.arrow'), 'not arrow');
  assert.throws(() => readTable('broken', [], dir), /broken\.arrow is not a readable Arrow IPC file/);
});

test('table names must be kebab-case', () => {
  assert.throws(() => tablePaths('Learning_Curves', dir), /table name 'Learning_Curves' must be kebab-case/);
  assert.throws(() => tablePaths('../escape', dir), /must be kebab-case/);
});

test('the pair is renamed CSV first, Arrow last, and a CSV that disagrees with its Arrow file is named on read', () => {
  const paths = writeTable('paired', rows, SCHEMA, dir);
  // A kill between the two renames leaves the previous Arrow file beside the new CSV.
  const newer = rows.derive({ score: (d: { score: number }) => d.score + 1 });
  writeFileSync(paths.csv, readFileSync(writeTable('paired-next', newer, SCHEMA, dir).csv));
  assert.throws(() => readTable('paired', [], dir), {
    message:
      `${paths.csv} disagrees with ${paths.arrow}: a write of table 'paired' stopped between its two files. ` +
      'The Arrow file is authoritative (renamed last, it holds the last complete write); run the notebook or ' +
      'command that writes the table again (data/README.md lists each table and its producer).',
  });
  writeTable('paired', rows, SCHEMA, dir);
  assert.equal(readTable('paired', [], dir).numRows(), 3);
  // The order: when the Arrow file's rename fails (a folder in its place), the CSV has already been renamed.
  rmSync(paths.arrow);
  mkdirSync(join(paths.arrow, 'blocker'), { recursive: true });
  assert.throws(() => writeTable('paired', newer, SCHEMA, dir), {
    message: new RegExp(`^cannot rename \\.tmp-${process.pid}-paired\\.arrow to ${paths.arrow}: `),
  });
  assert.equal(readFileSync(paths.csv, 'utf8'), readFileSync(join(dir, 'paired-next.csv'), 'utf8'));
  rmSync(paths.arrow, { recursive: true });
  writeTable('paired', rows, SCHEMA, dir);
  // Without its CSV, the Arrow file is the table.
  rmSync(paths.csv);
  assert.equal(readTable('paired', [], dir).numRows(), 3);
});
