/**
 * Environment speed benchmarks: `npm run bench:envs` (npx tsx bench/envs/index.ts).
 * MinAtar always; Atari too when bench/envs/atari.ts is present (it exports `benchAtari(): Promise<string>`,
 * the table to print).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { benchMinatarTable } from './minatar';

async function main(): Promise<void> {
  console.log(benchMinatarTable());
  const atari = join(__dirname, 'atari.ts');
  if (existsSync(atari)) {
    const module: { benchAtari(): Promise<string> } = await import(atari);
    console.log(await module.benchAtari());
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
