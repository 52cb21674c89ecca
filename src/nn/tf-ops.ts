/**
 * The project's TensorFlow op library (native/tf-ops, built by `bash scripts/setup.sh`): the students' RMSProp step in
 * one pass over the weights, which the exported student graphs use. It is registered with the TensorFlow tfjs-node
 * loaded, once per process, before the first graph that needs it loads.
 */
import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../util/paths';
import { loadBackend } from './backend';

const OPS_LIBRARY = join(PROJECT_ROOT, 'build', 'native', 'distill_lab_ops.so');
const LOADER = join(PROJECT_ROOT, 'build', 'native', 'tf_ops_loader.node');

let registered = false;

/** Registers the op library with the native backend's TensorFlow (once); throws, naming the fix, when it is not built. */
export function registerProjectOps(): void {
  if (registered) return;
  const { info } = loadBackend();
  if (info.kind === 'js') throw new Error('the project op library needs the native TensorFlow backend');
  if (!existsSync(OPS_LIBRARY) || !existsSync(LOADER)) {
    throw new Error(`${OPS_LIBRARY} is not built (the exported student graphs need it); run: bash scripts/setup.sh`);
  }
  const pkg = info.kind === 'native-gpu' ? 'tfjs-node-gpu' : 'tfjs-node';
  // The file tfjs-node's addon loaded (deps/lib/libtensorflow.so.2 links to it), found by the loader without a reload.
  const tensorflow = realpathSync(
    join(PROJECT_ROOT, 'node_modules', '@tensorflow', pkg, 'deps', 'lib', 'libtensorflow.so'),
  );
  (require(LOADER) as { loadTensorFlowOps: (tf: string, ops: string) => void }).loadTensorFlowOps(
    tensorflow,
    OPS_LIBRARY,
  );
  registered = true;
}
