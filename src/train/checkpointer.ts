/**
 * Run checkpoints made the way Dopamine makes them from its checkpointable objects: every stateful part of a run
 * (network weights, optimizer slots, replay memories and samplers, generators, the episodes in progress, counters,
 * logs) is a `Checkpointable` that bundles its state under names of its own and takes it back from a saved
 * checkpoint; a `Checkpointer` writes the bundles of a run's named parts as one checksummed file
 * (checkpoint-file.ts) and restores every part from it. A training loop builds its checkpointer once and then
 * only says when to save. The parts (checkpoint-parts.ts) keep the names run checkpoints have always had, so a file
 * written before they existed loads as it did.
 */
import { type CheckpointContents, readCheckpoint, type StoredArray, writeCheckpoint } from './checkpoint-file';

/** Where a run can restart from: its last checkpoint and the step (or update) it was taken at. */
export interface CheckpointMark {
  readonly path: string;
  readonly step: number;
}

/** A part's state: entries of the checkpoint's JSON meta and named arrays. */
export interface CheckpointBundle {
  readonly meta: Readonly<Record<string, unknown>>;
  readonly arrays: Readonly<Record<string, StoredArray>>;
}

/** A stateful part of a run, which checkpoints save and restore exactly. */
export interface Checkpointable {
  /** The part's state now; its arrays may share memory with the part, since they are written before it changes. */
  checkpointState(): CheckpointBundle;
  /** Takes back the state a checkpoint saved, refusing (naming the file) what does not fit the part. */
  restoreCheckpointState(saved: SavedCheckpoint): void;
}

type ArrayType<T extends StoredArray> = { new (...args: never[]): T; readonly name: string };

/** A checkpoint as read back, for its parts to take their state from: what they miss is refused naming the file. */
export class SavedCheckpoint {
  constructor(
    private readonly contents: CheckpointContents,
    readonly source: string,
  ) {}

  /** An error about this checkpoint: `message` after the file's name. */
  error(message: string): Error {
    return new Error(`${this.source}: ${message}`);
  }

  /** Whether the meta has the entry `key`. */
  has(key: string): boolean {
    return this.entries[key] !== undefined;
  }

  /** The meta entry `key`, which the checkpoint must have. */
  meta<T>(key: string): T {
    if (!this.has(key)) throw this.error(`checkpoint has no '${key}'`);
    return this.entries[key] as T;
  }

  /** The array `name`, which must be a `type`. */
  array<T extends StoredArray>(name: string, type: ArrayType<T>): T {
    const value = this.contents.arrays[name];
    if (!(value instanceof type)) throw this.error(`array '${name}' is missing or not of type ${type.name}`);
    return value;
  }

  /** The arrays whose names start with `prefix`, by the rest of their names. */
  arraysUnder(prefix: string): Record<string, StoredArray> {
    return Object.fromEntries(
      Object.entries(this.contents.arrays)
        .filter(([name]) => name.startsWith(prefix))
        .map(([name, values]) => [name.slice(prefix.length), values]),
    );
  }

  private get entries(): Record<string, unknown> {
    return this.contents.meta as Record<string, unknown>;
  }
}

/** Hears of every checkpoint written, with the step (or update) it was taken at: the loops' `onCheckpoint` hook. */
export interface CheckpointHooks {
  onCheckpoint?(path: string, step: number): void;
}

/** The bundles of `parts` as one checkpoint's contents; two parts saving the same name is a bug, refused. */
function bundle(parts: Readonly<Record<string, Checkpointable>>): CheckpointContents {
  const meta: Record<string, unknown> = {};
  const arrays: Record<string, StoredArray> = {};
  const owners = new Map<string, string>();
  const claim = (name: string, part: string) => {
    const owner = owners.get(name);
    if (owner !== undefined) throw new Error(`checkpoint parts '${owner}' and '${part}' both save ${name}`);
    owners.set(name, part);
  };
  for (const [part, checkpointable] of Object.entries(parts)) {
    const state = checkpointable.checkpointState();
    for (const [key, value] of Object.entries(state.meta)) {
      claim(`meta entry '${key}'`, part);
      meta[key] = value;
    }
    for (const [name, values] of Object.entries(state.arrays)) {
      claim(`array '${name}'`, part);
      arrays[name] = values;
    }
  }
  return { meta, arrays };
}

/** A run's named parts, saved to and restored from one checkpoint file. */
export class Checkpointer {
  private lastMark: CheckpointMark | null = null;

  /**
   * `parts` are saved and restored in their order, so the run's identity comes first: a checkpoint of another run
   * is refused before any part changes. `position` is the count a checkpoint is marked with (the run's step or
   * update), read after saving and after restoring.
   */
  constructor(
    readonly path: string,
    readonly kind: string,
    private readonly parts: Readonly<Record<string, Checkpointable>>,
    private readonly position: () => number,
  ) {}

  /** The checkpoint last written or restored, where the run can restart from; null before either. */
  get last(): CheckpointMark | null {
    return this.lastMark;
  }

  /** Writes every part's state now (atomically: a killed writer leaves the previous file); adds its seconds to `timing`. */
  save(timing: { checkpoint: number }, hooks: CheckpointHooks = {}): void {
    const started = performance.now();
    writeCheckpoint(this.path, this.kind, bundle(this.parts));
    const mark = { path: this.path, step: this.position() };
    this.lastMark = mark;
    timing.checkpoint += (performance.now() - started) / 1000;
    hooks.onCheckpoint?.(mark.path, mark.step);
  }

  /** Restores every part, in order, from the checkpoint at `path`. */
  restore(): void {
    const saved = new SavedCheckpoint(readCheckpoint(this.path, this.kind), this.path);
    for (const part of Object.values(this.parts)) part.restoreCheckpointState(saved);
    this.lastMark = { path: this.path, step: this.position() };
  }
}

/** `run` with every part restored by `checkpointer`; when its checkpoint does not fit, `run` is disposed and the error thrown. */
export function restoredRun<T extends { dispose(): void }>(run: T, checkpointer: Checkpointer): T {
  try {
    checkpointer.restore();
  } catch (error) {
    run.dispose();
    throw error;
  }
  return run;
}
