/**
 * Runs that differ only in their seed, trained in one process as one seed batch: every step, the students of all
 * the seeds act in one graph call, every `updateEvery` steps the teachers label all the seeds' new experiences in one
 * call per game, and every update is one call of the seed-batched graph (seed-batch-routes.ts). Each seed stays its
 * own run: its own generators, memories, optimizer slots, evaluations, checkpoint and resume (Distiller.runLockstep),
 * and its numbers are its solo run's, to float rounding in the batched products (checked by
 * seed-batch-distiller.test.ts), until a rounding difference flips a greedy action and the two trajectories part (in
 * the `full` preset, every run by its third evaluation). The seeds' evaluations step in lockstep too, rated in one
 * call per step.
 */
import { canonicalJson } from '../util/canonical-json';
import {
  Distiller,
  type DistillerSetup,
  type DistillHooks,
  type DistillResult,
  gameTeacherLabels,
  type LockstepCalls,
} from './distiller';
import { SeedBatchRoutes } from './seed-batch-routes';
import { rowsPerGame } from './student-routes';
import type { TeacherLabels } from './teacher-values';

/** One seed's run in a batch: its setup, and where its checkpoints go (null: none), resumed when `resume`. */
export interface SeedBatchRun {
  readonly setup: DistillerSetup;
  readonly checkpointPath: string | null;
  readonly resume: boolean;
}

/** Refuses a batch whose runs differ in anything but the seed, before anything is built. */
export function checkSeedBatch(runs: readonly SeedBatchRun[]): void {
  if (runs.length === 0) throw new RangeError('a seed batch needs at least one run');
  const settings = (run: SeedBatchRun) => canonicalJson({ ...run.setup.config, seed: null });
  const first = runs[0].setup;
  runs.forEach((run, s) => {
    if (settings(run) !== settings(runs[0])) {
      throw new RangeError(
        `run ${s} of the seed batch (seed ${run.setup.config.seed}) differs from run 0 in more than its seed; ` +
          'a seed batch trains one variant',
      );
    }
    const sameTeachers =
      run.setup.games.length === first.games.length &&
      run.setup.games.every((g, i) => g.teacher === first.games[i].teacher && g.spec.id === first.games[i].spec.id);
    if (!sameTeachers) throw new RangeError(`run ${s} of the seed batch has other games or teachers than run 0`);
  });
  const seeds = runs.map((r) => r.setup.config.seed);
  const repeated = seeds.find((seed, i) => seeds.indexOf(seed) !== i);
  if (repeated !== undefined) throw new RangeError(`seed ${repeated} appears twice in the seed batch`);
}

export class SeedBatchDistiller {
  readonly distillers: readonly Distiller[];
  private readonly routes: SeedBatchRoutes;
  private readonly labels: readonly TeacherLabels[];
  private readonly gameSizes: readonly { readonly frameSize: number; readonly numActions: number }[];
  /** Per game: every seed's pending frames side by side, and their labels. */
  private readonly labelFrames: Uint8Array[];
  private readonly labelValues: Float32Array[];
  /** Zeros, standing in for the observations of a seed with none to rate in a call (its q_S is not used). */
  private idleObservations: Uint8Array[];

  constructor(runs: readonly SeedBatchRun[]) {
    checkSeedBatch(runs);
    const built: Distiller[] = [];
    try {
      for (const { setup, checkpointPath, resume } of runs) {
        built.push(
          resume ? Distiller.resume(setup, checkpointPath as string) : Distiller.create(setup, checkpointPath),
        );
      }
      const at = built.map((d) => d.updates);
      if (at.some((updates) => updates !== at[0])) {
        throw new RangeError(
          `the runs of a seed batch must resume from the same update (they train in lockstep); they stand at ${at.join(', ')}`,
        );
      }
      this.labels = gameTeacherLabels(runs[0].setup);
      // Last: nothing after it can fail, so the routes never need releasing here.
      this.routes = new SeedBatchRoutes(built.map((d) => d.updateOptions));
    } catch (error) {
      for (const d of built) d.dispose();
      throw error;
    }
    this.distillers = built;
    const { setup } = runs[0];
    this.gameSizes = setup.games.map(({ spec }) => ({
      frameSize: spec.observationShape.reduce((a, b) => a * b, 1),
      numActions: spec.numActions,
    }));
    const rows = runs.length * setup.config.updateEvery;
    this.labelFrames = this.gameSizes.map(({ frameSize }) => new Uint8Array(rows * frameSize));
    this.labelValues = this.gameSizes.map(({ numActions }) => new Float32Array(rows * numActions));
    this.idleObservations = this.gameSizes.map(({ frameSize }) => new Uint8Array(frameSize));
  }

  /** Runs every seed to its `totalUpdates` (or until a hook asks to stop); `hooks[s]` hears seed s. */
  run(hooks: readonly DistillHooks[] = this.distillers.map(() => ({}))): DistillResult[] {
    if (hooks.length !== this.distillers.length)
      throw new RangeError(`expected hooks for ${this.distillers.length} seeds, got ${hooks.length}`);
    return Distiller.runLockstep(this.distillers, this.calls(), hooks);
  }

  private calls(): LockstepCalls {
    const { routes } = this;
    return {
      forward: (observations, rows) => {
        const counts = rowsPerGame(this.distillers[0].student, rows);
        const q = routes.forward(
          observations.map((o) => o ?? this.idle(counts)),
          counts,
        );
        return q.map((values, s) => (observations[s] === null ? null : values));
      },
      label: (g, pending, count) => {
        const { frameSize, numActions } = this.gameSizes[g];
        const frames = this.labelFrames[g].subarray(0, pending.length * count * frameSize);
        const values = this.labelValues[g].subarray(0, pending.length * count * numActions);
        pending.forEach((p, s) => {
          frames.set(p.frames.subarray(0, count * frameSize), s * count * frameSize);
        });
        this.labels[g].label(frames, pending.length * count, values);
        pending.forEach((p, s) => {
          p.teacherQ.set(values.subarray(s * count * numActions, (s + 1) * count * numActions));
        });
      },
      update: (batches) => routes.update(batches),
      sync: () => routes.sync(),
    };
  }

  /** `rows[g]` zero observations of each game g. */
  private idle(rows: readonly number[]): Uint8Array[] {
    return this.gameSizes.map(({ frameSize }, g) => {
      if (this.idleObservations[g].length < rows[g] * frameSize)
        this.idleObservations[g] = new Uint8Array(rows[g] * frameSize);
      return this.idleObservations[g].subarray(0, rows[g] * frameSize);
    });
  }

  dispose(): void {
    this.routes.dispose();
    for (const d of this.distillers) d.dispose();
  }
}
