/** The tables layer's public API: Arrow + CSV tables with declared schemas, read, written and shown in notebooks. */
export { displayPath } from '../util/paths';
export { showTable, tableHtml } from './html';
export { readTable, type TablePaths, tablePaths, writeTable } from './io';
export { type ColumnType, checkSchema, fitsColumnType, type TableSchema } from './schema';
