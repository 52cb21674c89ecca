/** A generator that records each draw as (kind, n, value) for the Python side to replay (see driver.py). */
import { Rng } from '../../../util/rng';

export class RecordingRng extends Rng {
  /** Flat triples: kind 0 = uniform float (n 0), kind 1 = integer in [0, n). */
  readonly draws: number[] = [];

  override random(): number {
    const value = super.random();
    this.draws.push(0, 0, value);
    return value;
  }

  override int(n: number): number {
    const value = super.int(n);
    this.draws.push(1, n, value);
    return value;
  }
}
