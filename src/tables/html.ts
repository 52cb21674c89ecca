/** Tables shown inline in notebooks: arquero's HTML rendering with numbers rounded for reading. */
import { type ColumnTable, toCSV, toHTML } from 'arquero';
import { displayBundle } from '../util/notebook-display';

/** Significant digits shown for non-integer numbers (the files keep full precision). */
const DIGITS = 4;

function formatCell(value: unknown): string {
  if (typeof value === 'number' && !Number.isInteger(value) && Number.isFinite(value)) {
    return String(Number(value.toPrecision(DIGITS)));
  }
  return value === null || value === undefined ? '' : String(value);
}

/** HTML of the first `limit` rows of `table`. */
export function tableHtml(table: ColumnTable, limit = 50): string {
  const format = Object.fromEntries(table.columnNames().map((name) => [name, formatCell]));
  const more = table.numRows() > limit ? `<p>${limit} of ${table.numRows()} rows shown</p>` : '';
  return toHTML(table, { limit, format }) + more;
}

/** Shows `table` as an HTML table in the notebook (text elsewhere). */
export function showTable(table: ColumnTable, limit = 50): void {
  displayBundle({ 'text/html': tableHtml(table, limit), 'text/plain': toCSV(table, { limit }) });
}
