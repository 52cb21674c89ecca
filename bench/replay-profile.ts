/**
 * Where a replay op's time goes: fills one sampler's buffer, runs warm-up ops, then profiles ops with
 * V8's sampling profiler (node:inspector) and prints microseconds per op and each function's share of
 * the profiled self time (inlined functions count towards their caller).
 * Run: npx tsx bench/replay-profile.ts [--sampler ranked|proportional|hierarchical|uniform] [--size 1000000] [--ops 10000]
 */
import { Session } from 'node:inspector/promises';
import type { SamplerConfig } from '../src/replay/sampler';
import { filled, MINATAR, operation } from './replay-workload';

const beta = { start: 0.4, end: 1, steps: 1_000_000 };
const CONFIGS: Record<string, SamplerConfig> = {
  uniform: { kind: 'uniform' },
  ranked: { kind: 'ranked', alpha: 0.7, beta },
  proportional: { kind: 'proportional', alpha: 0.7, beta },
  hierarchical: { kind: 'hierarchical', partitions: 5, valueRange: [0, 1], alpha: 0.7, beta },
};

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function option(argv: string[], name: string, fallback: string): string {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const name = option(argv, '--sampler', 'ranked');
  const config = CONFIGS[name];
  if (!config) throw new RangeError(`unknown sampler '${name}': expected one of ${Object.keys(CONFIGS).join(', ')}`);
  const size = Number(option(argv, '--size', '1000000'));
  const ops = Number(option(argv, '--ops', '10000'));
  const { buffer } = filled(MINATAR, config, size);
  const op = operation(buffer);
  for (let i = 0; i < ops / 2; i++) op();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  const start = performance.now();
  for (let i = 0; i < ops; i++) op();
  const microseconds = ((performance.now() - start) * 1000) / ops;
  const { profile } = (await session.post('Profiler.stop')) as { profile: Profile };
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)?.callFrame;
    const key = `${frame?.functionName || '(anonymous)'} ${frame?.url.split('/').pop() ?? ''}`;
    self.set(key, (self.get(key) ?? 0) + profile.timeDeltas[i]);
    total += profile.timeDeltas[i];
  });
  console.log(
    `${name}, MinAtar memory of ${size.toLocaleString('en-US')}: ${microseconds.toFixed(1)} µs per op (profiled)`,
  );
  for (const [key, time] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 12)) {
    console.log(`${((100 * time) / total).toFixed(1).padStart(6)} %  ${key}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
