/**
 * Where one DQN teacher update goes on the MinAtar network (batch 32, 10×10×4 input, 3 actions): tfjs's
 * profiler over 20 updates of the eager route after 30 warm-up ones, per kernel name, calls and milliseconds
 * per update; then wall-clock ms of replay sampling, a greedy action, and an update by each route (eager
 * kernels, one graph call), medians of 5 rounds of 200 alternating route by route.
 *   npx tsx bench/dqn-update-profile.ts
 */
import type { EnvSpec } from '../src/env/types';
import { teacherConfig } from '../src/experiments/teach/teacher-config';
import type { UpdateRoute } from '../src/nn/exported-graph';
import { agentOptions, DqnAgent } from '../src/train/dqn-agent';
import { DqnReplay } from '../src/train/dqn-replay';
import { Rng } from '../src/util/rng';
import { median } from '../src/util/timing';
import { kernelProfile, printKernelProfile } from './kernel-profile';

const UPDATES = 20;
const ROUNDS = 5;

/** MinAtar's published baseline (the teachers' defaults) on Breakout's 10×10×4 input and 3 legal actions. */
const BASELINE = teacherConfig('minatar', 'breakout', 'paper', 0);
if (BASELINE.algorithm !== 'dqn') throw new Error('the paper preset of MinAtar is expected to train DQN');
/** A MinAtar-like game: the replay needs the whole spec, the agent only its shape and legal actions. */
const SPEC: EnvSpec = {
  id: 'minatar/breakout',
  suite: 'minatar',
  game: 'breakout',
  observationShape: [10, 10, 4],
  numActions: 6,
  legalActions: [0, 1, 3],
  actionNames: ['noop', 'left', 'up', 'right', 'down', 'fire'],
};
const OPTIONS = agentOptions(BASELINE.dqn, SPEC);

async function main(): Promise<void> {
  const rng = new Rng(1);
  const agent = new DqnAgent(OPTIONS, rng, 'eager');
  const graphAgent = new DqnAgent(OPTIONS, new Rng(1), 'graph');
  const replay = new DqnReplay(10_000, SPEC, 32, 2);
  const observation = new Uint8Array(400);
  for (let i = 0; i < 1_000; i++) {
    for (let j = 0; j < 400; j++) observation[j] = rng.random() < 0.1 ? 1 : 0;
    replay.add(observation, i % 3, 0, false, false, observation);
  }
  const batch = replay.allocateBatch();
  for (let i = 0; i < 30; i++) {
    replay.sample(batch, 0.99);
    agent.update(batch);
  }
  printKernelProfile(
    await kernelProfile(() => {
      replay.sample(batch, 0.99);
      agent.update(batch);
    }, UPDATES),
  );
  const time = (fn: () => void, n = 200): number => {
    const start = performance.now();
    for (let i = 0; i < n; i++) fn();
    return (performance.now() - start) / n;
  };
  const sample = time(() => replay.sample(batch, 0.99));
  const act = time(() => agent.greedyAction(new Float32Array(400)));
  const agents: Record<UpdateRoute, DqnAgent> = { eager: agent, graph: graphAgent };
  for (let i = 0; i < 30; i++) graphAgent.update(batch);
  const rounds: Record<UpdateRoute, number[]> = { eager: [], graph: [] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const route of ['eager', 'graph'] as const) rounds[route].push(time(() => agents[route].update(batch)));
  }
  const eager = median(rounds.eager);
  const graph = median(rounds.graph);
  console.log(`wall ms: replay sample ${sample.toFixed(3)}, greedy action ${act.toFixed(3)}`);
  console.log(
    `update: eager ${eager.toFixed(3)} ms, graph ${graph.toFixed(3)} ms (eager / graph ${(eager / graph).toFixed(2)}×)`,
  );
  agent.dispose();
  graphAgent.dispose();
}

main();
