/**
 * Divergence: training stops at an update whose loss is not finite, or is both above `minLoss` and more than
 * `factor` times the mean of the previous losses (the last `window` of them, fewer at the start), for teachers
 * (DQN, PQN) and students alike. The rule watches for the sudden blow-ups a too-large step size causes (a loss
 * thousands of times its recent mean within a few updates, on its way to 1e20 or NaN), not for slow drifts, which
 * evaluations show.
 *
 * Why both bounds, measured on MinAtar (largest ratio of a loss to the mean of the 100 before it): 9–69 in
 * 100 k-step DQN runs on Breakout, Asterix, Seaquest and Space Invaders and 6–53 in 1 M-step PQN runs on all five
 * games, but 994 in DQN on Freeway, whose losses sit near 1e-5 while no reward is in the batch and jump to 0.016
 * (½ · 1² / 32) when one is. A ratio alone cannot tell such a jump from a blow-up; its size can: with rewards of magnitude 1
 * (MinAtar, clipped Atari) the largest healthy loss was 1.5 (PQN on Space Invaders, 9 times its mean), while the
 * blow-ups of learning rate 1 reach 124 (Huber loss) to 1e4 (squared loss) at their second update, 2,500 to
 * 200,000 times the first. Hence the default `{ factor: 1e3, window: 100, minLoss: 1 }`.
 *
 * `checkLoss` is the pure rule; `DivergenceMonitor` keeps its history (a checkpointable, so a resumed run checks as
 * the uninterrupted one does) and throws `DivergenceError`, which names the update, the loss and the last good
 * checkpoint.
 */
import { checkInteger, checkReal, failConfig } from '../util/config-checks';
import type { Checkpointable, CheckpointBundle, CheckpointMark, SavedCheckpoint } from './checkpointer';

export interface DivergenceConfig {
  /** A loss above `factor` × the mean of the previous losses (and above `minLoss`) stops the run. */
  readonly factor: number;
  /** How many previous losses that mean is over (fewer while the run has made fewer updates). */
  readonly window: number;
  /** Losses up to this never count as diverged, however far above their mean (0: no such floor). */
  readonly minLoss: number;
}

/** The default bound; `null` in a configuration turns the relative bound off (non-finite losses still stop). */
export const DEFAULT_DIVERGENCE: DivergenceConfig = { factor: 1e3, window: 100, minLoss: 1 };

/** Bounds of the validated ranges. */
const MAX_FACTOR = 1e30;
const MAX_WINDOW = 10_000;

/**
 * Throws naming `key` when `value` is not a divergence setting: `{ factor, window, minLoss }` with factor in
 * (1, 1e30], window an integer in [1, 10000] and minLoss in [0, 1e30], or null (relative bound off). Undefined
 * (absent) means the default.
 */
export function validateDivergence(key: string, value: unknown): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'object' || Array.isArray(value)) {
    failConfig(key, value, 'an object { factor, window, minLoss }, or null to turn the bound off');
  }
  const { factor, window, minLoss } = value as Record<string, unknown>;
  checkReal(`${key}.factor`, factor as number, 1, MAX_FACTOR, true);
  checkInteger(`${key}.window`, window as number, 1, MAX_WINDOW);
  checkReal(`${key}.minLoss`, minLoss as number, 0, MAX_FACTOR);
}

/** The setting a run uses: its own, or the default when absent. */
export function divergenceOf(config: { readonly divergence?: DivergenceConfig | null }): DivergenceConfig | null {
  return config.divergence === undefined ? DEFAULT_DIVERGENCE : config.divergence;
}

/** The saveable state of the rule: the latest finite losses, oldest first (at most the window's length). */
export interface LossHistory {
  readonly recent: readonly number[];
}

export const EMPTY_LOSS_HISTORY: LossHistory = { recent: [] };

export type LossCheck =
  | { readonly ok: true; readonly history: LossHistory }
  | { readonly ok: false; readonly reason: string };

/** A mean as messages show it: four significant digits. */
const shown = (x: number): string => String(Number(x.toPrecision(4)));

/**
 * The rule on one loss: `ok` with the history that includes it, or the reason it diverged. `config` null checks
 * finiteness only. Pure: `history` is not changed.
 */
export function checkLoss(loss: number, history: LossHistory, config: DivergenceConfig | null): LossCheck {
  if (!Number.isFinite(loss)) return { ok: false, reason: `its loss is ${loss}` };
  const { recent } = history;
  if (config !== null && recent.length > 0 && loss > config.minLoss) {
    let sum = 0;
    for (const x of recent) sum += x;
    const mean = sum / recent.length;
    if (loss > config.factor * mean) {
      return {
        ok: false,
        reason:
          `its loss ${loss} is above ${config.factor} × the mean of the previous ` +
          `${recent.length === 1 ? 'loss' : `${recent.length} losses`} (${shown(mean)})`,
      };
    }
  }
  const keep = config === null ? 1 : config.window;
  const next = recent.length < keep ? [...recent, loss] : [...recent.slice(recent.length - keep + 1), loss];
  return { ok: true, history: { recent: next } };
}

/** Training diverged: the update, its loss, why, and the last good checkpoint (kept as it was). */
export class DivergenceError extends Error {
  constructor(
    readonly update: number,
    readonly loss: number,
    readonly reason: string,
    readonly lastCheckpoint: CheckpointMark | null,
  ) {
    super(
      `training diverged at update ${update}: ${reason}; training stopped. ` +
        (lastCheckpoint
          ? `The last good checkpoint is ${lastCheckpoint.path} (step ${lastCheckpoint.step}), kept as it was. `
          : 'No checkpoint had been written yet. ') +
        'Lower the learning rate (the same settings are likely to diverge again), or raise divergence.factor if ' +
        'such jumps are expected.',
    );
    this.name = 'DivergenceError';
  }
}

/** The rule with its history, for a training loop: `check` each update's loss; checkpoints keep the history. */
export class DivergenceMonitor implements Checkpointable {
  private state: LossHistory = EMPTY_LOSS_HISTORY;

  constructor(readonly config: DivergenceConfig | null) {}

  get history(): LossHistory {
    return this.state;
  }

  /** The history as the meta entry `lossHistory`. */
  checkpointState(): CheckpointBundle {
    return { meta: { lossHistory: this.state }, arrays: {} };
  }

  /** Restores a saved history (the latest `window` losses of it). */
  restoreCheckpointState(saved: SavedCheckpoint): void {
    const { recent } = saved.meta<LossHistory>('lossHistory');
    const keep = this.config === null ? 1 : this.config.window;
    this.state = { recent: recent.slice(Math.max(0, recent.length - keep)) };
  }

  /** Records `loss` of update number `update`, or throws DivergenceError naming `lastCheckpoint`. */
  check(loss: number, update: number, lastCheckpoint: CheckpointMark | null): void {
    const result = checkLoss(loss, this.state, this.config);
    if (!result.ok) throw new DivergenceError(update, loss, result.reason, lastCheckpoint);
    this.state = result.history;
  }
}
