/**
 * S students of one shape (a seed batch: same architecture and sizes, each its own weights, RMSProp slots and
 * batches) trained in one graph call per update and one per forward pass: the exported graph's `update_seeds` and
 * `forward_seeds` signatures, every per-seed input with a leading seed axis (native/tf-graphs/export.py).
 *
 * The batch holds the seeds' weights and slots stacked, as the one copy it updates: stacking them anew for every
 * call copied every weight of every seed twice per update and once per acting step. The seeds' own students and
 * optimizers fall behind until `sync` writes their weights back (before a checkpoint reads them).
 */
import { ExportedGraph, graphUpdatesEnabled, numberedOutputs } from '../nn/exported-graph';
import type { ConvSpec } from '../nn/layers';
import { type Tensor, tf } from '../nn/tf';
import type { ReplayBatch } from '../replay';
import type { DistillConfig } from './config';
import {
  checkBatches,
  describeStudent,
  exportedGraphOf,
  exportedStudentGraph,
  graphConstants,
  type RowCounts,
  rowsPerGame,
  type StudentShape,
  type StudentUpdateOptions,
  type StudentUpdateResult,
  updateConstants,
} from './student-routes';

/**
 * Why runs of `config` cannot train as a seed batch (no seed-batched graph for the student's shape, or no native
 * backend to run it), or null when they can: checked when a plan is made, before anything trains.
 */
export function seedBatchObstacle(config: DistillConfig, convs: readonly ConvSpec[], games: number): string | null {
  if (!graphUpdatesEnabled()) return 'seed batches run as exported graphs, which need the native TensorFlow backend';
  if (config.freezeTorso) return 'a frozen torso trains on the eager route, one seed at a time';
  if (exportedStudentGraph(config.architecture, convs, games, config.hidden.length + 1) === null) {
    return `no seed-batched graph was exported for a ${config.architecture} student of ${games} games with ${config.hidden.length + 1} dense layers (native/tf-graphs/export.py)`;
  }
  return null;
}

/**
 * The graph of a seed batch's shape; refuses students of other shapes, batch sizes, τ or input scales (the runs'
 * other settings, the optimizer's included, are compared by seed-batch-distiller.ts's checkSeedBatch).
 */
function seedBatchGraph(seeds: readonly StudentUpdateOptions[]): string {
  if (seeds.length === 0) throw new RangeError('a seed batch needs at least one student');
  const name = exportedGraphOf(seeds[0]);
  if (name === null || !graphUpdatesEnabled())
    throw new RangeError(`no seed-batched graph for ${describeStudent(seeds[0])}; train its seeds one by one`);
  const signature = (s: StudentUpdateOptions) =>
    JSON.stringify([s.inputScale, s.batchSize, s.tau, s.student.variables.map((v) => v.shape), describeStudent(s)]);
  const odd = seeds.findIndex((s) => signature(s) !== signature(seeds[0]));
  if (odd >= 0) {
    throw new RangeError(
      `seed ${odd} of the batch is not the same student as seed 0 (shape, batch size, τ or input scale differ)`,
    );
  }
  if (seeds.some((s) => s.student.trainableVariables.length !== s.student.variables.length))
    throw new RangeError(
      'a seed batch trains whole students; a frozen torso takes the eager route, one seed at a time',
    );
  return name;
}

/** The frames of several batches, one after another. */
function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export class SeedBatchRoutes {
  readonly size: number;
  private readonly updateGraph: ExportedGraph;
  private readonly forwardGraph: ExportedGraph;
  private readonly shape: StudentShape;
  private readonly constants: Record<string, Tensor>;
  private readonly updateInputs: Record<string, Tensor>;
  /** The RMSProp hyper-parameters, shared by the seeds (seed 0's optimizer owns them). */
  private readonly hyper: Record<string, Tensor>;
  private readonly paramNames: readonly string[];
  /** Updates since the seeds' own students last received their weights. */
  private unsynced = 0;
  /** `param_i` [S, …] and the RMSProp slots [S, size], the seeds' current values. */
  private stacked: Record<string, Tensor>;
  private readonly teacherQ: Float32Array;
  private readonly rowWeights: Float32Array;

  constructor(private readonly seeds: readonly StudentUpdateOptions[]) {
    const name = seedBatchGraph(seeds);
    this.size = seeds.length;
    this.shape = seeds[0];
    this.updateGraph = ExportedGraph.load(name, 'update_seeds');
    this.forwardGraph = ExportedGraph.load(name, 'forward_seeds');
    const { student, batchSize, tau } = seeds[0];
    this.constants = graphConstants(seeds[0]);
    const { mean_square: _ms, mean_gradient: _mg, ...hyper } = seeds[0].optimizer.graphInputs();
    this.updateInputs = updateConstants(student, batchSize, tau);
    this.hyper = hyper;
    this.paramNames = student.variables.map((_, i) => `param_${i}`);
    this.stacked = this.stackSeeds();
    const rows = student.games.length * batchSize;
    this.teacherQ = new Float32Array(this.size * rows * student.numActions);
    this.rowWeights = new Float32Array(this.size * rows);
  }

  /** The seeds' own weights and slots (new, or restored from checkpoints), stacked. */
  private stackSeeds(): Record<string, Tensor> {
    return tf.tidy(() => {
      const slots = this.seeds.map((s) => s.optimizer.graphInputs());
      const stacked: Record<string, Tensor> = {
        mean_square: tf.stack(slots.map((o) => o.mean_square)),
        mean_gradient: tf.stack(slots.map((o) => o.mean_gradient)),
      };
      this.paramNames.forEach((name, i) => {
        stacked[name] = tf.stack(this.seeds.map((s) => s.student.variables[i]));
      });
      return stacked;
    });
  }

  /** The stacked weights alone (the forward pass's inputs besides the observations). */
  private params(): Record<string, Tensor> {
    return Object.fromEntries(this.paramNames.map((name) => [name, this.stacked[name]]));
  }

  /**
   * `observations[s][g]`: seed s's stacked observations of game g, `rows` of every game or `rows[g]` of game g; each
   * seed's [Σ rows, numActions] q_S.
   */
  forward(observations: readonly (readonly Uint8Array[])[], rows: RowCounts): Float32Array[] {
    if (observations.length !== this.size)
      throw new RangeError(`expected observations of ${this.size} seeds, got ${observations.length}`);
    const counts = rowsPerGame(this.shape.student, rows);
    const inputs = this.observationInputs(observations, counts);
    const { student_q: q } = this.forwardGraph.run({ ...inputs, ...this.params(), ...this.constants });
    const values = q.dataSync() as Float32Array;
    tf.dispose([...Object.values(inputs), q]);
    const perSeed = counts.reduce((a, b) => a + b, 0) * this.shape.student.numActions;
    return this.seeds.map((_, s) => values.slice(s * perSeed, (s + 1) * perSeed));
  }

  /** One step of every seed, `batches[s][g]` its batch of game g; each seed's loss and q_S before the step. */
  update(batches: readonly (readonly ReplayBatch[])[]): StudentUpdateResult[] {
    if (batches.length !== this.size)
      throw new RangeError(`expected batches of ${this.size} seeds, got ${batches.length}`);
    const { student, batchSize: B } = this.shape as StudentUpdateOptions;
    const G = student.games.length;
    const A = student.numActions;
    batches.forEach((own, s) => {
      checkBatches(student, own, B);
      own.forEach((batch, g) => {
        this.teacherQ.set(batch.teacherQ, (s * G + g) * B * A);
        for (let i = 0; i < B; i++) this.rowWeights[(s * G + g) * B + i] = batch.weights[i] / B;
      });
    });
    const inputs = {
      ...this.observationInputs(
        batches.map((own) => own.map((b) => b.observations)),
        student.games.map(() => B),
      ),
      teacher_q: tf.tensor3d(this.teacherQ, [this.size, G * B, A]),
      row_weights: tf.tensor2d(this.rowWeights, [this.size, G * B]),
    };
    const outputs = this.updateGraph.run({
      ...inputs,
      ...this.stacked,
      ...this.constants,
      ...this.updateInputs,
      ...this.hyper,
    });
    const losses = outputs.loss.dataSync();
    const q = outputs.student_q.dataSync() as Float32Array;
    tf.dispose([...Object.values(inputs), ...Object.values(this.stacked), outputs.loss, outputs.student_q]);
    const { loss: _l, student_q: _q, ...next } = outputs;
    this.stacked = next;
    this.unsynced++;
    return this.seeds.map((_, s) => ({ loss: losses[s], studentQ: q.slice(s * G * B * A, (s + 1) * G * B * A) }));
  }

  /** Writes every seed's weights and RMSProp slots back into its own student and optimizer, as after its own steps. */
  sync(): void {
    if (this.unsynced === 0) return;
    const P = this.shape.student.variables.length;
    const params = numberedOutputs(this.stacked, 'param', P).map((p) => tf.unstack(p));
    const meanSquares = tf.unstack(this.stacked.mean_square);
    const meanGradients = tf.unstack(this.stacked.mean_gradient);
    this.seeds.forEach((seed, s) => {
      seed.optimizer.adoptStep(
        params.map((p) => p[s]),
        meanSquares[s],
        meanGradients[s],
        this.unsynced,
      );
    });
    tf.dispose([...params.flat(), ...meanSquares, ...meanGradients]);
    this.unsynced = 0;
  }

  private observationInputs(
    observations: readonly (readonly Uint8Array[])[],
    rows: readonly number[],
  ): Record<string, Tensor> {
    return Object.fromEntries(
      this.shape.student.games.map((game, g) => [
        `observations_${g}`,
        tf.tensor5d(
          concatBytes(observations.map((own) => own[g])),
          [this.size, rows[g], ...game.observationShape],
          'float32',
        ),
      ]),
    );
  }

  dispose(): void {
    tf.dispose([...Object.values(this.stacked), ...Object.values(this.constants), ...Object.values(this.updateInputs)]);
  }
}
