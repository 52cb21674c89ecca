/** A Plotly figure as plain data: what the builders return and the exporters and notebook display consume. */
import type { ColumnTable } from 'arquero';

/** One Plotly trace (https://plotly.com/javascript/reference/); kept loose because Plotly's schema is vast. */
export type Trace = Readonly<Record<string, unknown>>;

export interface FigureSpec {
  readonly data: readonly Trace[];
  readonly layout: Readonly<Record<string, unknown>>;
}

/** Axis titles carry units, e.g. 'environment steps (millions)'. */
export interface FigureTitles {
  readonly title: string;
  readonly xTitle: string;
  readonly yTitle: string;
}

/** A figure of the project: the tables it reads and a pure builder. */
export interface FigureEntry {
  /** File stem in figures/ (kebab-case). */
  readonly name: string;
  /** Tables read, each with the columns the builder needs (checked before anything is drawn). */
  readonly tables: Readonly<Record<string, readonly string[]>>;
  /** Pure: tables in, figure out. */
  build(tables: Readonly<Record<string, ColumnTable>>): FigureSpec;
}
