/**
 * Main-memory latency as the replay structures see it: a chain of dependent loads (each address read
 * from the previous line) through a random cyclic permutation of 64-byte lines, for working sets from
 * L2-sized to larger than the samplers' arrays; nanoseconds per load, median of 5 rounds.
 * Run: npx tsx bench/memory-latency.ts
 */
import { Rng } from '../src/util/rng';
import { median } from '../src/util/timing';

const LOADS = 2_000_000;
const WORDS_PER_LINE = 16;

function nanosecondsPerLoad(megabytes: number, rng: Rng): number {
  const next = new Int32Array((megabytes * 2 ** 20) / 4);
  const lines = next.length / WORDS_PER_LINE;
  const order = Int32Array.from({ length: lines }, (_, i) => i);
  for (let i = lines - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  for (let i = 0; i < lines; i++) next[order[i] * WORDS_PER_LINE] = order[(i + 1) % lines] * WORDS_PER_LINE;
  const rounds = Array.from({ length: 5 }, () => {
    let at = 0;
    const start = process.hrtime.bigint();
    for (let s = 0; s < LOADS; s++) at = next[at];
    const ns = Number(process.hrtime.bigint() - start) / LOADS;
    return at >= 0 ? ns : Number.NaN;
  });
  return median(rounds);
}

const rng = new Rng(1);
for (const megabytes of [0.25, 1, 4, 16, 64, 256]) {
  console.log(
    `${String(megabytes).padStart(6)} MB: ${nanosecondsPerLoad(megabytes, rng).toFixed(1)} ns per dependent load`,
  );
}
