/**
 * The DQN update (TD loss, its gradient and RMSProp) as one call into a TensorFlow graph exported by
 * `native/tf-graphs/export.py`, run through tfjs-node's SavedModel session. Why: issued from JavaScript the
 * same update is ~90 eager kernels, and on a 2-core machine each costs tens of microseconds of dispatch;
 * inside a graph TensorFlow runs them back to back (measured in bench/backend). The graph holds no
 * variables: weights and slots go in and come out, so the tfjs Variables and checkpoints stay as they are.
 * Loaded synchronously through the backend (tf.node.loadSavedModel is async and parses the protobuf in JS);
 * the exporter writes the op names beside the graph for that reason.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../util/paths';
import type { QNetworkSpec } from './qnetwork';
import { backendInfo, type Tensor, tf } from './tf';

/** Network shapes with an exported graph: (kernel, stride) of each convolution and the dense layer count. */
const FAMILIES = {
  'minatar-dqn': { convs: [[3, 1]], dense: 2 },
  'nature-dqn': {
    convs: [
      [8, 4],
      [4, 2],
      [3, 1],
    ],
    dense: 2,
  },
} as const;

export type GraphFamily = keyof typeof FAMILIES;

const GRAPHS_DIR = join(PROJECT_ROOT, 'native', 'tf-graphs');

/** The exported graph that computes this network's update, or null when none matches its shape. */
export function graphFamilyOf(spec: QNetworkSpec): GraphFamily | null {
  for (const [name, family] of Object.entries(FAMILIES)) {
    const convsMatch =
      family.convs.length === spec.convs.length &&
      family.convs.every(([kernel, stride], i) => spec.convs[i].kernel === kernel && spec.convs[i].stride === stride);
    if (convsMatch && family.dense === spec.hidden.length + 1) return name as GraphFamily;
  }
  return null;
}

/** True when updates can run as graphs: the native backend, unless DISTILL_LAB_GRAPHS=0. */
export function graphUpdatesEnabled(): boolean {
  return backendInfo.kind !== 'js' && process.env.DISTILL_LAB_GRAPHS !== '0';
}

interface Signature {
  readonly inputs: Record<string, string>;
  readonly outputs: Record<string, string>;
}

interface SessionBackend {
  loadSavedModelMetaGraph(path: string, tags: string): number;
  runSavedModel(
    id: number,
    inputs: Tensor[],
    inputInfos: { name: string; tfDtype: string }[],
    outputOpNames: string[],
  ): Tensor[];
}

/** One session per graph for the whole process: every agent of a family shares it. */
const sessions = new Map<GraphFamily, DqnUpdateGraph>();

export class DqnUpdateGraph {
  private readonly inputNames: string[];
  private readonly inputInfos: { name: string; tfDtype: string }[];
  private readonly outputNames: string[];
  private readonly outputOps: string[];

  private constructor(
    readonly family: GraphFamily,
    private readonly sessionId: number,
    signature: Signature,
  ) {
    this.inputNames = Object.keys(signature.inputs).sort();
    // tfjs-node converts only uint8 and int64 inputs by dtype; every input here is float32 or int32.
    this.inputInfos = this.inputNames.map((name) => ({ name: signature.inputs[name], tfDtype: 'DT_FLOAT' }));
    this.outputNames = Object.keys(signature.outputs).sort();
    this.outputOps = this.outputNames.map((name) => signature.outputs[name]);
  }

  static load(family: GraphFamily): DqnUpdateGraph {
    const cached = sessions.get(family);
    if (cached) return cached;
    if (!graphUpdatesEnabled()) {
      throw new Error(`graph updates need the native TensorFlow backend; the active one is '${tf.getBackend()}'`);
    }
    const dir = join(GRAPHS_DIR, family);
    const signatureFile = join(dir, 'signature.json');
    if (!existsSync(signatureFile) || !existsSync(join(dir, 'saved_model.pb'))) {
      throw new Error(`${dir}: the ${family} update graph is missing; regenerate it with \`npm run graphs\``);
    }
    const signature = JSON.parse(readFileSync(signatureFile, 'utf8')) as Signature;
    const backend = tf.backend() as unknown as SessionBackend;
    const graph = new DqnUpdateGraph(family, backend.loadSavedModelMetaGraph(dir, 'serve'), signature);
    sessions.set(family, graph);
    return graph;
  }

  /** Runs the update; the caller owns (and disposes or adopts) the returned tensors. */
  run(inputs: Record<string, Tensor>): Record<string, Tensor> {
    const given = Object.keys(inputs);
    const missing = this.inputNames.filter((name) => !(name in inputs));
    const extra = given.filter((name) => !this.inputNames.includes(name));
    if (missing.length > 0 || extra.length > 0) {
      throw new RangeError(
        `${this.family} update graph: inputs do not match (missing: ${missing.join(', ') || 'none'}; unexpected: ${extra.join(', ') || 'none'})`,
      );
    }
    const backend = tf.backend() as unknown as SessionBackend;
    const results = backend.runSavedModel(
      this.sessionId,
      this.inputNames.map((name) => inputs[name]),
      this.inputInfos,
      this.outputOps,
    );
    return Object.fromEntries(this.outputNames.map((name, i) => [name, results[i]]));
  }
}
