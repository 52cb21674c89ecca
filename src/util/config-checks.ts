/**
 * The range checks of configuration validators: each throws a RangeError that names the key, the value and
 * what was expected ("configuration value KEY = VALUE is out of range: expected …"). Every check tests the
 * value's type as well as its range, so a value of the wrong type (a string for a flag, null for an object, an
 * object for a number) is refused by the key's own check, whichever route the configuration came by.
 */
import { totalmem } from 'node:os';

/** The largest counter value (steps, updates) a run may reach: TensorBoard's int32 steps and the tables' int32 columns. */
export const MAX_COUNTER = 2 ** 31 - 2;
/** The largest seed: seeds are stored in the tables' int32 columns. */
export const MAX_SEED = 2 ** 31 - 1;

/** A value as messages show it: numbers as JavaScript writes them (NaN, Infinity), anything else as JSON. */
export function describeValue(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (value === undefined) return 'undefined (missing)';
  const json = JSON.stringify(value);
  return json.length > 120 ? `${json.slice(0, 117)}...` : json;
}

export function failConfig(key: string, value: unknown, allowed: string): never {
  throw new RangeError(`configuration value ${key} = ${describeValue(value)} is out of range: expected ${allowed}`);
}

export function checkInteger(key: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!(Number.isInteger(value) && value >= min && value <= max))
    failConfig(key, value, `an integer in [${min}, ${max}]`);
}

/** A number in [min, max], or (min, max] when `openMin`. */
export function checkReal(key: string, value: number, min: number, max: number, openMin = false): void {
  const ok = typeof value === 'number' && (openMin ? value > min : value >= min) && value <= max;
  if (!ok) failConfig(key, value, `a number in ${openMin ? '(' : '['}${min}, ${max}]`);
}

export function checkFlag(key: string, value: unknown): void {
  if (typeof value !== 'boolean') failConfig(key, value, 'true or false');
}

/** One of `choices` (strings). */
export function checkChoice(key: string, value: unknown, choices: readonly string[]): void {
  if (typeof value !== 'string' || !choices.includes(value))
    failConfig(key, value, `one of ${choices.map((c) => `'${c}'`).join(', ')}`);
}

/** An object with fields (not null, not a list); `shape` names them for the message, e.g. '{ start, end }'. */
export function checkObject(key: string, value: unknown, shape: string): asserts value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) failConfig(key, value, `an object ${shape}`);
}

/** A list of at most `maxLength` entries. */
export function checkList(key: string, value: unknown, what: string, maxLength: number): asserts value is unknown[] {
  if (!Array.isArray(value) || value.length > maxLength)
    failConfig(key, value, `a list of at most ${maxLength} ${what}`);
}

/** The share of this machine's memory (os.totalmem()) the large buffers of one run may take. */
export const MEMORY_SHARE = 0.75;

const GiB = 2 ** 30;
const gib = (bytes: number) => `${(bytes / GiB).toFixed(1)} GiB`;
const count = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1 });

/** An estimate of a run's largest buffers: `fixed + perUnit × units × copies` bytes. */
export interface MemoryEstimate {
  /** Bytes per unit (an experience, a rollout row). */
  readonly perUnit: number;
  /** What a unit is, plural ('experiences'). */
  readonly unit: string;
  /** Copies of the buffer (one per game), with their name ('games'); 1 for one buffer. */
  readonly copies: number;
  readonly copiesName?: string;
  readonly fixed?: number;
  /** What the buffers are ('the replay memories'). */
  readonly what: string;
}

/** Whether `value` units of the estimate take at most MEMORY_SHARE of the machine's memory (os.totalmem() unless given). */
export function memoryFits(value: number, estimate: MemoryEstimate, machineBytes: number = totalmem()): boolean {
  const { perUnit, copies, fixed = 0 } = estimate;
  return fixed + perUnit * value * copies <= MEMORY_SHARE * machineBytes;
}

/**
 * Refuses `key = value` (the count of units) when the buffers it sizes would take more than MEMORY_SHARE of
 * this machine's memory (`machineBytes`, os.totalmem() unless given), naming the estimate and the largest value
 * that fits.
 */
export function checkMemoryFits(
  key: string,
  value: number,
  estimate: MemoryEstimate,
  machineBytes: number = totalmem(),
): void {
  if (memoryFits(value, estimate, machineBytes)) return;
  const { perUnit, unit, copies, copiesName, fixed = 0, what } = estimate;
  const bytes = fixed + perUnit * value * copies;
  const limit = MEMORY_SHARE * machineBytes;
  const most = Math.max(0, Math.floor((limit - fixed) / (perUnit * copies)));
  const perCopy = copies > 1 ? ` × ${copies} ${copiesName ?? 'copies'}` : '';
  failConfig(
    key,
    value,
    `at most ${most} on this machine: ${what} would take about ${gib(bytes)} (${count(perUnit)} B per ` +
      `${unit.replace(/s$/, '')} × ${count(value)} ${unit}${perCopy}), above ${MEMORY_SHARE * 100} % of its ` +
      `${gib(machineBytes)} (os.totalmem())`,
  );
}
