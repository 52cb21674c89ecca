/** A Plotly figure as plain data: what the builders return and the exporters and notebook display consume. */

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
