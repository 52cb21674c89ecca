import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dqnGraphName } from '../nn/graph-names';
import { MINATAR_DQN, NATURE_DQN, type QNetworkSpec } from '../nn/qnetwork';
import type { RmsPropState } from '../nn/rmsprop';
import { Rng } from '../util/rng';
import { networkWeights } from './checkpoint-parts';
import { DqnAgent, type DqnAgentOptions, type TransitionBatch } from './dqn-agent';

function randomBatch(rng: Rng, n: number, shape: readonly number[], numActions: number): TransitionBatch {
  const size = n * shape.reduce((a, b) => a * b, 1);
  const observations = new Float32Array(size).map(() => (rng.random() < 0.3 ? 1 : 0));
  const nextObservations = new Float32Array(size).map(() => (rng.random() < 0.3 ? 1 : 0));
  return {
    observations,
    nextObservations,
    actions: new Int32Array(n).map(() => Math.floor(rng.random() * numActions)),
    rewards: new Float32Array(n).map(() => Math.round(rng.random() * 4 - 2)),
    discounts: new Float32Array(n).map(() => (rng.random() < 0.2 ? 0 : 0.99)),
  };
}

/** What the routes must agree on: the online network's weights and the optimizer's slots. */
interface AgentState {
  readonly online: Record<string, Float32Array>;
  readonly optimizer: RmsPropState;
}

const stateOf = (agent: DqnAgent): AgentState => ({
  online: networkWeights(agent.online),
  optimizer: agent.optimizer.getState(),
});

function maxRelativeDifference(a: AgentState, b: AgentState): number {
  let worst = 0;
  const compare = (x: Float32Array, y: Float32Array) => {
    assert.equal(x.length, y.length);
    for (let i = 0; i < x.length; i++) {
      worst = Math.max(worst, Math.abs(x[i] - y[i]) / Math.max(1e-3, Math.abs(y[i])));
    }
  };
  for (const name of Object.keys(b.online)) compare(a.online[name], b.online[name]);
  compare(a.optimizer.meanSquare, b.optimizer.meanSquare);
  if (b.optimizer.meanGradient) compare(a.optimizer.meanGradient as Float32Array, b.optimizer.meanGradient);
  return worst;
}

/** Runs the same updates on a graph-route and an eager-route agent built from the same seed. */
function compareRoutes(options: DqnAgentOptions, batchSize: number, updates: number): void {
  const graph = new DqnAgent(options, new Rng(3), 'graph');
  const eager = new DqnAgent(options, new Rng(3), 'eager');
  try {
    assert.equal(maxRelativeDifference(stateOf(graph), stateOf(eager)), 0);
    const rng = new Rng(11);
    for (let u = 0; u < updates; u++) {
      const batch = randomBatch(rng, batchSize, options.inputShape, options.numActions);
      const lossGraph = graph.update(batch);
      const lossEager = eager.update(batch);
      assert.ok(Math.abs(lossGraph - lossEager) <= 1e-5 * Math.max(1, Math.abs(lossEager)), `update ${u} loss`);
      if (u === 2) {
        graph.syncTarget();
        eager.syncTarget();
      }
    }
    const graphState = stateOf(graph);
    const eagerState = stateOf(eager);
    assert.equal(graphState.optimizer.steps, updates);
    assert.ok(maxRelativeDifference(graphState, eagerState) < 1e-4);
    // The weights did move: a graph that returned its inputs would pass the comparison above otherwise.
    const initial = new DqnAgent(options, new Rng(3), 'eager');
    assert.ok(maxRelativeDifference(graphState, stateOf(initial)) > 1e-3);
    initial.dispose();
  } finally {
    graph.dispose();
    eager.dispose();
  }
}

const minatar = (overrides: Partial<DqnAgentOptions> = {}): DqnAgentOptions => ({
  network: MINATAR_DQN,
  inputShape: [10, 10, 4],
  numActions: 3,
  gamma: 0.99,
  loss: 'huber',
  doubleDqn: false,
  optimizer: { learningRate: 2.5e-4, decay: 0.95, epsilon: 0.01, centered: true, epsilonOutsideRoot: true },
  ...overrides,
});

test('the graph update equals the eager one: MinAtar net, Huber, centred RMSProp with ε outside the root', () => {
  compareRoutes(minatar(), 32, 6);
});

test('the graph update equals the eager one: Double DQN, squared loss, plain RMSProp with ε inside the root', () => {
  compareRoutes(
    minatar({
      inputShape: [10, 10, 7],
      numActions: 6,
      loss: 'mse',
      doubleDqn: true,
      optimizer: { learningRate: 1e-3, decay: 0.9, epsilon: 1e-4, centered: false, epsilonOutsideRoot: false },
    }),
    16,
    5,
  );
});

test('the graph update equals the eager one: Nature DQN shape', () => {
  const nature = minatar({ network: NATURE_DQN, inputShape: [36, 36, 4], numActions: 18 });
  compareRoutes({ ...nature, optimizer: { ...nature.optimizer, epsilonOutsideRoot: false } }, 8, 4);
});

test('networks without an exported graph use the eager route, and asking for the graph names the shape', () => {
  const custom: QNetworkSpec = { convs: [{ filters: 8, kernel: 5, stride: 2 }], hidden: [32] };
  assert.equal(dqnGraphName(MINATAR_DQN), 'minatar-dqn');
  assert.equal(dqnGraphName(NATURE_DQN), 'nature-dqn');
  assert.equal(dqnGraphName(custom), null);
  assert.equal(dqnGraphName({ convs: MINATAR_DQN.convs, hidden: [64, 64] }), null);
  const agent = new DqnAgent(minatar({ network: custom }), new Rng(0));
  assert.equal(agent.route, 'eager');
  agent.dispose();
  assert.throws(() => new DqnAgent(minatar({ network: custom }), new Rng(0), 'graph'), {
    message:
      'no update graph for a network with convolutions [{"filters":8,"kernel":5,"stride":2}] and hidden layers [32]; use the eager route',
  });
});
