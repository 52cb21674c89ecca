/** Whether a network runs through one of the exported TensorFlow graphs (native/tf-graphs) in this process. */
import { graphExported, graphUpdatesEnabled } from '../nn/exported-graph';

/** True when the graph `name` (null: the network has none) was exported and the backend runs graphs. */
export function graphRunnable(name: string | null): name is string {
  return name !== null && graphUpdatesEnabled() && graphExported(name);
}
