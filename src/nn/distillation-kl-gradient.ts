/**
 * Eq. 4 and its gradient with respect to the student's outputs, on plain arrays. The distillation loop
 * reads q_S back anyway (eq. 5 priorities need it), and a game has at most 18 actions, so the loss and
 * ∂L/∂q_S are cheaper here than as ~30 tensor kernels per game in the taped graph: the loop then
 * backpropagates Σ q_S · ∂L/∂q_S, whose gradient with respect to every weight is the loss's.
 *
 * Eq. 4 has three statements, one per way it runs: this one (the eager route), `distillationKl` of losses.ts
 * (taped tensors, for gradients through a network) and the update graphs of native/tf-graphs/export.py (the
 * graph route). distillation-kl-gradient.test.ts checks the three on the same inputs.
 */

/** Eq. 4's temperature τ divides the teacher's Q-values: it must be positive. */
export function checkTemperature(tau: number): void {
  if (!(tau > 0)) throw new RangeError(`temperature tau must be > 0, got ${tau}`);
}

/**
 * Σ_i scale · w_i · KL( softmax(q_T,i/τ) ‖ softmax(q_S,i) ) over rows i of `numActions` values, both softmaxes
 * over `legalActions` only (eq. 4), and writes its gradient scale · w_i · (softmax(q_S,i) − softmax(q_T,i/τ))
 * into `gradient` (0 at the other actions). One weight per row; `scale` is 1/batch for a mean.
 */
export function weightedDistillationKl(
  teacherQ: ArrayLike<number>,
  studentQ: ArrayLike<number>,
  numActions: number,
  legalActions: readonly number[],
  tau: number,
  weights: ArrayLike<number>,
  scale: number,
  gradient: Float32Array,
): number {
  const rows = weights.length;
  const size = rows * numActions;
  if (teacherQ.length !== size || studentQ.length !== size || gradient.length !== size) {
    throw new RangeError(
      `expected ${rows} rows of ${numActions} values, got teacher ${teacherQ.length}, student ${studentQ.length} and gradient ${gradient.length}`,
    );
  }
  checkTemperature(tau);
  gradient.fill(0);
  let loss = 0;
  for (let i = 0; i < rows; i++) {
    const o = i * numActions;
    // Log-sum-exp of each side, with the row's maximum subtracted so that exp() stays finite.
    let teacherMax = Number.NEGATIVE_INFINITY;
    let studentMax = Number.NEGATIVE_INFINITY;
    for (const a of legalActions) {
      teacherMax = Math.max(teacherMax, teacherQ[o + a] / tau);
      studentMax = Math.max(studentMax, studentQ[o + a]);
    }
    let teacherSum = 0;
    let studentSum = 0;
    for (const a of legalActions) {
      teacherSum += Math.exp(teacherQ[o + a] / tau - teacherMax);
      studentSum += Math.exp(studentQ[o + a] - studentMax);
    }
    const teacherLogZ = teacherMax + Math.log(teacherSum);
    const studentLogZ = studentMax + Math.log(studentSum);
    const w = scale * weights[i];
    let kl = 0;
    for (const a of legalActions) {
      const teacherLog = teacherQ[o + a] / tau - teacherLogZ;
      const studentLog = studentQ[o + a] - studentLogZ;
      const pt = Math.exp(teacherLog);
      kl += pt * (teacherLog - studentLog);
      gradient[o + a] = w * (Math.exp(studentLog) - pt);
    }
    loss += w * kl;
  }
  return loss;
}
