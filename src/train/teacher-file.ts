/**
 * A trained teacher on disk: the online network's weights and what is needed to rebuild and check it
 * (game, network, input scaling, the run's configuration and command, and a final evaluation whose seed
 * makes it repeatable). Far smaller than a run checkpoint: no replay, no optimizer, no target network.
 */
import type { EnvSpec } from '../env/types';
import { ExportedGraph } from '../nn/exported-graph';
import { pqnGraphName } from '../nn/graph-names';
import { forwardQValues, type QNetwork, type QNetworkSpec, qNetwork } from '../nn/qnetwork';
import { tf } from '../nn/tf';
import { Rng } from '../util/rng';
import { readCheckpoint, writeCheckpoint } from './checkpoint-file';
import { networkWeights, setNetworkWeights } from './checkpoint-parts';
import type { BatchPolicy, EpisodeScore, EvaluationProtocol } from './evaluate-episodes';
import { graphRunnable } from './graph-route';

export const TEACHER_KIND = 'teacher';

/** What to do about a damaged or outdated teacher file. */
export const TEACHER_REMEDY =
  'retrain the teacher (the command is in command.txt beside it), or for a shipped teacher restore the ' +
  "repository's copy (git checkout -- data/teachers)";

/** The teacher's score when it was saved, with the protocol that repeats it exactly. */
export interface FinalEvaluation extends EpisodeScore {
  readonly protocol: EvaluationProtocol;
}

export interface TeacherMeta {
  readonly envId: string;
  readonly suite: string;
  readonly game: string;
  readonly observationShape: readonly [number, number, number];
  /** Output i of the network is full-set action legalActions[i]. */
  readonly legalActions: readonly number[];
  readonly network: QNetworkSpec;
  readonly inputScale: number;
  readonly trainedSteps: number;
  readonly finalEvaluation: FinalEvaluation;
  /** The run's configuration and the command that trained it. */
  readonly run: unknown;
  /** How its updates ran (`graph` or `eager`: the same arithmetic up to float rounding); absent in older files. */
  readonly updateRoute?: 'graph' | 'eager';
  readonly command: string;
}

export interface Teacher {
  readonly meta: TeacherMeta;
  readonly network: QNetwork;
  /** Q-values of one observation, one per legal action. */
  qValues(observation: Uint8Array): Float32Array;
  /** Greedy choice as an index into the legal actions. */
  greedyAction(observation: Uint8Array): number;
  /** Greedy choices of stacked observations, in one forward pass. */
  readonly greedyActions: BatchPolicy;
  dispose(): void;
}

export function saveTeacher(path: string, network: QNetwork, meta: TeacherMeta): void {
  const arrays = Object.fromEntries(Object.entries(networkWeights(network)).map(([name, v]) => [`online/${name}`, v]));
  writeCheckpoint(path, TEACHER_KIND, { meta, arrays });
}

/** Index of the largest value (the first on ties). */
export function argMax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

export function loadTeacher(path: string): Teacher {
  const { meta: raw, arrays } = readCheckpoint(path, TEACHER_KIND, TEACHER_REMEDY);
  const meta = raw as TeacherMeta;
  // Initial values are overwritten at once; the generator only has to exist.
  const network = qNetwork('online', meta.network, meta.observationShape, meta.legalActions.length, new Rng(0));
  const weights = Object.fromEntries(
    Object.entries(arrays).map(([name, v]) => [name.replace(/^online\//, ''), v as Float32Array]),
  );
  setNetworkWeights(network, weights, path);
  const numActions = meta.legalActions.length;
  // A teacher plays through the forward pass its trainer evaluated it with, so that its recorded score repeats
  // exactly: PQN's exported graph where the backend runs graphs (pqn-trainer.ts), eager kernels otherwise.
  const algorithm = (meta.run as { algorithm?: string } | null)?.algorithm;
  const graphName = algorithm === 'pqn' ? pqnGraphName(meta.network) : null;
  const forward = graphRunnable(graphName) ? ExportedGraph.load(graphName, 'forward') : null;
  const qValuesOf = (observations: Uint8Array, n: number): Float32Array =>
    forwardQValues(network, forward, observations, n, meta.observationShape, meta.inputScale);
  const qValues = (observation: Uint8Array): Float32Array => qValuesOf(observation, 1);
  return {
    meta,
    network,
    qValues,
    greedyAction: (observation) => argMax(qValues(observation)),
    greedyActions: (observations, n, out) => {
      const q = qValuesOf(observations, n);
      for (let k = 0; k < n; k++) out[k] = argMax(q.subarray(k * numActions, (k + 1) * numActions));
    },
    dispose: () => tf.dispose([...network.variables]),
  };
}

/** Whether `meta` describes a teacher for the environment `spec`; the mismatch, named, when not. */
export function teacherMismatch(meta: TeacherMeta, spec: EnvSpec): string | null {
  if (meta.envId !== spec.id) return `teacher is for ${meta.envId}, the environment is ${spec.id}`;
  if (meta.observationShape.join('×') !== spec.observationShape.join('×')) {
    return `teacher reads ${meta.observationShape.join('×')} observations, the environment gives ${spec.observationShape.join('×')}`;
  }
  if (meta.legalActions.join(',') !== spec.legalActions.join(',')) {
    return `teacher's actions [${meta.legalActions}] differ from the environment's [${spec.legalActions}]`;
  }
  return null;
}
