/**
 * A teacher's score as a claim: `evaluation.json` beside each teacher file, with the mean return over whole
 * evaluation episodes, its 95 % confidence interval, a random policy's under the same protocol and seed, and the
 * published DQN figure for the game. Distillation reads its 100 % line from this file and nowhere else.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ColumnTable, table } from 'arquero';
import { meanInterval } from '../../stats/confidence';
import type { TableSchema } from '../../tables';
import {
  type BatchPolicy,
  type EpisodeScore,
  type EvaluationProtocol,
  evaluateEpisodes,
} from '../../train/evaluate-episodes';
import { writeFilesAtomically } from '../../util/atomic-write';
import { Rng } from '../../util/rng';
import { makeSuiteEnv, suiteSpec } from '../common/suite-envs';
import type { Suite } from '../common/suites';
import type { TeacherAlgorithm } from './teacher-config';

export const EVALUATION_FILE = 'evaluation.json';

export interface TeacherEvaluation extends EpisodeScore {
  readonly game: string;
  readonly suite: Suite;
  readonly algorithm: TeacherAlgorithm;
  /** Agent steps (MinAtar frames) the network was trained for. */
  readonly frames: number;
  readonly protocol: EvaluationProtocol;
  readonly randomPolicyReturn: number;
  readonly randomPolicyCi95: readonly [number, number];
  /**
   * The teacher under the same protocol but without no-op starts: what the published MinAtar figures (training
   * returns, no no-ops) compare with. No-op starts cost Space Invaders about half its score (docs/teachers.md).
   */
  readonly withoutNoopStarts: EpisodeScore;
  readonly published: { readonly dqn5M: number | null; readonly source: string };
}

const MINATAR_PUBLISHED_SOURCE =
  'Young & Tian 2019 (MinAtar), DQN learning curves at 5 M frames, 30 seeds: training returns of the last 100 episodes, ' +
  'read off the figure to about ±1–2';

/** MinAtar's published DQN return at 5 M frames, per game. */
export const MINATAR_PUBLISHED_DQN: Readonly<Record<string, number>> = {
  asterix: 17,
  breakout: 10,
  freeway: 50,
  seaquest: 20,
  space_invaders: 43,
};

export function publishedDqn(suite: Suite, game: string): TeacherEvaluation['published'] {
  if (suite === 'minatar') return { dqn5M: MINATAR_PUBLISHED_DQN[game] ?? null, source: MINATAR_PUBLISHED_SOURCE };
  return { dqn5M: null, source: 'no 5 M-frame DQN figure is compared for Atari' };
}

/** Plays `protocol.episodes` episodes with `policy` (null: uniformly random) and scores them with a 95 % interval. */
export function scoreEpisodes(
  suite: Suite,
  game: string,
  policy: BatchPolicy | null,
  protocol: EvaluationProtocol,
): EpisodeScore {
  const result = evaluateEpisodes(
    suiteSpec(suite, game),
    (seed) => makeSuiteEnv(suite, game, seed),
    policy,
    protocol,
    new Rng(protocol.seed),
  );
  const interval = meanInterval(result.returns);
  return {
    episodes: result.returns.length,
    meanReturn: interval.mean,
    ci95: [interval.lower, interval.upper],
    truncatedEpisodes: result.truncated,
  };
}

/** The teacher's evaluation, a random policy's under the same protocol and seed, the teacher without no-op starts, the published figure. */
export function evaluateTeacher(
  identity: {
    readonly suite: Suite;
    readonly game: string;
    readonly algorithm: TeacherAlgorithm;
    readonly frames: number;
  },
  policy: BatchPolicy,
  protocol: EvaluationProtocol,
): TeacherEvaluation {
  const { suite, game } = identity;
  const teacher = scoreEpisodes(suite, game, policy, protocol);
  const random = scoreEpisodes(suite, game, null, protocol);
  const withoutNoopStarts = scoreEpisodes(suite, game, policy, { ...protocol, maxNoops: 0 });
  return {
    ...identity,
    ...teacher,
    protocol,
    randomPolicyReturn: random.meanReturn,
    randomPolicyCi95: random.ci95,
    withoutNoopStarts,
    published: publishedDqn(suite, game),
  };
}

/** The columns an evaluation.json gives a result table (teacher-scores and teacher-seeds share them). */
export const EVALUATION_COLUMNS: TableSchema = {
  algorithm: 'utf8',
  frames: 'int32',
  episodes: 'int32',
  mean_return: 'float64',
  ci95_low: 'float64',
  ci95_high: 'float64',
  random_return: 'float64',
  without_noop_starts_return: 'float64',
  without_noop_starts_ci95_low: 'float64',
  without_noop_starts_ci95_high: 'float64',
  published_dqn_5m: 'float64',
};

/** One evaluation as the values of EVALUATION_COLUMNS. */
export function evaluationColumns(e: TeacherEvaluation): Record<string, string | number | null> {
  return {
    algorithm: e.algorithm,
    frames: e.frames,
    episodes: e.episodes,
    mean_return: e.meanReturn,
    ci95_low: e.ci95[0],
    ci95_high: e.ci95[1],
    random_return: e.randomPolicyReturn,
    without_noop_starts_return: e.withoutNoopStarts.meanReturn,
    without_noop_starts_ci95_low: e.withoutNoopStarts.ci95[0],
    without_noop_starts_ci95_high: e.withoutNoopStarts.ci95[1],
    published_dqn_5m: e.published.dqn5M,
  };
}

/** Rows as a table with `schema`'s columns, in its order. */
export function tableOf(schema: TableSchema, rows: readonly Record<string, unknown>[]): ColumnTable {
  return table(Object.fromEntries(Object.keys(schema).map((k) => [k, rows.map((r) => r[k])])));
}

export function writeTeacherEvaluation(folder: string, evaluation: TeacherEvaluation): void {
  writeFilesAtomically([{ path: join(folder, EVALUATION_FILE), content: `${JSON.stringify(evaluation, null, 2)}\n` }]);
}

/**
 * `folder`'s evaluation.json, checked: it must exist, be for `game`, and hold a finite mean with its interval.
 * Each refusal names the file and the command that makes it.
 */
export function readTeacherEvaluation(folder: string, suite: Suite, game: string): TeacherEvaluation {
  const path = join(folder, EVALUATION_FILE);
  const remedy =
    `make it with: distill-lab teach --suite ${suite} --game ${game} --preset full --ship ` +
    `(or score an existing teacher: distill-lab evaluate-teacher --suite ${suite} --game ${game} --teacher-dir ${folder} --write)`;
  if (!existsSync(path)) throw new RangeError(`${path} is missing: the teacher's score is unknown; ${remedy}`);
  let parsed: TeacherEvaluation;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as TeacherEvaluation;
  } catch (error) {
    throw new RangeError(`${path} is not valid JSON (${(error as Error).message}); ${remedy}`);
  }
  if (parsed.game !== game || parsed.suite !== suite) {
    throw new RangeError(
      `${path} is the evaluation of ${parsed.suite}/${parsed.game}, expected ${suite}/${game}; ${remedy}`,
    );
  }
  const finite = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  if (!finite(parsed.meanReturn) || !Array.isArray(parsed.ci95) || !parsed.ci95.every(finite)) {
    throw new RangeError(`${path} has no finite meanReturn with a ci95 [lo, hi]; ${remedy}`);
  }
  return parsed;
}
