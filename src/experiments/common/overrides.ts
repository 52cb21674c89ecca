/**
 * Dotted-key overrides (`--set key=value`) merged into a configuration, for teachers and students alike: a key the
 * configuration lacks is an error naming it and the keys it has. Values are not type-checked here: each configuration's
 * validator (validateDistillConfig, validateDqnConfig, validatePqnConfig) checks every key's type and range, because
 * configurations reach it by other routes too (a `distill-run --run-json`, code, notebooks) and only it knows which
 * keys take null or a list.
 */

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `base` with `overrides` merged in key by key; an override key the base lacks is an error naming it. */
export function mergeOverrides<T>(base: T, overrides: unknown, prefix = ''): T {
  if (!isPlainObject(overrides) || !isPlainObject(base)) return overrides === undefined ? base : (overrides as T);
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (!Object.hasOwn(base, key)) {
      throw new RangeError(
        `unknown configuration key '${path}'; expected one of ${Object.keys(base)
          .map((k) => (prefix ? `${prefix}.${k}` : k))
          .join(', ')}`,
      );
    }
    merged[key] = mergeOverrides(base[key], value, path);
  }
  return merged as T;
}

/** Parses `key=value` (value as JSON, or a bare string) into a nested override object. */
export function parseOverride(assignment: string): Record<string, unknown> {
  const at = assignment.indexOf('=');
  if (at <= 0)
    throw new RangeError(`override '${assignment}' is not of the form key=value (e.g. gamma=0.95 or epsilon.end=0.01)`);
  const keys = assignment.slice(0, at).split('.');
  const text = assignment.slice(at + 1);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // A bare word is a string (loss=mse); text that starts like JSON's objects, lists or strings must be JSON.
    if (/^\s*[[{"]/.test(text)) {
      throw new RangeError(
        `--set ${assignment}: the value ${text} is not valid JSON (${(error as Error).message}); ` +
          `expected e.g. hidden=[256,128], epsilon={"end":0.01} or a bare word (loss=mse)`,
      );
    }
    value = text;
  }
  return keys.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as Record<string, unknown>;
}
