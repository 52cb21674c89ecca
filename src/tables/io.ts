/**
 * Result tables on disk: every table is written twice, as Arrow IPC (typed, what the library reloads) and as
 * CSV (for eyes and other tools), under `data/tables/NAME.{arrow,csv}`. Both files are complete or absent.
 * The pair changes as one: both are written to temporary names and flushed, then the CSV is renamed into
 * place and the Arrow file last. The Arrow file is authoritative: a kill between the two renames leaves the
 * previous Arrow beside the new CSV, and `readTable` checks that the CSV is the Arrow table's, so no reader
 * takes the two for one table when they disagree.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ColumnTable, fromArrow, toArrowIPC, toCSV } from 'arquero';
import { writeFilesAtomically } from '../util/atomic-write';
import { assertKebabCase } from '../util/names';
import { displayPath, tablesDir } from '../util/paths';
import { arrowTypes, checkSchema, type TableSchema } from './schema';

export interface TablePaths {
  readonly arrow: string;
  readonly csv: string;
}

/** The two files of table `name` in `dir`. */
export function tablePaths(name: string, dir: string = tablesDir()): TablePaths {
  assertKebabCase('table', name);
  return { arrow: join(dir, `${name}.arrow`), csv: join(dir, `${name}.csv`) };
}

/**
 * Writes `table` as NAME.arrow (IPC file format, the schema's Arrow types) and NAME.csv (columns in schema
 * order); returns their paths. A table that does not match `schema` is rejected before anything is written.
 */
export function writeTable(
  name: string,
  table: ColumnTable,
  schema: TableSchema,
  dir: string = tablesDir(),
): TablePaths {
  const paths = tablePaths(name, dir);
  checkSchema(name, table, schema);
  const columns = Object.keys(schema);
  // Renamed in this order: the CSV first, the authoritative Arrow file last.
  writeFilesAtomically([
    { path: paths.csv, content: toCSV(table, { columns }) },
    { path: paths.arrow, content: toArrowIPC(table, { format: 'file', columns, types: arrowTypes(schema) }) },
  ]);
  return paths;
}

/**
 * Reloads table `name` from its Arrow file. A missing file or column is one error naming the file and the fix
 * (data/README.md lists which notebook or command writes each table).
 */
export function readTable(
  name: string,
  requiredColumns: readonly string[] = [],
  dir: string = tablesDir(),
): ColumnTable {
  const { arrow, csv } = tablePaths(name, dir);
  if (!existsSync(arrow)) {
    throw new Error(
      `table '${name}' not found: ${displayPath(arrow)} does not exist. ` +
        'Run the notebook or command that writes it (data/README.md lists each table and its producer).',
    );
  }
  let table = readArrow(arrow);
  if (!csvMatches(table, csv)) {
    // A writer may be between its two renames: look once more after it.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    table = readArrow(arrow);
    if (!csvMatches(table, csv)) {
      throw new Error(
        `${displayPath(csv)} disagrees with ${displayPath(arrow)}: a write of table '${name}' stopped between its two files. ` +
          'The Arrow file is authoritative (renamed last, it holds the last complete write); run the notebook or ' +
          'command that writes the table again (data/README.md lists each table and its producer).',
      );
    }
  }
  const missing = requiredColumns.filter((column) => !table.columnNames().includes(column));
  if (missing.length > 0) {
    throw new Error(
      `${displayPath(arrow)} lacks column(s) ${missing.join(', ')} (has ${table.columnNames().join(', ')}); ` +
        're-create it with the current code',
    );
  }
  return table;
}

function readArrow(arrow: string): ColumnTable {
  try {
    return fromArrow(readFileSync(arrow));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${displayPath(arrow)} is not a readable Arrow IPC file (${reason}); delete it and re-create it`);
  }
}

/** Whether the CSV file beside a table holds that table (true when there is none: the Arrow file is the table). */
function csvMatches(table: ColumnTable, csv: string): boolean {
  let text: string;
  try {
    text = readFileSync(csv, 'utf8');
  } catch {
    return true;
  }
  return text === toCSV(table);
}
