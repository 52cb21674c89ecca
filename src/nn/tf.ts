/**
 * tfjs with the project's backend loaded: import `tf` (and tensor types) from here, never from
 * '@tensorflow/tfjs' directly, so the backend is chosen before the first tensor exists.
 */
import type { Tensor, Variable } from '@tensorflow/tfjs';
import { loadBackend } from './backend';

export const tf = loadBackend().tf;
export const backendInfo = loadBackend().info;
export type * from '@tensorflow/tfjs';

/**
 * A variable holding `initial`'s values, with `initial` released: tf.variable shares the initial tensor's
 * buffer and leaves that tensor alive, which kept every network's initial weights in memory after dispose.
 */
export function variableFrom(initial: Tensor, trainable: boolean): Variable {
  const variable = tf.variable(initial, trainable);
  initial.dispose();
  return variable;
}
