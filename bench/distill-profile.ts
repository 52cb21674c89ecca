/**
 * Where a MinAtar distillation run's time goes, on the five games with untrained stand-in teachers (the
 * cost does not depend on the weights): seconds per 1,000 updates in acting, environment steps, updates
 * and evaluation for each architecture, from the loop's own timers, plus TensorFlow kernel calls per update
 * on the eager route (a graph-route update is one session call). `DISTILL_LAB_GRAPHS=0` times the eager route.
 *   npx tsx bench/distill-profile.ts [--updates 600] [--architectures proposed,dist,amn]
 */
import { parseArgs } from 'node:util';
import { distillConfig } from '../src/experiments/reproduce/presets';
import type { StudentArchitecture } from '../src/nn/students';
import { backendInfo, tf } from '../src/nn/tf';
import { standInDistiller, standInTeachers } from './stand-in-distiller';

const { values } = parseArgs({
  options: {
    updates: { type: 'string', default: '600' },
    architectures: { type: 'string', default: 'proposed,dist,amn' },
  },
});
const updates = Number(values.updates);
const teachers = standInTeachers();

async function main(): Promise<void> {
  console.log(
    `backend: ${backendInfo.description}; ${updates} updates per architecture, 5 games, quick-preset settings`,
  );
  for (const architecture of (values.architectures as string).split(',') as StudentArchitecture[]) {
    const config = distillConfig('minatar', 'quick', { architecture, sampler: 'uniform' }, 0, [
      { totalUpdates: updates, evaluation: { every: updates } },
    ]);
    const distiller = standInDistiller(config, teachers);
    const started = performance.now();
    const result = distiller.run();
    const wall = (performance.now() - started) / 1000;
    const steps = result.evaluations.at(-1)?.steps ?? 0;
    const per1k = (s: number) => ((s * 1000) / updates).toFixed(1);
    const t = result.timing;
    // tfjs's profiler sees eager kernels only: a graph-route update is one session call.
    const calls =
      distiller.updater.route === 'graph'
        ? 'one session call per update'
        : `${(await tf.profile(() => distiller.learn())).kernels.length} kernel calls per update`;
    console.log(
      `${architecture.padEnd(9)} ${distiller.updater.route} route: wall ${wall.toFixed(1)} s for ${steps} steps; per 1,000 updates: act ${per1k(t.act)} s, ` +
        `env ${per1k(t.env)} s, update ${per1k(t.update)} s, one evaluation ${t.evaluation.toFixed(1)} s; ${calls}`,
    );
    distiller.dispose();
  }
  for (const t of teachers) tf.dispose([...t.variables]);
}

main();
