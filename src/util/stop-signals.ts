/**
 * SIGINT and SIGTERM as a request to stop that a synchronous training loop can poll. Node runs a signal
 * listener only between event-loop turns, and a run's loop is one synchronous call: a listener would leave
 * Ctrl-C unanswered until the run ended. The small native addon (native/stderr-guard, built by setup) catches
 * the signals into a flag instead; the same signal a second time stops the process as it would have before.
 * Without the addon the signals keep their default action: the process dies as a kill would (its checkpoint
 * stays, and the next start takes over its lock).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './paths';

export type StopSignal = 'SIGINT' | 'SIGTERM';

interface SignalAddon {
  watchStopSignals(): void;
  stopSignal(): number;
}

const SIGNAL_NAMES: Record<number, StopSignal> = { 2: 'SIGINT', 15: 'SIGTERM' };

let addon: SignalAddon | null | undefined;
let watching = false;

function signalAddon(): SignalAddon | null {
  if (addon !== undefined) return addon;
  const path = join(PROJECT_ROOT, 'build', 'native', 'stderr_guard.node');
  const loaded = existsSync(path) ? (require(path) as Partial<SignalAddon>) : {};
  // An addon built before the flag existed lacks it: setup rebuilds it when its source is newer.
  addon = typeof loaded.watchStopSignals === 'function' ? (loaded as SignalAddon) : null;
  return addon;
}

/** Catches SIGINT and SIGTERM from now on (once per process); false when the addon is not built. */
export function watchStopSignals(): boolean {
  const native = signalAddon();
  // Once: a second call would record its own handler as the action to restore.
  if (native && !watching) native.watchStopSignals();
  watching = native !== null;
  return watching;
}

/** The first stop signal received since `watchStopSignals`, or null. */
export function stopSignal(): StopSignal | null {
  const received = signalAddon()?.stopSignal() ?? 0;
  return SIGNAL_NAMES[received] ?? null;
}

/** The exit code of a command stopped by `signal`, as a shell reports a process the signal ended: 128 + its number. */
export function stoppedExitCode(signal: StopSignal): number {
  return signal === 'SIGINT' ? 130 : 143;
}

/**
 * A `shouldStop` for a child process: true once a stop signal came or its parent is gone (the parent was
 * killed, even by SIGKILL: the child is then adopted and `process.ppid` changes), so no child outlives its parent.
 */
export function stopRequestedOrOrphaned(parentPid: number = process.ppid): () => boolean {
  return () => stopSignal() !== null || process.ppid !== parentPid;
}
