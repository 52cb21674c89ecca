/**
 * One distillation run's wall clock under the TensorFlow thread pools of the environment, to compare
 * settings when runs share the cores (what `reproduce --jobs` does): 600 updates of the proposed student with
 * uniform sampling on the five MinAtar games, untrained stand-in teachers, quick-preset settings otherwise.
 *   for i in 1 2; do npx tsx bench/distill-threads.ts & done; wait
 *   (export TF_NUM_INTRAOP_THREADS=1 TF_NUM_INTEROP_THREADS=1; for i in 1 2; do npx tsx bench/distill-threads.ts & done; wait)
 */
import { distillConfig } from '../src/experiments/reproduce/presets';
import { tf } from '../src/nn/tf';
import { standInDistiller, standInTeachers } from './stand-in-distiller';

const teachers = standInTeachers();
const config = distillConfig('minatar', 'quick', { architecture: 'proposed', sampler: 'uniform' }, 0, [
  { totalUpdates: 600, evaluation: { every: 100_000 }, learningStarts: 1_000, epsilon: { decaySteps: 10 } },
]);
const distiller = standInDistiller(config, teachers);
const started = performance.now();
const { timing } = distiller.run();
const wall = (performance.now() - started) / 1000;
const threads = `intra-op ${process.env.TF_NUM_INTRAOP_THREADS ?? 'default'}, inter-op ${process.env.TF_NUM_INTEROP_THREADS ?? 'default'}`;
console.log(
  `${threads}: wall ${wall.toFixed(1)} s; act ${timing.act.toFixed(1)} s, update ${timing.update.toFixed(1)} s`,
);
distiller.dispose();
for (const t of teachers) tf.dispose([...t.variables]);
