/** The teacher's side of an experience: q_T over the suite's full action set, for a batch of observations. */
import type { QNetwork } from '../nn/qnetwork';
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

/**
 * q_T of `n` stacked uint8 observations of shape `shape` in one forward pass, written row by row over the
 * full action set into `out` (n × numActions values).
 */
export function teacherQValues(
  teacher: QNetwork,
  observations: Uint8Array,
  n: number,
  shape: readonly [number, number, number],
  inputScale: number,
  legalActions: readonly number[],
  out: Float32Array,
): void {
  const numActions = out.length / n;
  const legalQ = tf.tidy(() => {
    const x = tf.tensor4d(observations.subarray(0, n * shape[0] * shape[1] * shape[2]), [n, ...shape], 'int32');
    return teacher.apply(toNetworkInput(x as Tensor4D, inputScale)).dataSync();
  });
  const k = legalActions.length;
  for (let row = 0; row < n; row++) {
    expandToActionSet(
      legalQ.subarray(row * k, (row + 1) * k),
      legalActions,
      out.subarray(row * numActions, (row + 1) * numActions),
    );
  }
}
