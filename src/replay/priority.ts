/**
 * The per-experience quantities of the paper, as pure functions over plain arrays:
 * the teacher's state value (eq. 1) and the distillation priority (eq. 5).
 */

/** V_T = max_a q_T(a) over the game's legal actions (eq. 1); `offset` selects one row of a batch. */
export function stateValue(teacherQ: ArrayLike<number>, legalActions: readonly number[], offset = 0): number {
  let best = Number.NEGATIVE_INFINITY;
  for (const a of legalActions) {
    const q = teacherQ[offset + a];
    if (q > best) best = q;
  }
  return best;
}

/**
 * |δ| of eq. 5: ‖softmax(q_T/τ) − softmax(q_S)‖₁ / |A_T|, both softmaxes taken over the game's legal
 * actions only (the student's other outputs are discarded for this game). Rows start at `offset`.
 */
export function distillationPriority(
  teacherQ: ArrayLike<number>,
  studentQ: ArrayLike<number>,
  legalActions: readonly number[],
  tau: number,
  offset = 0,
): number {
  if (!(tau > 0)) throw new RangeError(`temperature tau must be > 0, got ${tau}`);
  // Subtracting each row's maximum keeps exp() finite; it cancels in the normalisation.
  const teacherMax = stateValue(teacherQ, legalActions, offset) / tau;
  const studentMax = stateValue(studentQ, legalActions, offset);
  let teacherSum = 0;
  let studentSum = 0;
  for (const a of legalActions) {
    teacherSum += Math.exp(teacherQ[offset + a] / tau - teacherMax);
    studentSum += Math.exp(studentQ[offset + a] - studentMax);
  }
  let distance = 0;
  for (const a of legalActions) {
    const pt = Math.exp(teacherQ[offset + a] / tau - teacherMax) / teacherSum;
    const ps = Math.exp(studentQ[offset + a] - studentMax) / studentSum;
    distance += Math.abs(pt - ps);
  }
  return distance / legalActions.length;
}

/** eq. 5 for a batch of rows of `numActions` values each, written into `out` (one priority per row). */
export function distillationPriorities(
  teacherQ: ArrayLike<number>,
  studentQ: ArrayLike<number>,
  numActions: number,
  legalActions: readonly number[],
  tau: number,
  out: Float32Array | Float64Array,
): void {
  const rows = out.length;
  if (teacherQ.length !== rows * numActions || studentQ.length !== rows * numActions) {
    throw new RangeError(
      `expected ${rows} rows of ${numActions} Q-values, got teacher ${teacherQ.length} and student ${studentQ.length} values`,
    );
  }
  for (let i = 0; i < rows; i++) {
    out[i] = distillationPriority(teacherQ, studentQ, legalActions, tau, i * numActions);
  }
}
