/**
 * How a run's process computes, for its records (a run's config.json): the tensor backend and TensorFlow's thread
 * pools as set (null: TensorFlow's default, a thread per core). Not part of what names a run: a resumed run may
 * run with other pools, and each start records its own.
 */
import { availableParallelism } from 'node:os';
import { loadBackend } from './backend';
import { threadSettings } from './thread-pools';

export interface RunRuntime {
  /** tfjs backend name: 'tensorflow' for native, 'cpu' for pure JS. */
  readonly backend: string;
  readonly backendKind: string;
  readonly tensorflowVersion: string | null;
  readonly threads: ReturnType<typeof threadSettings>;
  readonly cores: number;
}

export function runRuntime(): RunRuntime {
  const { info } = loadBackend();
  return {
    backend: info.name,
    backendKind: info.kind,
    tensorflowVersion: info.tensorflowVersion,
    threads: threadSettings(),
    cores: availableParallelism(),
  };
}
