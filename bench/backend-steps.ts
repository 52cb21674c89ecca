/**
 * The three training steps the backend benchmark times, built from the library's own layers and losses
 * so the benchmark measures what training runs. bench/backend_reference.py builds the same three in Python.
 */
import { mlp } from '../src/nn/layers';
import { distillationKl, huber, tdError } from '../src/nn/losses';
import { MINATAR_DQN, NATURE_DQN, type QNetworkSpec, qNetwork } from '../src/nn/qnetwork';
import { RmsProp, type RmsPropOptions } from '../src/nn/rmsprop';
import { type Tensor, type Tensor1D, type Tensor2D, type Tensor4D, tf } from '../src/nn/tf';
import { Rng } from '../src/util/rng';

export interface BenchStep {
  readonly name: string;
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

function dqnStep(
  name: string,
  spec: QNetworkSpec,
  inputShape: [number, number, number],
  numActions: number,
  batch: number,
  rmsprop: RmsPropOptions,
): BenchStep {
  const rng = new Rng(1);
  const online = qNetwork('online', spec, inputShape, numActions, rng);
  const target = qNetwork('target', spec, inputShape, numActions, rng);
  const states = randomTensor(rng, [batch, ...inputShape]) as Tensor4D;
  const nextStates = randomTensor(rng, [batch, ...inputShape]) as Tensor4D;
  const actions = tf.tensor1d(
    Array.from({ length: batch }, () => rng.int(numActions)),
    'int32',
  );
  const rewards = randomTensor(rng, [batch]) as Tensor1D;
  const discounts = tf.fill([batch], 0.99) as Tensor1D;
  const [h, w, c] = inputShape;
  const optimizer = new RmsProp(online.variables, rmsprop);
  return {
    name,
    description: `[${batch},${h},${w},${c}] → ${online.variables.length / 2} layers → ${numActions}, DQN Huber loss, RMSProp`,
    run: () =>
      tf.tidy(() => {
        const qNextTarget = target.apply(nextStates);
        optimizer
          .minimize(() => huber(tdError({ q: online.apply(states), actions, rewards, discounts, qNextTarget })).mean())
          .dispose();
      }),
    dispose: () => {
      optimizer.dispose();
      tf.dispose([...online.variables, ...target.variables, states, nextStates, actions, rewards, discounts]);
    },
  };
}

function studentHeadStep(rmsprop: RmsPropOptions): BenchStep {
  const rng = new Rng(2);
  const head = mlp('student', 3136, [1028, 512, 18], rng);
  const features = randomTensor(rng, [320, 3136]) as Tensor2D;
  const teacherQ = randomTensor(rng, [320, 18], 10) as Tensor2D;
  const optimizer = new RmsProp(head.variables, rmsprop);
  return {
    name: 'student-head',
    description: '[320,3136] → 1028 → 512 → 18, softmax-KL loss (τ = 0.01), RMSProp',
    run: () =>
      tf.tidy(() => {
        optimizer.minimize(() => distillationKl(teacherQ, head.apply(features), 0.01).mean()).dispose();
      }),
    dispose: () => {
      optimizer.dispose();
      tf.dispose([...head.variables, features, teacherQ]);
    },
  };
}

const RMSPROP = { decay: 0.95, epsilon: 0.01, centered: false };

/** The three steps of issue 3's benchmark, in order. */
export function benchSteps(): BenchStep[] {
  return [
    dqnStep('nature-dqn', NATURE_DQN, [84, 84, 4], 18, 32, { ...RMSPROP, learningRate: 2.5e-4 }),
    studentHeadStep({ ...RMSPROP, learningRate: 1e-4 }),
    dqnStep('minatar-dqn', MINATAR_DQN, [10, 10, 4], 6, 32, { ...RMSPROP, learningRate: 2.5e-4, centered: true }),
  ];
}
