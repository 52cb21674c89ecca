/**
 * The DQN learner: an online and a target Q-network, RMSProp, and one Q-learning update on a replay batch
 * (plain or Double DQN targets, Huber or squared loss). The network's outputs are the game's legal actions
 * in `EnvSpec.legalActions` order, as in MinAtar's reference agent.
 */
import {
  ExportedGraph,
  graphUpdatesEnabled,
  numberedInputs,
  numberedOutputs,
  type UpdateRoute,
} from '../nn/exported-graph';
import { dqnGraphName } from '../nn/graph-names';
import { huber, tdError } from '../nn/losses';
import { type QNetwork, type QNetworkSpec, qNetwork } from '../nn/qnetwork';
import { RmsProp, type RmsPropOptions } from '../nn/rmsprop';
import { type Scalar, type Tensor, type Tensor1D, type Tensor2D, tf } from '../nn/tf';
import type { Rng } from '../util/rng';
import type { DqnConfig, LossKind } from './dqn-config';

/**
 * What one Q-learning step consumes: transitions (s, a, r, discount, s') as the network's float inputs. The trainer
 * fills it from the replay layer's `ReplayBatch` (src/replay: uint8 observations, no s'); see `DqnReplay` in
 * dqn-trainer.ts.
 */
export interface TransitionBatch {
  /** [batch, ...observation] as float32, already multiplied by the run's input scale. */
  readonly observations: Float32Array;
  readonly nextObservations: Float32Array;
  /** Indices into the game's legal actions (the network's outputs). */
  readonly actions: Int32Array;
  readonly rewards: Float32Array;
  /** γ for a transition that did not end its episode, 0 for a terminal one. */
  readonly discounts: Float32Array;
}

/** `graph` where the network has an exported graph and the backend can run it, `eager` otherwise. */
export function defaultUpdateRoute(network: QNetworkSpec): UpdateRoute {
  return graphUpdatesEnabled() && dqnGraphName(network) !== null ? 'graph' : 'eager';
}

export interface DqnAgentOptions {
  readonly network: QNetworkSpec;
  readonly inputShape: readonly [number, number, number];
  readonly numActions: number;
  readonly gamma: number;
  readonly loss: LossKind;
  readonly doubleDqn: boolean;
  readonly optimizer: RmsPropOptions;
}

/** The learner of a DQN run on a game: its network, loss and optimizer from the run's configuration. */
export function agentOptions(
  config: DqnConfig,
  spec: { readonly observationShape: readonly [number, number, number]; readonly legalActions: readonly number[] },
): DqnAgentOptions {
  return {
    network: config.network,
    inputShape: spec.observationShape,
    numActions: spec.legalActions.length,
    gamma: config.gamma,
    loss: config.loss,
    doubleDqn: config.doubleDqn,
    optimizer: config.optimizer,
  };
}

/**
 * Mean Huber (or half squared) TD loss as a function of the online Q-values, with its gradient written out:
 * ∂L/∂q = −clip(δ, −1, 1)/B on the taken action (−δ/B for the squared loss). Hand-derived because the taped
 * version differentiates about twenty small ops one by one, which cost more than the network's own backward pass.
 */
function qLearningLoss(kind: LossKind, tdOf: (q: Tensor2D) => Tensor1D, taken: Tensor2D): (q: Tensor2D) => Scalar {
  return tf.customGrad((q, save) => {
    const td = tdOf(q as Tensor2D);
    const perRow = kind === 'huber' ? huber(td) : tf.mul(0.5, tf.square(td));
    const slope = kind === 'huber' ? tf.clipByValue(td, -1, 1) : td;
    const gradient = tf.mul(taken, tf.reshape(tf.div(slope, -td.shape[0]), [-1, 1]));
    (save as (tensors: Tensor[]) => void)([gradient]);
    return {
      value: tf.mean(perRow) as Scalar,
      gradFunc: (dy, saved) => [tf.mul(dy, saved[0])],
    };
  }) as (q: Tensor2D) => Scalar;
}

export class DqnAgent {
  readonly online: QNetwork;
  readonly target: QNetwork;
  /** RMSProp over the online network's variables. */
  readonly optimizer: RmsProp;
  private readonly observationShape: number[];
  private readonly graph: { session: ExportedGraph; flags: Record<string, Scalar> } | null;

  constructor(
    readonly options: DqnAgentOptions,
    rng: Rng,
    readonly route: UpdateRoute = defaultUpdateRoute(options.network),
  ) {
    this.online = qNetwork('online', options.network, options.inputShape, options.numActions, rng);
    this.target = qNetwork('target', options.network, options.inputShape, options.numActions, rng);
    this.syncTarget();
    this.optimizer = new RmsProp(this.online.variables, options.optimizer);
    this.observationShape = [...options.inputShape];
    this.graph = route === 'graph' ? this.loadGraph() : null;
  }

  private loadGraph(): { session: ExportedGraph; flags: Record<string, Scalar> } {
    const name = dqnGraphName(this.options.network);
    if (name === null) {
      throw new RangeError(
        `no update graph for a network with convolutions ${JSON.stringify(this.options.network.convs)} and ` +
          `hidden layers [${this.options.network.hidden.join(', ')}]; use the eager route`,
      );
    }
    return {
      session: ExportedGraph.load(name, 'update'),
      flags: {
        huber: tf.scalar(this.options.loss === 'huber' ? 1 : 0),
        double_dqn: tf.scalar(this.options.doubleDqn ? 1 : 0),
      },
    };
  }

  /** Q-values of one observation (already scaled to float), one per legal action. */
  qValues(observation: Float32Array): Float32Array {
    return tf.tidy(
      () =>
        this.online
          .apply(tf.tensor4d(observation, [1, ...this.observationShape] as [number, number, number, number]))
          .dataSync() as Float32Array,
    );
  }

  /** Index of the largest Q-value of one observation (the first on ties). */
  greedyAction(observation: Float32Array): number {
    const q = this.qValues(observation);
    let best = 0;
    for (let a = 1; a < q.length; a++) if (q[a] > q[best]) best = a;
    return best;
  }

  /** One Q-learning step on `batch`; returns the mean loss. */
  update(batch: TransitionBatch): number {
    return this.graph ? this.graphUpdate(batch, this.graph) : this.eagerUpdate(batch);
  }

  private batchShape(batch: TransitionBatch): [number, number, number, number] {
    return [batch.actions.length, ...this.observationShape] as [number, number, number, number];
  }

  private graphUpdate(batch: TransitionBatch, graph: NonNullable<DqnAgent['graph']>): number {
    const shape = this.batchShape(batch);
    const inputs: Record<string, Tensor> = {
      observations: tf.tensor4d(batch.observations, shape),
      next_observations: tf.tensor4d(batch.nextObservations, shape),
      actions: tf.tensor1d(batch.actions, 'int32'),
      rewards: tf.tensor1d(batch.rewards),
      discounts: tf.tensor1d(batch.discounts),
    };
    const outputs = graph.session.run({
      ...inputs,
      ...numberedInputs('online', this.online.variables),
      ...numberedInputs('target', this.target.variables),
      ...graph.flags,
      ...this.optimizer.graphInputs(),
    });
    const values = numberedOutputs(outputs, 'online', this.online.variables.length);
    this.optimizer.adoptStep(values, outputs.mean_square, outputs.mean_gradient);
    const loss = outputs.loss.dataSync()[0];
    tf.dispose([...Object.values(inputs), ...Object.values(outputs)]);
    return loss;
  }

  private eagerUpdate(batch: TransitionBatch): number {
    const shape = this.batchShape(batch);
    const loss = tf.tidy(() => {
      const states = tf.tensor4d(batch.observations, shape);
      const nextStates = tf.tensor4d(batch.nextObservations, shape);
      const actions = tf.tensor1d(batch.actions, 'int32');
      const rewards = tf.tensor1d(batch.rewards);
      const discounts = tf.tensor1d(batch.discounts);
      // Computed outside the differentiated function: the bootstrap target is a constant.
      const qNextTarget = this.target.apply(nextStates);
      const qNextOnline = this.options.doubleDqn ? this.online.apply(nextStates) : undefined;
      const lossOfQ = qLearningLoss(
        this.options.loss,
        (q) => tdError({ q, actions, rewards, discounts, qNextTarget, qNextOnline }),
        tf.oneHot(actions, this.options.numActions) as Tensor2D,
      );
      return this.optimizer.minimize(() => lossOfQ(this.online.apply(states)));
    });
    const value = loss.dataSync()[0];
    loss.dispose();
    return value;
  }

  syncTarget(): void {
    tf.tidy(() => {
      this.target.variables.forEach((v, i) => {
        v.assign(this.online.variables[i]);
      });
    });
  }

  dispose(): void {
    tf.dispose([...this.online.variables, ...this.target.variables, ...Object.values(this.graph?.flags ?? {})]);
    this.optimizer.dispose();
  }
}
