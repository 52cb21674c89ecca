/**
 * Every result table has a declared schema: column name → type. Writing checks the values against it and
 * stores exactly these Arrow types, so a table's file layout never depends on the values in one run
 * (arquero would otherwise infer, e.g., Int8 for small counts). data/README.md documents each schema.
 */
import { bool, type DataType, float64, int32, utf8 } from '@uwdata/flechette';
import type { ColumnTable } from 'arquero';

export type ColumnType = 'float64' | 'int32' | 'utf8' | 'bool';

/** Column name → type, in the order the columns are written. */
export type TableSchema = Readonly<Record<string, ColumnType>>;

const ARROW_TYPES: Record<ColumnType, () => DataType> = { float64, int32, utf8, bool };

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** Whether `value` may be stored in a column of `type`; null marks a missing value in any column. */
export function fitsColumnType(value: unknown, type: ColumnType): boolean {
  if (value === null || value === undefined) return true;
  switch (type) {
    case 'float64':
      return typeof value === 'number';
    case 'int32':
      return Number.isInteger(value) && (value as number) >= INT32_MIN && (value as number) <= INT32_MAX;
    case 'utf8':
      return typeof value === 'string';
    case 'bool':
      return typeof value === 'boolean';
  }
}

/** Throws one error naming the table, the column, the row and the value when `table` does not match `schema`. */
export function checkSchema(name: string, table: ColumnTable, schema: TableSchema): void {
  const expected = Object.keys(schema);
  const actual = table.columnNames();
  const missing = expected.filter((column) => !actual.includes(column));
  const extra = actual.filter((column) => !expected.includes(column));
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(
      `table '${name}' does not match its schema: ` +
        [missing.length ? `missing ${missing.join(', ')}` : '', extra.length ? `unexpected ${extra.join(', ')}` : '']
          .filter(Boolean)
          .join('; ') +
        ` (schema: ${expected.join(', ')})`,
    );
  }
  for (const column of expected) {
    const type = schema[column];
    const values = table.array(column) as ArrayLike<unknown>;
    for (let row = 0; row < values.length; row++) {
      if (!fitsColumnType(values[row], type)) {
        throw new Error(
          `table '${name}', column '${column}', row ${row}: ${JSON.stringify(values[row])} does not fit column type ${type}`,
        );
      }
    }
  }
}

/** The Arrow type of each column, for arquero's toArrow. */
export function arrowTypes(schema: TableSchema): Record<string, DataType> {
  return Object.fromEntries(Object.entries(schema).map(([column, type]) => [column, ARROW_TYPES[type]()]));
}
