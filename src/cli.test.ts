import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from './cli';
import { parseOverride } from './experiments/common/overrides';
import { teacherConfig } from './experiments/teach/teacher-config';
import { teach } from './experiments/teach/teacher-run';
import { PROJECT_ROOT } from './util/paths';

const teachCommand = (...flags: string[]) => main(['node', 'distill-lab', 'teach', ...flags]);

test('teach rejects unknown names and out-of-range values before training, listing what is valid', async () => {
  await assert.rejects(teachCommand('--suite', 'minatar', '--game', 'pong'), {
    message: "unknown minatar game 'pong': expected one of asterix, breakout, freeway, seaquest, space_invaders",
  });
  await assert.rejects(teachCommand('--suite', 'snes', '--game', 'pong'), {
    message: "unknown suite 'snes': expected one of minatar, atari",
  });
  await assert.rejects(teachCommand('--suite', 'minatar', '--game', 'breakout', '--preset', 'tiny'), {
    message: "unknown preset 'tiny': expected one of smoke, quick, full, paper",
  });
  await assert.rejects(teachCommand('--suite', 'minatar', '--game', 'breakout', '--seed', '1.5'), {
    message: '--seed 1.5 is not an integer in [0, 2147483647]',
  });
  await assert.rejects(teachCommand('--suite', 'minatar', '--game', 'breakout', '--seed', '2147483648'), {
    message: '--seed 2147483648 is not an integer in [0, 2147483647]',
  });
  await assert.rejects(
    teachCommand(
      '--suite',
      'minatar',
      '--game',
      'breakout',
      '--algorithm',
      'dqn',
      '--set',
      'optimizer.learningRate=-1',
    ),
    { message: 'configuration value optimizer.learningRate = -1 is out of range: expected a number in (0, 1]' },
  );
  await assert.rejects(teachCommand('--suite', 'minatar', '--game', 'breakout', '--set', 'learningRate=-1'), {
    message: 'configuration value learningRate = -1 is out of range: expected a number in (0, 1]',
  });
  await assert.rejects(teachCommand('--suite', 'minatar', '--game', 'breakout', '--algorithm', 'sarsa'), {
    message: "unknown algorithm 'sarsa': expected one of dqn, pqn",
  });
});

test('a teach process killed after a checkpoint resumes to the learning curve of an uninterrupted run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-kill-'));
  try {
    const sets = ['totalSteps=2000', 'learningStarts=100', 'batchSize=8', 'updateEvery=4', 'evaluation.every=250'];
    const moreSets = ['evaluation.steps=100', 'checkpointEvery=250'];
    const overrides = [...sets, ...moreSets];
    const killed = join(dir, 'killed');
    const args = ['bin/distill-lab.js', 'teach', '--suite', 'minatar', '--game', 'breakout', '--algorithm', 'dqn'];
    const child = spawn(
      process.execPath,
      [...args, '--preset', 'smoke', '--seed', '2', '--run-dir', killed, ...overrides.flatMap((s) => ['--set', s])],
      {
        cwd: PROJECT_ROOT,
        stdio: 'ignore',
        // TensorFlow's default pools, those of this process, which resumes the run: the arithmetic must match.
        env: {
          TF_NUM_INTRAOP_THREADS: String(availableParallelism()),
          TF_NUM_INTEROP_THREADS: String(availableParallelism()),
          ...process.env,
          DISTILL_LAB_QUIET: '1',
        },
      },
    );
    const exited = once(child, 'exit');
    const checkpoint = join(killed, 'checkpoint.dlck');
    while (!existsSync(checkpoint) && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGKILL');
    const [code, signal] = await exited;
    assert.equal(signal, 'SIGKILL', `the run ended on its own (exit code ${code}) before it could be killed`);

    const config = teacherConfig('minatar', 'breakout', 'smoke', 2, overrides.map(parseOverride), 'dqn');
    const resumed = teach(config, { runDir: killed, resume: true });
    assert.ok(resumed.startStep >= 250 && resumed.startStep < 2000, `resumed at step ${resumed.startStep}`);
    const whole = join(dir, 'whole');
    teach(config, { runDir: whole });
    const withoutSeconds = (runDir: string) =>
      readFileSync(join(runDir, 'learning-curve.csv'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => line.slice(0, line.lastIndexOf(',')));
    const curve = withoutSeconds(whole);
    assert.equal(curve.length, 1 + 8);
    assert.deepEqual(withoutSeconds(killed), curve);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('teach draws a live progress bar on a terminal (run under a pseudo-terminal by script(1))', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-tty-'));
  try {
    const command = `node bin/distill-lab.js teach --suite minatar --game breakout --preset smoke --run-dir ${join(dir, 'run')}`;
    const result = spawnSync('script', ['-qc', command, '/dev/null'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /minatar\/breakout =+ 100% \| 2048\/2048 steps \| \d+ steps\/s/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
