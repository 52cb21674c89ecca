/**
 * rliable's probability of improvement P(X > Y): per game, the Mann–Whitney U statistic of X's runs
 * against Y's runs divided by the number of pairs (ties count one half), then averaged over games.
 */
import { checkScoreMatrix, gameColumn, type ScoreMatrix } from './score-matrix';

/** P(x > y) + ½·P(x = y) over all pairs of one x and one y (U / (n·m)). */
export function pairwiseImprovement(x: readonly number[], y: readonly number[]): number {
  if (x.length === 0 || y.length === 0)
    throw new RangeError(`need runs on both sides, got ${x.length} and ${y.length}`);
  let wins = 0;
  for (const a of x) {
    for (const b of y) wins += a > b ? 1 : a === b ? 0.5 : 0;
  }
  return wins / (x.length * y.length);
}

/** Average over games of P(X > Y) on that game; `x` and `y` are [run][game], run counts may differ. */
export function probabilityOfImprovement(x: ScoreMatrix, y: ScoreMatrix): number {
  checkScoreMatrix('probabilityOfImprovement x', x);
  checkScoreMatrix('probabilityOfImprovement y', y);
  const games = x[0].length;
  if (y[0].length !== games) throw new RangeError(`x has ${games} games but y has ${y[0].length}`);
  let total = 0;
  for (let g = 0; g < games; g++) total += pairwiseImprovement(gameColumn(x, g), gameColumn(y, g));
  return total / games;
}
