/** The teacher's side of an experience: q_T over the suite's full action set for one observation. */
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

/** q_T of one uint8 observation of shape `shape`, written over the full action set into `out`. */
export function teacherQValues(
  teacher: QNetwork,
  observation: Uint8Array,
  shape: readonly [number, number, number],
  inputScale: number,
  legalActions: readonly number[],
  out: Float32Array,
): void {
  const legalQ = tf.tidy(() => {
    const x = tf.tensor4d(observation, [1, ...shape], 'int32') as Tensor4D;
    return teacher.apply(toNetworkInput(x, inputScale)).dataSync();
  });
  expandToActionSet(legalQ, legalActions, out);
}
