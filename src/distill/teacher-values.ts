/** The teacher's side of an experience: q_T over the suite's full action set, for a batch of observations. */
import { ExportedGraph, graphUpdatesEnabled, numberedInputs, type UpdateRoute } from '../nn/exported-graph';
import { teacherForwardGraphName } from '../nn/graph-names';
import type { QNetwork, QNetworkSpec } from '../nn/qnetwork';
import { toNetworkInput } from '../nn/students/student';
import { type Tensor4D, tf } from '../nn/tf';

/**
 * Writes q_T into `out` (length numActions): the teacher answers over the game's legal actions in
 * `legalActions` order (as the DQN teachers are trained); the other actions get 0 and are masked downstream.
 */
export function expandToActionSet(legalQ: ArrayLike<number>, legalActions: readonly number[], out: Float32Array): void {
  if (legalQ.length !== legalActions.length) {
    throw new RangeError(`expected ${legalActions.length} Q-values (one per legal action), got ${legalQ.length}`);
  }
  out.fill(0);
  legalActions.forEach((a, j) => {
    out[a] = legalQ[j];
  });
}

export interface TeacherLabels {
  readonly route: UpdateRoute;
  /**
   * q_T of `n` stacked uint8 observations in one forward pass, written row by row over the full action set
   * into `out` (n × numActions values).
   */
  label(observations: Uint8Array, n: number, out: Float32Array): void;
}

export interface TeacherLabelOptions {
  readonly teacher: QNetwork;
  /** The teacher's architecture (it picks the exported forward graph). */
  readonly network: QNetworkSpec;
  readonly observationShape: readonly [number, number, number];
  readonly inputScale: number;
  readonly legalActions: readonly number[];
}

/** `graph` where the teacher's network has an exported forward graph and the backend can run it. */
export function defaultTeacherRoute(network: QNetworkSpec): UpdateRoute {
  return graphUpdatesEnabled() && teacherForwardGraphName(network) !== null ? 'graph' : 'eager';
}

/** Labels experiences with q_T by the teacher's forward graph (one session call) or by eager kernels. */
export function teacherLabels(
  options: TeacherLabelOptions,
  route: UpdateRoute = defaultTeacherRoute(options.network),
): TeacherLabels {
  const { teacher, network, observationShape: shape, inputScale, legalActions } = options;
  const frame = shape[0] * shape[1] * shape[2];
  const graphName = teacherForwardGraphName(network);
  if (route === 'graph' && graphName === null) {
    throw new RangeError(`no forward graph for a teacher network ${JSON.stringify(network)}; use the eager route`);
  }
  const graph = route === 'graph' ? ExportedGraph.load(graphName as string, 'forward') : null;
  const legalQOf = (observations: Uint8Array, n: number): Float32Array => {
    if (graph === null) {
      return tf.tidy(() => {
        const x = tf.tensor4d(observations.subarray(0, n * frame), [n, ...shape], 'int32') as Tensor4D;
        return teacher.apply(toNetworkInput(x, inputScale)).dataSync() as Float32Array;
      });
    }
    const inputs = {
      observations: tf.tensor4d(observations.subarray(0, n * frame), [n, ...shape], 'float32'),
      input_scale: tf.scalar(inputScale),
    };
    const { q } = graph.run({ ...inputs, ...numberedInputs('param', teacher.variables) });
    const values = q.dataSync() as Float32Array;
    tf.dispose([...Object.values(inputs), q]);
    return values;
  };
  return {
    route,
    label: (observations, n, out) => {
      const numActions = out.length / n;
      const legalQ = legalQOf(observations, n);
      const k = legalActions.length;
      for (let row = 0; row < n; row++) {
        expandToActionSet(
          legalQ.subarray(row * k, (row + 1) * k),
          legalActions,
          out.subarray(row * numActions, (row + 1) * numActions),
        );
      }
    },
  };
}
