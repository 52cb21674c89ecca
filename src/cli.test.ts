import assert from 'node:assert/strict';
import { test } from 'node:test';
import { main } from './cli';

const teach = (...flags: string[]) => main(['node', 'distill-lab', 'teach', ...flags]);

test('teach rejects unknown names and out-of-range values before training, listing what is valid', async () => {
  await assert.rejects(teach('--suite', 'minatar', '--game', 'pong'), {
    message: "unknown minatar game 'pong': expected one of asterix, breakout, freeway, seaquest, space_invaders",
  });
  await assert.rejects(teach('--suite', 'snes', '--game', 'pong'), {
    message: "unknown suite 'snes': expected one of minatar, atari",
  });
  await assert.rejects(teach('--suite', 'minatar', '--game', 'breakout', '--preset', 'tiny'), {
    message: "unknown preset 'tiny': expected one of smoke, quick, full, paper",
  });
  await assert.rejects(teach('--suite', 'minatar', '--game', 'breakout', '--seed', '1.5'), {
    message: '--seed 1.5 is not an integer in [0, 4294967295]',
  });
  await assert.rejects(teach('--suite', 'minatar', '--game', 'breakout', '--set', 'optimizer.learningRate=-1'), {
    message: 'configuration value optimizer.learningRate = -1 is out of range: expected a number in (0, 1]',
  });
});
