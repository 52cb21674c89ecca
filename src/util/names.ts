/** Names that become file stems (tables, figures): kebab-case, so they are the same on every file system. */
const KEBAB_CASE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Throws when `name` is not kebab-case; `what` says what the name is for (e.g. 'table'). */
export function assertKebabCase(what: string, name: string): void {
  if (!KEBAB_CASE.test(name)) {
    throw new Error(
      `${what} name '${name}' must be kebab-case (lower-case letters and digits joined by single dashes)`,
    );
  }
}
