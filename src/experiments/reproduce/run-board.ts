/**
 * `reproduce`'s progress: one line per run in training (updates, latest evaluation as % of teacher, speed,
 * time left) and an overall line (runs done, time left for the whole plan). On a terminal the lines are
 * redrawn in place by cli-progress; in a pipe each run prints a line at every tenth of its updates.
 */
import { MultiBar, type SingleBar } from 'cli-progress';
import { formatDuration } from '../../util/duration';

/** What one run's line shows. */
export interface RunLine {
  readonly name: string;
  readonly updates: number;
  readonly totalUpdates: number;
  /** Mean % of teacher at the run's latest evaluation; null before its first. */
  readonly percentOfTeacher: number | null;
  /** Updates per second since the run's process took it up; NaN until measured. */
  readonly updatesPerSecond: number;
}

/** One run's line: `NAME  750/1500 updates | 62.1 % of teacher | 41.0 updates/s | left 0m18s`. */
export function runLineText(line: RunLine): string {
  const updates = Math.min(line.updates, line.totalUpdates);
  const percent = line.percentOfTeacher === null ? '–' : `${line.percentOfTeacher.toFixed(1)} %`;
  const speed = Number.isFinite(line.updatesPerSecond) ? line.updatesPerSecond.toFixed(1) : '–';
  const left = formatDuration((line.totalUpdates - updates) / line.updatesPerSecond);
  return `${line.name}  ${updates}/${line.totalUpdates} updates | ${percent} of teacher | ${speed} updates/s | left ${left}`;
}

/** The overall line: runs done of the plan's, and the time left at the runs' current speeds. */
export function overallLineText(done: number, count: number, secondsLeft: number): string {
  return `overall  ${done}/${count} runs done | left ${formatDuration(secondsLeft)}`;
}

interface Tracked {
  line: RunLine;
  bar: SingleBar | null;
  tenthsLogged: number;
}

/** A run's counters as its process reports them. */
export interface RunCounters {
  readonly updates: number;
  /** Updates when its process took it up (0, or its checkpoint's). */
  readonly updatesAtStart: number;
  readonly totalUpdates: number;
  /** Seconds its process has spent on it. */
  readonly seconds: number;
}

export class RunBoard {
  private readonly runs = new Map<number, Tracked>();
  private readonly multi: MultiBar | null;
  private overall: SingleBar | null = null;
  private done = 0;

  /** `count` runs to train, `totalUpdates` each, `parallel` at a time; `write` prints a line when there is no terminal. */
  constructor(
    private readonly count: number,
    private readonly totalUpdates: number,
    private readonly parallel: number,
    tty: boolean,
    private readonly write: (line: string) => void,
  ) {
    this.multi = tty
      ? new MultiBar({
          format: '{text}',
          hideCursor: true,
          // Drawn on stdout, which the terminal test checks (stderr may be the start-up noise guard's).
          stream: process.stdout,
        })
      : null;
  }

  /** A log line that does not tear the redrawn lines. */
  log(line: string): void {
    if (this.multi && this.overall) this.multi.log(`${line}\n`);
    else this.write(line);
  }

  /** A run reported its counters. */
  progress(index: number, name: string, counters: RunCounters): void {
    const tracked = this.track(index, name);
    const { updates, updatesAtStart, totalUpdates, seconds } = counters;
    const measured = updates - updatesAtStart;
    tracked.line = {
      ...tracked.line,
      updates,
      totalUpdates,
      updatesPerSecond: seconds > 0 && measured > 0 ? measured / seconds : Number.NaN,
    };
    this.draw(tracked);
  }

  /** A run finished an evaluation (reported before the progress of the same update). */
  evaluation(index: number, name: string, percentOfTeacher: number): void {
    const tracked = this.track(index, name);
    tracked.line = { ...tracked.line, percentOfTeacher };
  }

  /** A run ended (finished or skipped as done). */
  finished(index: number): void {
    const tracked = this.runs.get(index);
    if (tracked?.bar) {
      // Its last state is drawn once before its line goes (a short run may end between two redraws).
      this.multi?.update();
      this.multi?.remove(tracked.bar);
    }
    this.runs.delete(index);
    this.done++;
    this.drawOverall();
  }

  stop(): void {
    this.multi?.stop();
  }

  /** Seconds left for the plan: every run left at the mean speed of those in training, `parallel` at a time. */
  secondsLeft(): number {
    const active = [...this.runs.values()].map((t) => t.line);
    const speeds = active.map((l) => l.updatesPerSecond).filter(Number.isFinite);
    if (speeds.length === 0) return Number.NaN;
    const perRun = speeds.reduce((a, b) => a + b, 0) / speeds.length;
    const activeLeft = active.reduce((sum, l) => sum + (l.totalUpdates - Math.min(l.updates, l.totalUpdates)), 0);
    const waiting = Math.max(0, this.count - this.done - active.length);
    const running = Math.min(this.parallel, active.length + waiting);
    return (activeLeft + waiting * this.totalUpdates) / (perRun * running);
  }

  private track(index: number, name: string): Tracked {
    let tracked = this.runs.get(index);
    if (tracked === undefined) {
      const line = { name, updates: 0, totalUpdates: this.totalUpdates, percentOfTeacher: null, updatesPerSecond: NaN };
      tracked = { line, bar: null, tenthsLogged: 0 };
      this.runs.set(index, tracked);
    }
    return tracked;
  }

  private draw(tracked: Tracked): void {
    const text = runLineText(tracked.line);
    if (this.multi) {
      if (this.overall === null) this.overall = this.multi.create(this.count, 0, { text: '' });
      tracked.bar ??= this.multi.create(tracked.line.totalUpdates, 0, { text });
      tracked.bar.update(Math.min(tracked.line.updates, tracked.line.totalUpdates), { text });
      this.drawOverall();
      return;
    }
    const tenths = Math.floor((10 * tracked.line.updates) / tracked.line.totalUpdates);
    if (tenths <= tracked.tenthsLogged) return;
    tracked.tenthsLogged = tenths;
    this.write(`${text}  [${overallLineText(this.done, this.count, this.secondsLeft())}]`);
  }

  private drawOverall(): void {
    this.overall?.update(this.done, { text: overallLineText(this.done, this.count, this.secondsLeft()) });
  }
}
