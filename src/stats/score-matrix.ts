/**
 * Scores of repeated runs on several games, laid out as rliable does: `scores[run][game]`.
 * Every statistic here checks its input with `checkScoreMatrix` first, so a ragged or non-finite
 * table is an error naming the bad cell rather than a silently wrong aggregate.
 */
export type ScoreMatrix = readonly (readonly number[])[];

/** Throws unless `scores` has ≥ 1 run, every run the same ≥ 1 games, and only finite numbers. */
export function checkScoreMatrix(name: string, scores: ScoreMatrix): void {
  if (scores.length === 0) throw new RangeError(`${name}: expected at least one run of scores`);
  const games = scores[0].length;
  if (games === 0) throw new RangeError(`${name}: expected at least one game per run, run 0 has none`);
  scores.forEach((run, r) => {
    if (run.length !== games) throw new RangeError(`${name}: run ${r} has ${run.length} games, run 0 has ${games}`);
    run.forEach((value, g) => {
      if (!Number.isFinite(value))
        throw new RangeError(`${name}: score of run ${r}, game ${g} is ${value}, expected a finite number`);
    });
  });
}

/** The scores of one game across runs (a column of the matrix). */
export function gameColumn(scores: ScoreMatrix, game: number): number[] {
  return scores.map((run) => run[game]);
}
