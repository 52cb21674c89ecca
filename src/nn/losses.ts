/**
 * Loss functions as small pure functions over tensors (rlax style: shapes are checked first).
 * Each returns one value per batch row, so callers can apply importance weights before averaging.
 */
import { checkTemperature } from './distillation-kl-gradient';
import { type Tensor1D, type Tensor2D, tf } from './tf';

/** Logit given to actions a game does not have: finite (no NaN in 0·log 0) yet zero after softmax. */
const MASKED_LOGIT = -1e9;

function checkRank2(name: string, t: Tensor2D): void {
  if (t.rank !== 2) throw new RangeError(`${name} must be [batch, actions], got shape [${t.shape.join(', ')}]`);
}

function checkSameShape(names: string[], tensors: { shape: number[] }[]): void {
  const first = tensors[0].shape.join(', ');
  tensors.forEach((t, i) => {
    if (t.shape.join(', ') !== first) {
      throw new RangeError(`${names[i]} has shape [${t.shape.join(', ')}] but ${names[0]} has [${first}]`);
    }
  });
}

/** Replaces the logits of illegal actions (mask 0) by a very negative constant. */
export function maskLogits(logits: Tensor2D, legalMask?: Tensor2D): Tensor2D {
  if (!legalMask) return logits;
  checkSameShape(['logits', 'legalMask'], [logits, legalMask]);
  return tf.where(tf.cast(legalMask, 'bool'), logits, tf.fill(logits.shape, MASKED_LOGIT)) as Tensor2D;
}

/**
 * Eq. 4 of Yin & Pan: KL( softmax(q_T/τ) ‖ softmax(q_S) ) per row, the teacher softened by τ and the
 * student not, over the game's legal actions only. Taped, so that gradients reach a network's weights; the
 * distillation loop's eager route computes the same loss and its gradient on the host (distillation-kl-gradient.ts).
 */
export function distillationKl(teacherQ: Tensor2D, studentQ: Tensor2D, tau: number, legalMask?: Tensor2D): Tensor1D {
  checkRank2('teacherQ', teacherQ);
  checkSameShape(['teacherQ', 'studentQ'], [teacherQ, studentQ]);
  checkTemperature(tau);
  return tf.tidy(() => {
    const teacherLog = tf.logSoftmax(maskLogits(tf.div(teacherQ, tau) as Tensor2D, legalMask));
    const studentLog = tf.logSoftmax(maskLogits(studentQ, legalMask));
    return tf.sum(tf.mul(tf.exp(teacherLog), tf.sub(teacherLog, studentLog)), 1) as Tensor1D;
  });
}

/** Huber loss with threshold 1 (quadratic inside, linear outside), elementwise. */
export function huber(error: Tensor1D): Tensor1D {
  return tf.tidy(() => {
    const abs = tf.abs(error);
    const quadratic = tf.minimum(abs, 1);
    return tf.add(tf.mul(0.5, tf.square(quadratic)), tf.sub(abs, quadratic)) as Tensor1D;
  });
}

export interface QLearningBatch {
  /** Online network's Q(s, ·): [batch, actions]. */
  readonly q: Tensor2D;
  /** Actions taken: [batch] int32. */
  readonly actions: Tensor1D;
  readonly rewards: Tensor1D;
  /** γ for non-terminal transitions, 0 for terminal ones: [batch]. */
  readonly discounts: Tensor1D;
  /** Target network's Q(s', ·): [batch, actions]. */
  readonly qNextTarget: Tensor2D;
  /** Online network's Q(s', ·) for Double DQN's action choice; omitted for plain DQN. */
  readonly qNextOnline?: Tensor2D;
  /** Legal actions of the game in s' (1/0): the max and argmax only range over them. */
  readonly legalMask?: Tensor2D;
}

/**
 * TD error r + γ·Q_target(s', a*) − Q(s, a), a* = argmax of the target (or, Double DQN, the online) net.
 * tfjs has no stop-gradient: compute `qNextTarget` and `qNextOnline` outside the function being
 * differentiated so that the target is a constant.
 */
export function tdError(batch: QLearningBatch): Tensor1D {
  const { q, actions, rewards, discounts, qNextTarget, qNextOnline, legalMask } = batch;
  checkRank2('q', q);
  checkSameShape(['q', 'qNextTarget'], [q, qNextTarget]);
  const n = q.shape[0];
  for (const [name, t] of [
    ['actions', actions],
    ['rewards', rewards],
    ['discounts', discounts],
  ] as const) {
    if (t.shape.length !== 1 || t.shape[0] !== n) {
      throw new RangeError(`${name} must have shape [${n}], got [${t.shape.join(', ')}]`);
    }
  }
  return tf.tidy(() => {
    const numActions = q.shape[1];
    const chosen = tf.sum(tf.mul(q, tf.oneHot(tf.cast(actions, 'int32'), numActions)), 1);
    const selector = maskLogits(qNextOnline ?? qNextTarget, legalMask);
    const best = tf.oneHot(tf.argMax(selector, 1), numActions);
    const nextValue = tf.sum(tf.mul(qNextTarget, best), 1);
    const target = tf.add(rewards, tf.mul(discounts, nextValue));
    return tf.sub(target, chosen) as Tensor1D;
  });
}
