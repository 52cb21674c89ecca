/**
 * Which exported graph (native/tf-graphs/export.py) computes a network's update. The exporter unrolls each
 * network's structure with static strides, so a graph fits a family of convolution stacks, a number of dense
 * layers and, for students, a number of games; every width, channel, action and batch size is dynamic.
 */
import type { ConvSpec } from './layers';
import type { QNetworkSpec } from './qnetwork';

/** (kernel, stride) of each convolution; must match CONV_FAMILIES in export.py. */
const CONV_FAMILIES = {
  minatar: [[3, 1]],
  nature: [
    [8, 4],
    [4, 2],
    [3, 1],
  ],
} as const;

export type ConvFamily = keyof typeof CONV_FAMILIES;

/** The family of a convolution stack, or null when no exported graph has its kernels and strides. */
export function convFamilyOf(convs: readonly ConvSpec[]): ConvFamily | null {
  for (const [name, family] of Object.entries(CONV_FAMILIES)) {
    const matches =
      family.length === convs.length &&
      family.every(([kernel, stride], i) => convs[i].kernel === kernel && convs[i].stride === stride);
    if (matches) return name as ConvFamily;
  }
  return null;
}

/** The teacher update graph of a Q-network (one hidden layer), or null when none was exported for its shape. */
export function dqnGraphName(spec: QNetworkSpec): string | null {
  const family = convFamilyOf(spec.convs);
  // The exported graphs have no normalisation layers: a LayerNorm network runs eagerly.
  return family !== null && spec.hidden.length === 1 && spec.layerNorm !== true ? `${family}-dqn` : null;
}

/** The PQN learning-phase graph of a Q-network (MinAtar convolution, one hidden layer with LayerNorm), or null. */
export function pqnGraphName(spec: QNetworkSpec): string | null {
  return convFamilyOf(spec.convs) === 'minatar' && spec.hidden.length === 1 && spec.layerNorm === true
    ? 'minatar-pqn'
    : null;
}

/** The graph whose `forward` signature computes a teacher network's Q-values (DQN's or PQN's), or null. */
export function teacherForwardGraphName(spec: QNetworkSpec): string | null {
  return pqnGraphName(spec) ?? dqnGraphName(spec);
}

/** The name a student update graph has (whether or not it was exported): see STUDENT_GRAPHS in export.py. */
export function studentGraphName(
  architecture: string,
  convs: readonly ConvSpec[],
  games: number,
  denseLayers: number,
): string | null {
  const family = convFamilyOf(convs);
  return family === null ? null : `student-${architecture}-${family}-g${games}-d${denseLayers}`;
}
