/** Measures the rows of the `backend-speed` table (see backend-speed-table.ts) on the backend in use. */
import { type ColumnTable, from } from 'arquero';
import { backendInfo, tf } from '../../nn/tf';
import { timeCalls } from '../../util/timing';
import type { PresetName } from '../common/preset-env';

/** Matrix sides and repeats per preset: smoke takes well under a second on two cores. */
const BUDGETS: Record<PresetName, { sizes: number[]; repeats: number }> = {
  smoke: { sizes: [64, 256], repeats: 5 },
  quick: { sizes: [64, 256, 1024], repeats: 20 },
  full: { sizes: [64, 256, 1024], repeats: 50 },
  paper: { sizes: [64, 256, 1024], repeats: 50 },
};

/** One row per timed call of `matMul` (values 0.5, so the product's cost does not depend on data). */
export function measureBackendSpeed(preset: PresetName): ColumnTable {
  const { sizes, repeats } = BUDGETS[preset];
  const rows = sizes.flatMap((n) => {
    const a = tf.fill([n, n], 0.5);
    const times = timeCalls(() => tf.tidy(() => tf.matMul(a, a).dataSync()), repeats);
    a.dispose();
    return times.map((ms, repeat) => ({ operation: 'matMul', size: n, backend: backendInfo.kind, repeat, ms }));
  });
  return from(rows);
}
