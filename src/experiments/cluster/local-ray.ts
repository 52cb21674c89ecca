/**
 * A Ray head on this machine, for the tests and for trying `--cluster` out: `ray start --head --block` from the
 * project's .venv (`bash scripts/setup.sh --cluster` installs Ray there), bound to 127.0.0.1 with free ports and
 * its own temporary folder, so that it meets no other Ray on the machine. It is stopped by its own process: a
 * SIGTERM to the `ray start --block` this module started, which shuts down the processes it spawned (not
 * `ray stop`, which ends every Ray of the user on the machine).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../util/paths';
import { RayJobsClient } from './ray-jobs';

/** The `ray` command of the project's .venv, or null when Ray is not installed there. */
export function rayExecutable(): string | null {
  const path = join(PROJECT_ROOT, '.venv', 'bin', 'ray');
  return existsSync(path) ? path : null;
}

/**
 * `count` different ports nobody listens on now. All are held open until the last is found: ports picked one at a
 * time, each released before the next, can repeat, and Ray refuses two components on one port.
 */
async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  try {
    return await Promise.all(
      servers.map(
        (server) =>
          new Promise<number>((resolve, reject) => {
            server.on('error', reject);
            server.listen(0, '127.0.0.1', () => {
              const address = server.address();
              resolve(typeof address === 'object' && address ? address.port : 0);
            });
          }),
      ),
    );
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

export interface LocalRayHead {
  /** The dashboard's address, for `--cluster`. */
  readonly address: string;
  readonly pid: number;
  /** Ray's session files and logs. */
  readonly tempDir: string;
  /** Stops the head and everything it started; removes its folder. Safe to call twice. */
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 60_000;

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/** Starts a one-node cluster with `cpus` CPUs and no GPU; resolves once its Jobs API answers and its node is up. */
export async function startLocalRayHead(options: { cpus: number; ray?: string }): Promise<LocalRayHead> {
  const ray = options.ray ?? rayExecutable();
  if (ray === null)
    throw new Error('Ray is not installed in .venv: bash scripts/setup.sh --cluster --only cluster installs it');
  // Ray's sockets live under its temporary folder, whose path must stay short (a socket path has ≤ 107 bytes).
  const tempDir = mkdtempSync('/tmp/dl-ray-');
  const [gcs, dashboard, client, agent] = await freePorts(4);
  const logPath = join(tempDir, 'ray-start.log');
  const log = openSync(logPath, 'w');
  const child = spawn(
    ray,
    [
      'start',
      '--head',
      '--block',
      '--node-ip-address=127.0.0.1',
      `--num-cpus=${options.cpus}`,
      '--num-gpus=0',
      '--dashboard-host=127.0.0.1',
      '--disable-usage-stats',
      `--port=${gcs}`,
      `--dashboard-port=${dashboard}`,
      `--ray-client-server-port=${client}`,
      `--dashboard-agent-listen-port=${agent}`,
      `--temp-dir=${tempDir}`,
    ],
    { stdio: ['ignore', log, log], detached: true, env: { ...process.env, RAY_USAGE_STATS_ENABLED: '0' } },
  );
  closeSync(log);
  const pid = child.pid as number;
  const address = `127.0.0.1:${dashboard}`;
  // Should this process end without stopping it (an exception, or a SIGINT or SIGTERM, which then ends this
  // process as it would have), the head goes with it.
  const orphaned = () => {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  const signalled = (signal: NodeJS.Signals) => {
    orphaned();
    process.kill(process.pid, signal);
  };
  process.once('exit', orphaned);
  process.once('SIGINT', signalled);
  process.once('SIGTERM', signalled);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', orphaned);
    process.removeListener('SIGINT', signalled);
    process.removeListener('SIGTERM', signalled);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        try {
          process.kill(-pid, 'SIGKILL'); // its process group: what it started and did not stop
        } catch {
          // already gone
        }
      }, STOP_TIMEOUT_MS);
      await exited(child);
      clearTimeout(timer);
    }
    rmSync(tempDir, { recursive: true, force: true });
  };
  const started = Date.now();
  const jobs = new RayJobsClient(address);
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`ray start exited (${child.exitCode ?? child.signalCode}):\n${readFileSync(logPath, 'utf8')}`);
      if (Date.now() - started > START_TIMEOUT_MS)
        throw new Error(
          `the Ray head did not come up in ${START_TIMEOUT_MS / 1000} s:\n${readFileSync(logPath, 'utf8')}`,
        );
      try {
        await jobs.version();
        if ((await jobs.nodes()).some((n) => n.alive)) break;
      } catch {
        // not up yet
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { address, pid, tempDir, stop };
}
