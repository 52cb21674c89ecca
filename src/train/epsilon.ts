/** The ε-greedy exploration schedule: linear from `start` to `end` over `decaySteps`, then constant. */
export interface EpsilonSchedule {
  readonly start: number;
  readonly end: number;
  /** Steps over which ε falls from `start` to `end`, counted from the first training step. */
  readonly decaySteps: number;
}

export function epsilonAt(schedule: EpsilonSchedule, step: number): number {
  const { start, end, decaySteps } = schedule;
  if (step >= decaySteps) return end;
  return start + (end - start) * (step / decaySteps);
}
