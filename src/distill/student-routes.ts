/**
 * The student's forward pass on host arrays (acting, evaluation) and its distillation update: the forward
 * pass over one batch per game, the importance-weighted eq. 4 KL summed over games, its gradient and one
 * RMSProp step. Each has two routes that compute the same thing (checked by student-routes.test.ts): `eager`
 * issues tfjs kernels (the update takes eq. 4 and ∂L/∂q_S on the host); `graph` is one call into the student's
 * exported graph (native/tf-graphs/export.py), where one exists for its architecture, convolutions, game
 * count and depth (and, for the update, the torso is trained: a frozen torso takes the eager route). A seed batch of
 * students, in one call each, is seed-batch-routes.ts.
 */
import { weightedDistillationKl } from '../nn/distillation-kl-gradient';
import {
  ExportedGraph,
  graphExported,
  graphUpdatesEnabled,
  numberedInputs,
  numberedOutputs,
  type UpdateRoute,
} from '../nn/exported-graph';
import { studentGraphName } from '../nn/graph-names';
import type { ConvSpec } from '../nn/layers';
import type { RmsProp } from '../nn/rmsprop';
import type { Student, StudentArchitecture } from '../nn/students';
import { actionScatter } from '../nn/students/student';
import { type Scalar, type Tensor, type Tensor4D, tf } from '../nn/tf';
import type { ReplayBatch } from '../replay';

export interface StudentShape {
  readonly student: Student;
  /** Factor from stored uint8 observations to network inputs (the teachers' `inputScale`). */
  readonly inputScale: number;
  /** The teachers' convolutions, which every student architecture reuses (they pick the graph family). */
  readonly convs: readonly ConvSpec[];
  /** The student's fully connected layers: its hidden widths plus the output. */
  readonly denseLayers: number;
}

export interface StudentUpdateOptions extends StudentShape {
  /** Over the student's trainable variables. */
  readonly optimizer: RmsProp;
  /** Rows per game in every update. */
  readonly batchSize: number;
  /** Eq. 4's temperature, softening the teacher. */
  readonly tau: number;
}

export interface StudentForward {
  readonly route: UpdateRoute;
  /**
   * q_S of stacked uint8 observations of every game (`observations[g]`): `rows` of each game, or `rows[g]` of game g
   * (none for a game is allowed), rows in game order: [Σ rows, numActions].
   */
  forward(observations: readonly Uint8Array[], rows: RowCounts): Float32Array;
  dispose(): void;
}

export interface StudentUpdateResult {
  /** Σ over games of the weighted mean KL, before the step. */
  readonly loss: number;
  /** q_S of the batches before the step, rows stacked in game order: [games × batch, numActions]. */
  readonly studentQ: Float32Array;
}

export interface StudentUpdater {
  readonly route: UpdateRoute;
  /** One step on `batches[g]`, a batch of game g each. */
  update(batches: readonly ReplayBatch[]): StudentUpdateResult;
  dispose(): void;
}

/** The exported graph of this student's shape, or null when none was exported. */
export function exportedGraphOf({ student, convs, denseLayers }: StudentShape): string | null {
  return exportedStudentGraph(student.architecture, convs, student.games.length, denseLayers);
}

/** The exported graph of a student of this architecture, convolutions, game count and depth, or null when none was. */
export function exportedStudentGraph(
  architecture: StudentArchitecture,
  convs: readonly ConvSpec[],
  games: number,
  denseLayers: number,
): string | null {
  const name = studentGraphName(architecture, convs, games, denseLayers);
  return name !== null && graphExported(name) ? name : null;
}

/** The exported graph that computes this student's update, or null when it must take the eager route. */
function updateGraphOf(options: StudentShape): string | null {
  const frozen = options.student.trainableVariables.length !== options.student.variables.length;
  return frozen ? null : exportedGraphOf(options);
}

/** `graph` where the student's update (`update`) or forward pass has an exported graph and the backend can run it. */
export function defaultStudentRoute(options: StudentShape, use: 'update' | 'forward' = 'update'): UpdateRoute {
  const graph = use === 'update' ? updateGraphOf(options) : exportedGraphOf(options);
  return graphUpdatesEnabled() && graph !== null ? 'graph' : 'eager';
}

export function describeStudent({ student, convs, denseLayers }: StudentShape): string {
  return `a ${student.architecture} student of ${student.games.length} games, convolutions ${JSON.stringify(convs)} and ${denseLayers} dense layers`;
}

/** Inputs every call of a student's graph takes besides its weights and batches. */
export function graphConstants({ student, inputScale }: StudentShape): Record<string, Tensor> {
  const constants: Record<string, Tensor> = { input_scale: tf.scalar(inputScale) };
  if (student.architecture === 'dist') {
    student.games.forEach((game, g) => {
      constants[`action_scatter_${g}`] = actionScatter(game.legalActions, student.numActions);
    });
  }
  return constants;
}

/** Rows of a forward pass: the same count for every game, or one count per game. */
export type RowCounts = number | readonly number[];

/** `rows` as one count per game of `student`, refused unless each is a count and there is one per game. */
export function rowsPerGame(student: Student, rows: RowCounts): readonly number[] {
  const counts = typeof rows === 'number' ? student.games.map(() => rows) : rows;
  if (counts.length !== student.games.length || !counts.every((n) => Number.isInteger(n) && n >= 0)) {
    throw new RangeError(
      `expected a row count (an integer >= 0) for each of ${student.games.length} games, got ${JSON.stringify(rows)}`,
    );
  }
  return counts;
}

/** Each game's uint8 observations (`rows` or `rows[g]` of them) as the graph's float inputs. */
function observationInputs(
  student: Student,
  observations: readonly Uint8Array[],
  rows: RowCounts,
): Record<string, Tensor> {
  const counts = rowsPerGame(student, rows);
  return Object.fromEntries(
    observations.map((o, g) => [
      `observations_${g}`,
      tf.tensor4d(o, [counts[g], ...student.games[g].observationShape], 'float32'),
    ]),
  );
}

function frameSize(student: Student, g: number): number {
  return student.games[g].observationShape.reduce((a, b) => a * b, 1);
}

/** Game g's `n` uint8 observations as the eager route's input (the students cast and scale them). */
function eagerBatch(student: Student, o: Uint8Array, g: number, n: number): Tensor4D {
  return tf.tensor4d(o, [n, ...student.games[g].observationShape], 'int32') as Tensor4D;
}

export function createStudentForward(
  shape: StudentShape,
  route: UpdateRoute = defaultStudentRoute(shape, 'forward'),
): StudentForward {
  const { student } = shape;
  if (route === 'eager') {
    return {
      route,
      forward: (observations, rows) => {
        const counts = rowsPerGame(student, rows);
        // tfjs's convolutions refuse a batch of no rows: such a game gets one zero row, dropped from the answer.
        const fed = counts.map((n) => Math.max(n, 1));
        const q = tf.tidy(
          () =>
            student
              .forwardAll(
                observations.map((o, g) =>
                  eagerBatch(student, counts[g] > 0 ? o : new Uint8Array(frameSize(student, g)), g, fed[g]),
                ),
              )
              .dataSync() as Float32Array,
        );
        if (fed.every((n, g) => n === counts[g])) return q;
        const A = student.numActions;
        const kept = new Float32Array(counts.reduce((a, b) => a + b, 0) * A);
        let from = 0;
        let to = 0;
        counts.forEach((n, g) => {
          kept.set(q.subarray(from * A, (from + n) * A), to * A);
          from += fed[g];
          to += n;
        });
        return kept;
      },
      dispose: () => {},
    };
  }
  const name = exportedGraphOf(shape);
  if (name === null) throw new RangeError(`no forward graph for ${describeStudent(shape)}; use the eager route`);
  const graph = ExportedGraph.load(name, 'forward');
  const constants = graphConstants(shape);
  return {
    route,
    forward: (observations, rows) => {
      if (observations.length !== student.games.length) {
        throw new RangeError(`expected observations of ${student.games.length} games, got ${observations.length}`);
      }
      const inputs = observationInputs(student, observations, rows);
      const { student_q: q } = graph.run({ ...inputs, ...numberedInputs('param', student.variables), ...constants });
      const values = q.dataSync() as Float32Array;
      tf.dispose([...Object.values(inputs), q]);
      return values;
    },
    dispose: () => tf.dispose(Object.values(constants)),
  };
}

export function createStudentUpdater(
  options: StudentUpdateOptions,
  route: UpdateRoute = defaultStudentRoute(options),
): StudentUpdater {
  return route === 'graph' ? graphUpdater(options) : eagerUpdater(options);
}

/** The update graph's shared inputs besides the weights: each game's legal-action mask repeated for its `B` rows, and τ. */
export function updateConstants(student: Student, B: number, tau: number): Record<string, Tensor> {
  return {
    legal: tf.tidy(() => tf.concat(student.games.map((_, g) => tf.tile(student.legalMask(g), [B, 1])))),
    tau: tf.scalar(tau),
  };
}

export function checkBatches(student: Student, batches: readonly ReplayBatch[], batchSize: number): void {
  if (batches.length !== student.games.length || batches.some((b) => b.size !== batchSize)) {
    throw new RangeError(
      `expected ${student.games.length} batches of ${batchSize} rows, got [${batches.map((b) => b.size).join(', ')}]`,
    );
  }
}

function eagerUpdater(options: StudentUpdateOptions): StudentUpdater {
  const { student, optimizer, batchSize: B, tau } = options;
  const A = student.numActions;
  const gradient = new Float32Array(student.games.length * B * A);
  return {
    route: 'eager',
    update: (batches) => {
      checkBatches(student, batches, B);
      let loss = 0;
      let studentQ: Float32Array = new Float32Array(0);
      const surrogate = optimizer.minimize(() => {
        const q = student.forwardAll(batches.map((batch, g) => eagerBatch(student, batch.observations, g, B)));
        // Read before the step: the loss, its gradient and eq. 5 priorities use the q_S of this batch.
        studentQ = q.dataSync() as Float32Array;
        loss = 0;
        batches.forEach((batch, g) => {
          const rows = [g * B * A, (g + 1) * B * A] as const;
          loss += weightedDistillationKl(
            batch.teacherQ,
            studentQ.subarray(...rows),
            A,
            student.games[g].legalActions,
            tau,
            batch.weights,
            1 / B,
            gradient.subarray(...rows),
          );
        });
        // Σ q_S · ∂L/∂q_S: the same gradient with respect to every weight as the loss (sum over games of the weighted mean KL).
        return tf.sum(tf.mul(q, tf.tensor2d(gradient, q.shape))) as Scalar;
      });
      surrogate.dispose();
      return { loss, studentQ };
    },
    dispose: () => {},
  };
}

function graphUpdater(options: StudentUpdateOptions): StudentUpdater {
  const { student, optimizer, batchSize: B, tau } = options;
  const name = updateGraphOf(options);
  if (name === null) {
    const frozen = student.trainableVariables.length < student.variables.length ? ' (frozen torso)' : '';
    throw new RangeError(`no update graph for ${describeStudent(options)}${frozen}; use the eager route`);
  }
  const graph = ExportedGraph.load(name, 'update');
  const G = student.games.length;
  const A = student.numActions;
  const constants: Record<string, Tensor> = {
    ...graphConstants(options),
    ...updateConstants(student, B, tau),
  };
  const teacherQ = new Float32Array(G * B * A);
  const rowWeights = new Float32Array(G * B);
  return {
    route: 'graph',
    update: (batches) => {
      checkBatches(student, batches, B);
      const inputs = observationInputs(
        student,
        batches.map((b) => b.observations),
        B,
      );
      batches.forEach((batch, g) => {
        teacherQ.set(batch.teacherQ, g * B * A);
        for (let i = 0; i < B; i++) rowWeights[g * B + i] = batch.weights[i] / B;
      });
      inputs.teacher_q = tf.tensor2d(teacherQ, [G * B, A]);
      inputs.row_weights = tf.tensor1d(rowWeights);
      const params = numberedInputs('param', student.variables);
      const outputs = graph.run({ ...inputs, ...params, ...constants, ...optimizer.graphInputs() });
      optimizer.adoptStep(
        numberedOutputs(outputs, 'param', student.variables.length),
        outputs.mean_square,
        outputs.mean_gradient,
      );
      const result = { loss: outputs.loss.dataSync()[0], studentQ: outputs.student_q.dataSync() as Float32Array };
      tf.dispose([...Object.values(inputs), ...Object.values(outputs)]);
      return result;
    },
    dispose: () => tf.dispose(Object.values(constants)),
  };
}
