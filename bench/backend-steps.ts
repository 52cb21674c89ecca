/**
 * The three training steps the backend benchmark times, built from the library's own layers and losses
 * so the benchmark measures what training runs. bench/backend_reference.py builds the same three in Python.
 */

import { ExportedGraph, numberedInputs, numberedOutputs, type UpdateRoute } from '../src/nn/exported-graph';
import { mlp } from '../src/nn/layers';
import { distillationKl } from '../src/nn/losses';
import { MINATAR_DQN, NATURE_DQN, type QNetworkSpec } from '../src/nn/qnetwork';
import { RmsProp, type RmsPropOptions } from '../src/nn/rmsprop';
import { type Tensor, type Tensor2D, tf } from '../src/nn/tf';
import { DqnAgent, type TransitionBatch } from '../src/train/dqn-agent';
import { Rng } from '../src/util/rng';

export interface BenchStep {
  readonly name: string;
  /** The step of bench/backend_reference.py this one is compared with. */
  readonly reference: string;
  readonly description: string;
  /** One training step (the native backend runs kernels synchronously: it has finished on return). */
  run(): void;
  dispose(): void;
}

function randomTensor(rng: Rng, shape: number[], scale = 1): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(size);
  for (let i = 0; i < size; i++) v[i] = rng.random() * scale;
  return tf.tensor(v, shape);
}

/** The teachers' update as training runs it (DqnAgent.update, the batch uploaded from the host each step). */
function dqnStep(
  name: string,
  network: QNetworkSpec,
  inputShape: [number, number, number],
  numActions: number,
  batchSize: number,
  optimizer: RmsPropOptions,
  route: UpdateRoute,
): BenchStep {
  const rng = new Rng(1);
  const agent = new DqnAgent(
    { network, inputShape, numActions, gamma: 0.99, loss: 'huber', doubleDqn: false, optimizer },
    rng,
    route,
  );
  const size = batchSize * inputShape.reduce((a, b) => a * b, 1);
  const batch: TransitionBatch = {
    observations: new Float32Array(size).map(() => rng.random()),
    nextObservations: new Float32Array(size).map(() => rng.random()),
    actions: new Int32Array(batchSize).map(() => rng.int(numActions)),
    rewards: new Float32Array(batchSize).map(() => rng.random()),
    discounts: new Float32Array(batchSize).fill(0.99),
  };
  const [h, w, c] = inputShape;
  return {
    name: `${name} (${route})`,
    reference: name,
    description: `[${batchSize},${h},${w},${c}] → ${agent.online.variables.length / 2} layers → ${numActions}, DQN Huber loss, RMSProp, ${route} route`,
    run: () => {
      agent.update(batch);
    },
    dispose: () => agent.dispose(),
  };
}

/**
 * The proposed student's shared head on 10 games × 32 rows of features, as the distillation update runs it:
 * the graph route is the exporter's `student-head-d3` (the same KL, gradient and RMSProp as the students'
 * update graphs, without the torsos); the eager route the taped softmax-KL of losses.ts.
 */
function studentHeadStep(rmsprop: RmsPropOptions, route: UpdateRoute): BenchStep {
  const rng = new Rng(2);
  const head = mlp('student', 3136, [1028, 512, 18], rng);
  const features = randomTensor(rng, [320, 3136]) as Tensor2D;
  const teacherQ = randomTensor(rng, [320, 18], 10) as Tensor2D;
  const optimizer = new RmsProp(head.variables, rmsprop);
  const tau = 0.01;
  const constants: Record<string, Tensor> = {
    features,
    teacher_q: teacherQ,
    legal: tf.ones([320, 18]),
    row_weights: tf.fill([320], 1 / 320),
    tau: tf.scalar(tau),
  };
  const graph = route === 'graph' ? ExportedGraph.load('student-head-d3', 'update') : null;
  const graphStep = (session: ExportedGraph) => {
    const params = numberedInputs('param', head.variables);
    const outputs = session.run({ ...constants, ...params, ...optimizer.graphInputs() });
    optimizer.adoptStep(
      numberedOutputs(outputs, 'param', head.variables.length),
      outputs.mean_square,
      outputs.mean_gradient,
    );
    outputs.loss.dataSync();
    tf.dispose(Object.values(outputs));
  };
  return {
    name: `student-head (${route})`,
    reference: 'student-head',
    description: `[320,3136] → 1028 → 512 → 18, softmax-KL loss (τ = ${tau}), RMSProp, ${route} route`,
    run: () => {
      if (graph) graphStep(graph);
      else
        tf.tidy(() => {
          optimizer.minimize(() => distillationKl(teacherQ, head.apply(features), tau).mean()).dispose();
        });
    },
    dispose: () => {
      optimizer.dispose();
      tf.dispose([...head.variables, ...Object.values(constants)]);
    },
  };
}

const RMSPROP = { decay: 0.95, epsilon: 0.01, centered: false };

const ROUTES: readonly UpdateRoute[] = ['graph', 'eager'];

/** The three steps of the backend benchmark, each by both update routes; built one at a time. */
export function benchSteps(): (() => BenchStep)[] {
  const nature = { ...RMSPROP, learningRate: 2.5e-4 };
  const minatar = { ...RMSPROP, learningRate: 2.5e-4, centered: true };
  return [
    ...ROUTES.map((route) => () => dqnStep('nature-dqn', NATURE_DQN, [84, 84, 4], 18, 32, nature, route)),
    ...ROUTES.map((route) => () => studentHeadStep({ ...RMSPROP, learningRate: 1e-4 }, route)),
    ...ROUTES.map((route) => () => dqnStep('minatar-dqn', MINATAR_DQN, [10, 10, 4], 6, 32, minatar, route)),
  ];
}
