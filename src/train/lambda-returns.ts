/**
 * Q(λ) targets of a rollout (Watkins-free, Peng-style as in PQN, Gallici et al. 2024, eq. 7), computed backwards
 * over T steps of N environments stored time-major (row t·N + i is environment i at step t):
 *   G_{T−1} = r + γ (1 − d) max_a Q(s_T, a)
 *   G_t     = r + γ (1 − d) [ (1 − λ) max_a Q(s_{t+1}, a) + λ G_{t+1} ]
 * A terminal step (d = 1) ends the sum: its target is its reward.
 */
export interface LambdaReturnInput {
  readonly rewards: Float32Array;
  /** 1 where the step ended its episode. */
  readonly dones: Uint8Array;
  /** max_a Q(s_{t+1}, a) for every row: the next observation's greedy value under the acting network. */
  readonly nextMaxQ: Float32Array;
  readonly numEnvs: number;
  readonly gamma: number;
  readonly lambda: number;
}

export function lambdaReturns(input: LambdaReturnInput, out = new Float32Array(input.rewards.length)): Float32Array {
  const { rewards, dones, nextMaxQ, numEnvs, gamma, lambda } = input;
  const rows = rewards.length;
  if (dones.length !== rows || nextMaxQ.length !== rows || out.length !== rows) {
    throw new RangeError(
      `λ-returns need equal lengths: rewards ${rows}, dones ${dones.length}, nextMaxQ ${nextMaxQ.length}, out ${out.length}`,
    );
  }
  if (!Number.isInteger(numEnvs) || numEnvs < 1 || rows % numEnvs !== 0) {
    throw new RangeError(`λ-returns: ${rows} rows are not a whole number of steps of ${numEnvs} environments`);
  }
  const steps = rows / numEnvs;
  for (let i = 0; i < numEnvs; i++) {
    const last = (steps - 1) * numEnvs + i;
    out[last] = rewards[last] + (dones[last] ? 0 : gamma * nextMaxQ[last]);
    for (let t = steps - 2; t >= 0; t--) {
      const row = t * numEnvs + i;
      const blended = (1 - lambda) * nextMaxQ[row] + lambda * out[row + numEnvs];
      out[row] = rewards[row] + (dones[row] ? 0 : gamma * blended);
    }
  }
  return out;
}
