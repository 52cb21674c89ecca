/**
 * Training updates as one call into a TensorFlow graph exported by `native/tf-graphs/export.py`, run through
 * tfjs-node's SavedModel session. Why: issued from JavaScript the same update is 90–200 eager kernels, and on
 * a 2-core machine each costs tens of microseconds of dispatch; inside a graph TensorFlow runs them back to
 * back (measured in bench/backend). The graphs hold no variables: weights and slots go in and come out, so
 * the tfjs Variables and checkpoints stay as they are. Loaded synchronously through the backend
 * (tf.node.loadSavedModel is async and parses the protobuf in JS); the exporter writes the op names beside
 * each graph for that reason.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../util/paths';
import { backendInfo, type Tensor, tf } from './tf';
import { registerProjectOps } from './tf-ops';

/**
 * How an update runs: `graph`, one call into an exported graph (native backend, known network shapes);
 * `eager`, tfjs kernels one by one (any backend, any network). Both compute the same step.
 */
export type UpdateRoute = 'graph' | 'eager';

/** A SavedModel's functions: one network's `update` and `forward`, and the same for a seed batch. */
export type GraphSignature = 'update' | 'forward' | 'update_seeds' | 'forward_seeds';

const GRAPHS_DIR = join(PROJECT_ROOT, 'native', 'tf-graphs');

/** True when updates can run as graphs: the native backend, unless DISTILL_LAB_GRAPHS=0. */
export function graphUpdatesEnabled(): boolean {
  return backendInfo.kind !== 'js' && process.env.DISTILL_LAB_GRAPHS !== '0';
}

/** `tensors` as a graph's numbered inputs `${prefix}_0`, `${prefix}_1`, …: the exporter's names for a weight list. */
export function numberedInputs(prefix: string, tensors: readonly Tensor[]): Record<string, Tensor> {
  return Object.fromEntries(tensors.map((t, i) => [`${prefix}_${i}`, t]));
}

/** A graph's numbered outputs `${prefix}_0` … `${prefix}_${count − 1}`, in order. */
export function numberedOutputs(outputs: Record<string, Tensor>, prefix: string, count: number): Tensor[] {
  return Array.from({ length: count }, (_, i) => outputs[`${prefix}_${i}`]);
}

/** True when graph `name` was exported (its directory holds the SavedModel and its op names). */
export function graphExported(name: string): boolean {
  const dir = join(GRAPHS_DIR, name);
  return existsSync(join(dir, 'signature.json')) && existsSync(join(dir, 'saved_model.pb'));
}

/** Which graph ops a signature (a function of the SavedModel: `update`, `forward`) reads and writes. */
interface Signature {
  readonly inputs: Record<string, string>;
  readonly outputs: Record<string, string>;
}

interface SignatureFile {
  /** Ops of the project's library (native/tf-ops) the graph uses: registered before it loads. */
  readonly ops?: readonly string[];
  readonly signatures: Record<string, Signature>;
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

/** One session per SavedModel for the whole process (every learner of a shape shares it), and its signatures. */
const sessions = new Map<string, { id: number; signatures: SignatureFile['signatures'] }>();
const graphs = new Map<string, ExportedGraph>();

export class ExportedGraph {
  private readonly inputNames: string[];
  private readonly inputInfos: { name: string; tfDtype: string }[];
  private readonly outputNames: string[];
  private readonly outputOps: string[];

  private constructor(
    /** `directory:signature`, e.g. `minatar-dqn:update`. */
    readonly name: string,
    private readonly sessionId: number,
    signature: Signature,
  ) {
    this.inputNames = Object.keys(signature.inputs).sort();
    // tfjs-node converts only uint8 and int64 inputs by dtype; every input here is float32 or int32.
    this.inputInfos = this.inputNames.map((input) => ({ name: signature.inputs[input], tfDtype: 'DT_FLOAT' }));
    this.outputNames = Object.keys(signature.outputs).sort();
    this.outputOps = this.outputNames.map((output) => signature.outputs[output]);
  }

  /** Signature `signature` of the SavedModel in native/tf-graphs/`name`. */
  static load(name: string, signature: GraphSignature): ExportedGraph {
    const key = `${name}:${signature}`;
    const cached = graphs.get(key);
    if (cached) return cached;
    if (!graphUpdatesEnabled()) {
      throw new Error(`graph updates need the native TensorFlow backend; the active one is '${tf.getBackend()}'`);
    }
    const dir = join(GRAPHS_DIR, name);
    let session = sessions.get(name);
    if (!session) {
      if (!graphExported(name)) {
        throw new Error(`${dir}: the ${name} graph is missing; regenerate it with \`npm run graphs\``);
      }
      const file = JSON.parse(readFileSync(join(dir, 'signature.json'), 'utf8')) as SignatureFile;
      if ((file.ops ?? []).length > 0) registerProjectOps();
      const backend = tf.backend() as unknown as SessionBackend;
      session = { id: backend.loadSavedModelMetaGraph(dir, 'serve'), signatures: file.signatures };
      sessions.set(name, session);
    }
    const found = session.signatures[signature];
    if (!found) {
      throw new Error(
        `${dir} has no '${signature}' signature (it has ${Object.keys(session.signatures).join(', ')}); regenerate it with \`npm run graphs\``,
      );
    }
    const graph = new ExportedGraph(key, session.id, found);
    graphs.set(key, graph);
    return graph;
  }

  /** Runs the signature; the caller owns (and disposes or adopts) the returned tensors. */
  run(inputs: Record<string, Tensor>): Record<string, Tensor> {
    const given = Object.keys(inputs);
    const missing = this.inputNames.filter((input) => !(input in inputs));
    const extra = given.filter((input) => !this.inputNames.includes(input));
    if (missing.length > 0 || extra.length > 0) {
      throw new RangeError(
        `${this.name} graph: inputs do not match (missing: ${missing.join(', ') || 'none'}; unexpected: ${extra.join(', ') || 'none'})`,
      );
    }
    const backend = tf.backend() as unknown as SessionBackend;
    const results = backend.runSavedModel(
      this.sessionId,
      this.inputNames.map((input) => inputs[input]),
      this.inputInfos,
      this.outputOps,
    );
    return Object.fromEntries(this.outputNames.map((output, i) => [output, results[i]]));
  }
}
