/**
 * JSON files that carry their own checksum (a run's `done.json`), still plain JSON for any other reader:
 *
 *   {
 *     "sha256": "<64 hex digits>",
 *     …the value's keys, pretty-printed with two spaces…
 *   }
 *
 * The SHA-256 is over the file's exact text with those 64 digits written as zeros, so a change to any byte (a
 * value, a key, the layout) is refused as corruption, naming the file and what to do. A file without the field
 * (written by an earlier version) is refused with what to do as well.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const PREFIX = '{\n  "sha256": "';
const HEX_DIGITS = 64;
const PLACEHOLDER = '0'.repeat(HEX_DIGITS);

function digestOf(textWithPlaceholder: string): string {
  return createHash('sha256').update(textWithPlaceholder, 'utf8').digest('hex');
}

/** The file text of `value` (an object without its own `sha256` key) with its checksum, ending in a newline. */
export function checksummedJson(value: Readonly<Record<string, unknown>>): string {
  if (Object.hasOwn(value, 'sha256')) throw new RangeError('a checksummed JSON value cannot have its own sha256 key');
  const text = `${JSON.stringify({ sha256: PLACEHOLDER, ...value }, null, 2)}\n`;
  return PREFIX + digestOf(text) + text.slice(PREFIX.length + HEX_DIGITS);
}

/**
 * Whether `text` is JSON of an object written without a checksum: its first value is not a 64-character string
 * (as a damaged `sha256` key or digest still is).
 */
function isLegacy(text: string): boolean {
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const first = Object.values(value)[0];
    return !(typeof first === 'string' && first.length === HEX_DIGITS);
  } catch {
    return false;
  }
}

/**
 * The value of a checksummed JSON text (without its `sha256` key). `source` names the file in errors; `remedy`
 * says what to do about a corrupt one or one written without a checksum.
 */
export function parseChecksummedJson(text: string, source: string, remedy: string): Record<string, unknown> {
  const end = PREFIX.length + HEX_DIGITS;
  const recorded = text.slice(PREFIX.length, end);
  const corrupt = () =>
    new Error(`${source}: corrupt file (its contents do not match the SHA-256 recorded in it): ${remedy}`);
  if (!text.startsWith(PREFIX) || !/^[0-9a-f]{64}$/.test(recorded) || text[end] !== '"') {
    if (isLegacy(text)) {
      throw new Error(
        `${source}: written without a checksum by an earlier version, which this version refuses: ${remedy}`,
      );
    }
    throw corrupt();
  }
  if (digestOf(PREFIX + PLACEHOLDER + text.slice(end)) !== recorded) throw corrupt();
  const { sha256: _, ...value } = JSON.parse(text) as Record<string, unknown>;
  return value;
}

/** Reads and verifies the checksummed JSON file at `path` (see `parseChecksummedJson`). */
export function readChecksummedJson(path: string, remedy: string): Record<string, unknown> {
  return parseChecksummedJson(readFileSync(path, 'utf8'), path, remedy);
}
