/** Teacher Q-networks: a convolutional torso (reused by the proposed student) and a fully connected head. */
import { checkFlag, checkInteger, failConfig } from '../util/config-checks';
import type { Rng } from '../util/rng';
import { type ExportedGraph, numberedInputs } from './exported-graph';
import { type ConvSpec, type ConvTorso, convTorso, type Module, mlp } from './layers';
import { type Tensor2D, type Tensor4D, tf, type Variable } from './tf';

export interface QNetwork extends Module<Tensor4D, Tensor2D> {
  readonly torso: ConvTorso;
  readonly head: Module<Tensor2D, Tensor2D>;
  readonly numActions: number;
}

export interface QNetworkSpec {
  readonly convs: readonly ConvSpec[];
  readonly hidden: readonly number[];
  /**
   * LayerNorm after each hidden dense layer of the head (PQN's teachers). The torso stays plain convolutions,
   * so the proposed student takes it over unchanged. Absent or false: no normalisation (DQN).
   */
  readonly layerNorm?: boolean;
}

/** Mnih et al. (2015): 32×8×8/4, 64×4×4/2, 64×3×3/1, 512 hidden. */
export const NATURE_DQN: QNetworkSpec = {
  convs: [
    { filters: 32, kernel: 8, stride: 4 },
    { filters: 64, kernel: 4, stride: 2 },
    { filters: 64, kernel: 3, stride: 1 },
  ],
  hidden: [512],
};

/** Young & Tian (2019), MinAtar's DQN baseline: 16×3×3/1, 128 hidden. */
export const MINATAR_DQN: QNetworkSpec = {
  convs: [{ filters: 16, kernel: 3, stride: 1 }],
  hidden: [128],
};

/** MINATAR_DQN with LayerNorm on the hidden layer: the network of the PQN teachers. */
export const MINATAR_PQN: QNetworkSpec = { ...MINATAR_DQN, layerNorm: true };

/** Throws naming the first field of `network` (reported under `key`) that is not a valid network description. */
export function validateQNetworkSpec(key: string, network: QNetworkSpec): void {
  if (typeof network !== 'object' || network === null || Array.isArray(network))
    failConfig(key, network, 'an object { convs: [{ filters, kernel, stride }, …] (at least one), hidden: [sizes] }');
  // Sensible sizes: at most 16 layers of each kind, 4,096 filters, 16,384 units (a 16,384² layer alone is 1 GiB).
  if (!(Array.isArray(network.convs) && network.convs.length >= 1 && network.convs.length <= 16))
    failConfig(`${key}.convs`, network.convs, 'a list of 1 to 16 convolutions [{ filters, kernel, stride }, …]');
  if (!(Array.isArray(network.hidden) && network.hidden.length <= 16))
    failConfig(`${key}.hidden`, network.hidden, 'a list of at most 16 hidden layer sizes');
  network.convs.forEach((conv, i) => {
    if (typeof conv !== 'object' || conv === null || Array.isArray(conv))
      failConfig(`${key}.convs.${i}`, conv, 'an object { filters, kernel, stride }');
    checkInteger(`${key}.convs.${i}.filters`, conv.filters, 1, 4096);
    checkInteger(`${key}.convs.${i}.kernel`, conv.kernel, 1, 256);
    checkInteger(`${key}.convs.${i}.stride`, conv.stride, 1, 256);
  });
  network.hidden.forEach((size, i) => {
    checkInteger(`${key}.hidden.${i}`, size, 1, 16_384);
  });
  if (network.layerNorm !== undefined) checkFlag(`${key}.layerNorm`, network.layerNorm);
}

/**
 * Q-values of `n` stacked uint8 observations (row-major, legal actions per row) in one forward pass: through the
 * network's exported forward graph when one is given (a PQN teacher's, see pqn-trainer.ts), by eager kernels
 * otherwise. Observations are scaled on the host either way, so both routes see the same input.
 */
export function forwardQValues(
  network: QNetwork,
  graph: ExportedGraph | null,
  observations: Uint8Array,
  n: number,
  shape: readonly [number, number, number],
  inputScale: number,
): Float32Array {
  const input = new Float32Array(n * shape[0] * shape[1] * shape[2]);
  for (let k = 0; k < input.length; k++) input[k] = observations[k] * inputScale;
  if (graph === null) {
    return tf.tidy(() => network.apply(tf.tensor4d(input, [n, ...shape])).dataSync() as Float32Array);
  }
  const inputs = { observations: tf.tensor4d(input, [n, ...shape]), input_scale: tf.scalar(1) };
  const outputs = graph.run({ ...inputs, ...numberedInputs('param', network.variables) });
  const q = outputs.q.dataSync() as Float32Array;
  tf.dispose([...Object.values(inputs), ...Object.values(outputs)]);
  return q;
}

export function qNetwork(
  name: string,
  spec: QNetworkSpec,
  inputShape: readonly [number, number, number],
  numActions: number,
  rng: Rng,
): QNetwork {
  const torso = convTorso(`${name}/torso`, inputShape, spec.convs, rng);
  const head = mlp(`${name}/head`, torso.outputDim, [...spec.hidden, numActions], rng, spec.layerNorm === true);
  const variables: readonly Variable[] = [...torso.variables, ...head.variables];
  const variableNames = [...torso.variableNames, ...head.variableNames];
  return { name, torso, head, numActions, variables, variableNames, apply: (x) => head.apply(torso.apply(x)) };
}
