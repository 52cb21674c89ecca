/**
 * The evaluation protocol of the students (ε-greedy, 0..maxNoops no-ops opening each episode), scored over
 * whole episodes as the teachers' 100 % line is (src/train/evaluate-episodes.ts): every game plays `episodes`
 * episodes side by side, so that one batched forward pass of the multi-task student serves all of them, until
 * each has ended (or hit `maxEpisodeSteps`, counted as cut with its return so far). The paper plays a budget of
 * control steps and averages the episodes completed within it; that favours short episodes, and scoring the
 * students one way and their teachers another would bias every "% of teacher".
 *
 * A forward pass rates only the episodes that act greedily at that step: once a game's episodes have ended it
 * sends no rows, so the long tail of an evaluation (Freeway's episodes last 2,500 steps, the other games' far fewer)
 * costs one game's rows per call. The rollouts of several students (a seed batch's seeds) step in lockstep
 * (`evaluateLockstep`), all rated in one call per step; each keeps its own generator and draws from it in the same
 * order as alone, so its episodes are the ones it would play alone.
 */
import type { Env, EnvSpec } from '../env/types';
import { greedyLegalAction } from '../nn/students';
import type { Rng } from '../util/rng';

export interface BatchedEvaluationConfig {
  /** Episodes each game plays (side by side). */
  readonly episodes: number;
  readonly epsilon: number;
  readonly maxNoops: number;
  /** An episode still running after this many steps is cut (its return so far counts). */
  readonly maxEpisodeSteps: number;
}

export interface BatchedEvaluationResult {
  /** Control steps played, no-ops included. */
  readonly steps: number;
  /** One return per episode, in episode order. */
  readonly returns: readonly number[];
  readonly meanReturn: number;
  /** Episodes cut at `maxEpisodeSteps`. */
  readonly truncated: number;
}

/** Full-set index of the no-op: action 0 in both suites. */
const NOOP_ACTION = 0;

interface Episode {
  readonly env: Env;
  noops: number;
  episodeReturn: number;
  length: number;
  running: boolean;
}

/** One game of an evaluation: its spec and a fresh environment per episode. */
export interface EvaluatedGame {
  readonly spec: EnvSpec;
  readonly makeEnv: (seed: number) => Env;
}

/**
 * q-values for several rollouts in one call: `observations[r][g]` holds `rows[g]` observations of game g for rollout
 * r (null: rollout r needs none), answered per rollout as [Σ rows, numActions], rows stacked in game order.
 */
export type LockstepQ = (
  observations: readonly (readonly Uint8Array[] | null)[],
  rows: readonly number[],
) => readonly (ArrayLike<number> | null)[];

function checkEvaluation(
  games: readonly EvaluatedGame[],
  { episodes, maxEpisodeSteps }: BatchedEvaluationConfig,
): void {
  if (!(Number.isInteger(episodes) && episodes >= 1)) {
    throw new RangeError(`evaluation.episodes must be an integer >= 1, got ${episodes}`);
  }
  if (!(Number.isInteger(maxEpisodeSteps) && maxEpisodeSteps >= 1)) {
    throw new RangeError(`evaluation.maxEpisodeSteps must be an integer >= 1, got ${maxEpisodeSteps}`);
  }
  for (const { spec } of games) {
    if (!spec.legalActions.includes(NOOP_ACTION)) {
      throw new RangeError(`${spec.id}: the evaluation protocol's no-op (action ${NOOP_ACTION}) is not a legal action`);
    }
  }
}

/** One student's evaluation in progress: its episodes of every game, stepped by `choose` then `step`. */
export class EvaluationRollout {
  private readonly sizes: readonly number[];
  /** Each episode's current observation, episode k of game g at k × size. */
  private readonly observations: Uint8Array[];
  /** The observations of the step's greedy episodes, packed from row 0 (and zero rows after them, see `pad`). */
  private readonly greedy: Uint8Array[];
  private readonly greedyCount: number[];
  private readonly state: Episode[][];
  private readonly actions: Int32Array[];
  private readonly steps: number[];
  private readonly truncated: number[];
  private remaining: number;

  /** Opens every episode in a fresh environment seeded from `rng`, which the rollout keeps drawing from. */
  constructor(
    private readonly games: readonly EvaluatedGame[],
    private readonly config: BatchedEvaluationConfig,
    private readonly rng: Rng,
  ) {
    checkEvaluation(games, config);
    const { episodes, maxNoops } = config;
    this.sizes = games.map(({ spec }) => spec.observationShape.reduce((a, b) => a * b, 1));
    this.observations = this.sizes.map((size) => new Uint8Array(episodes * size));
    this.greedy = this.sizes.map((size) => new Uint8Array(episodes * size));
    this.greedyCount = games.map(() => 0);
    this.state = games.map((game, g) =>
      Array.from({ length: episodes }, (_, k) => {
        const env = game.makeEnv(rng.nextUint32());
        env.reset(this.slot(g, k));
        return { env, noops: rng.int(maxNoops + 1), episodeReturn: 0, length: 0, running: true };
      }),
    );
    this.actions = games.map(() => new Int32Array(episodes));
    this.steps = games.map(() => 0);
    this.truncated = games.map(() => 0);
    this.remaining = games.length * episodes;
  }

  get running(): boolean {
    return this.remaining > 0;
  }

  get gameCount(): number {
    return this.games.length;
  }

  private slot(g: number, k: number): Uint8Array {
    return this.observations[g].subarray(k * this.sizes[g], (k + 1) * this.sizes[g]);
  }

  /**
   * Draws the step's no-ops and ε-random actions and packs the greedy episodes' observations (for `pad`); how many
   * of each game act greedily, or null when none does.
   */
  choose(): readonly number[] | null {
    const { epsilon } = this.config;
    let any = false;
    this.games.forEach(({ spec }, g) => {
      const legal = spec.legalActions;
      let count = 0;
      this.state[g].forEach((episode, k) => {
        if (!episode.running) return;
        if (episode.noops > 0) {
          episode.noops--;
          this.actions[g][k] = NOOP_ACTION;
        } else if (this.rng.random() < epsilon) this.actions[g][k] = legal[this.rng.int(legal.length)];
        else {
          this.actions[g][k] = -1;
          this.greedy[g].set(this.slot(g, k), count * this.sizes[g]);
          count++;
        }
      });
      this.greedyCount[g] = count;
      if (count > 0) any = true;
    });
    return any ? this.greedyCount : null;
  }

  /** The step's greedy observations, zero-padded to `rows[g]` rows of each game g (at least its greedy count). */
  pad(rows: readonly number[]): Uint8Array[] {
    return this.greedy.map((o, g) => {
      if (!(rows[g] >= this.greedyCount[g]))
        throw new RangeError(
          `game ${g}: ${rows[g]} rows cannot hold the step's ${this.greedyCount[g]} greedy episodes`,
        );
      o.fill(0, this.greedyCount[g] * this.sizes[g], rows[g] * this.sizes[g]);
      return o.subarray(0, rows[g] * this.sizes[g]);
    });
  }

  /**
   * Steps every running episode: greedy episodes take the best legal action of their row in `values`, where game g's
   * block holds `rows[g]` rows (the step's greedy episodes first, in episode order).
   */
  step(values: ArrayLike<number> | null, rows: readonly number[]): void {
    const { maxEpisodeSteps } = this.config;
    let block = 0;
    this.games.forEach(({ spec }, g) => {
      let greedy = 0;
      this.state[g].forEach((episode, k) => {
        if (!episode.running) return;
        let action = this.actions[g][k];
        if (action < 0) {
          action = greedyLegalAction(
            values as ArrayLike<number>,
            spec.legalActions,
            (block + greedy) * spec.numActions,
          );
          greedy++;
        }
        const result = episode.env.step(action, this.slot(g, k));
        episode.episodeReturn += result.reward;
        episode.length++;
        this.steps[g]++;
        const cut = !result.terminal && !result.truncated && episode.length >= maxEpisodeSteps;
        if (result.truncated || cut) this.truncated[g]++;
        if (result.terminal || result.truncated || cut) {
          episode.running = false;
          episode.env.close();
          this.remaining--;
        }
      });
      block += rows[g];
    });
  }

  /** Every game's scores, once no episode is running. */
  results(): BatchedEvaluationResult[] {
    if (this.running) throw new Error('the evaluation still has episodes running');
    return this.state.map((episodesOfGame, g) => {
      const returns = episodesOfGame.map((e) => e.episodeReturn);
      return {
        steps: this.steps[g],
        returns,
        meanReturn: returns.reduce((a, b) => a + b, 0) / returns.length,
        truncated: this.truncated[g],
      };
    });
  }
}

/**
 * Steps `rollouts` (students of the same games) in lockstep until all have ended, with one `q` call per step for
 * every rollout that has greedy episodes: each game's block padded to the most rows any rollout sends.
 */
export function evaluateLockstep(rollouts: readonly EvaluationRollout[], q: LockstepQ): BatchedEvaluationResult[][] {
  const games = rollouts[0]?.gameCount ?? 0;
  if (rollouts.some((r) => r.gameCount !== games))
    throw new RangeError(
      `rollouts in lockstep must play the same games; they play ${rollouts.map((r) => r.gameCount)}`,
    );
  while (rollouts.some((r) => r.running)) {
    const wanted = rollouts.map((r) => (r.running ? r.choose() : null));
    const rows = Array.from({ length: games }, (_, g) => Math.max(0, ...wanted.map((w) => w?.[g] ?? 0)));
    const values = wanted.some((w) => w !== null)
      ? q(
          wanted.map((w, r) => (w === null ? null : rollouts[r].pad(rows))),
          rows,
        )
      : rollouts.map(() => null);
    if (values.length !== rollouts.length)
      throw new RangeError(`expected q-values for ${rollouts.length} rollouts, got ${values.length}`);
    rollouts.forEach((r, i) => {
      if (r.running) r.step(values[i], rows);
    });
  }
  return rollouts.map((r) => r.results());
}

/**
 * Evaluates every game with the policy whose Q-values `q(observations, rows)` returns for `rows[g]` stacked
 * observations of each game (`observations[g]`), rows stacked in game order ([Σ rows, numActions]).
 * Each episode opens in a fresh environment seeded from `rng`.
 */
export function evaluateBatched(
  games: readonly EvaluatedGame[],
  q: (observations: readonly Uint8Array[], rows: readonly number[]) => ArrayLike<number>,
  config: BatchedEvaluationConfig,
  rng: Rng,
): BatchedEvaluationResult[] {
  const [results] = evaluateLockstep([new EvaluationRollout(games, config, rng)], ([observations], rows) => [
    q(observations as readonly Uint8Array[], rows),
  ]);
  return results;
}
