/**
 * The training run of `bench/envs/ale-pgo.sh`: every paper game played with random legal actions by two
 * copies on two threads, so a profile-guided build of the ALE core sees the cartridge types and TIA paths
 * of all ten games, not only the benchmark's Breakout.
 *   npx tsx bench/envs/ale-pgo-workload.ts [steps per game, default 1500]
 */
import { AtariVecEnv } from '../../src/env/atari';
import { PAPER_GAMES } from '../../src/env/atari/games';
import { Rng } from '../../src/util/rng';

async function main(): Promise<void> {
  const steps = Number(process.argv[2] ?? 1500);
  for (const game of PAPER_GAMES) {
    const vec = new AtariVecEnv(game, 2, { seed: 3, numThreads: 2 });
    const legal = vec.spec.legalActions;
    const rng = new Rng(5);
    await vec.reset();
    for (let t = 0; t < steps; t++) await vec.step([legal[rng.int(legal.length)], legal[rng.int(legal.length)]]);
    vec.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
