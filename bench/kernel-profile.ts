/** tfjs's profiler over repeated calls: calls and kernel milliseconds per call, by kernel name, largest first. */
import { tf } from '../src/nn/tf';

export interface KernelShare {
  readonly name: string;
  readonly calls: number;
  readonly ms: number;
}

export async function kernelProfile(fn: () => void, repeats: number): Promise<KernelShare[]> {
  const kernels = new Map<string, { calls: number; ms: number }>();
  for (let r = 0; r < repeats; r++) {
    const info = await tf.profile(fn);
    for (const k of info.kernels) {
      const entry = kernels.get(k.name) ?? { calls: 0, ms: 0 };
      entry.calls++;
      entry.ms += k.kernelTimeMs as number;
      kernels.set(k.name, entry);
    }
  }
  return [...kernels]
    .map(([name, e]) => ({ name, calls: e.calls / repeats, ms: e.ms / repeats }))
    .sort((a, b) => b.ms - a.ms);
}

/** Prints one line per kernel name with its share of the profiled kernel time. */
export function printKernelProfile(rows: readonly KernelShare[]): void {
  const total = rows.reduce((n, r) => n + r.ms, 0);
  console.log(
    `kernel calls per call: ${rows.reduce((n, r) => n + r.calls, 0)}, kernel ms per call: ${total.toFixed(2)}`,
  );
  for (const r of rows) {
    const share = ((100 * r.ms) / total).toFixed(1);
    console.log(
      `${r.name.padEnd(24)} ${String(r.calls).padStart(4)} calls  ${r.ms.toFixed(3)} ms  ${share.padStart(5)} %`,
    );
  }
}
