/**
 * The range checks of configuration validators: each throws a RangeError that names the key, the value and
 * what was expected ("configuration value KEY = VALUE is out of range: expected …").
 */
export function failConfig(key: string, value: unknown, allowed: string): never {
  throw new RangeError(`configuration value ${key} = ${JSON.stringify(value)} is out of range: expected ${allowed}`);
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
