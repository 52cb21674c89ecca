/**
 * Untrained teachers with made-up scores for the tests of the pipeline: its mechanics, not its numbers, are
 * under test. Each game gets ROOT/GAME/teacher.dlck and an evaluation.json scoring 2 [1, 3].
 */
import { join } from 'node:path';
import { makeMinatarEnv } from '../../env/minatar';
import { type QNetworkSpec, qNetwork } from '../../nn/qnetwork';
import { saveTeacher } from '../../train/teacher-file';
import { Rng } from '../../util/rng';
import { publishedDqn, writeTeacherEvaluation } from '../teach/teacher-evaluation';

const NETWORK: QNetworkSpec = { convs: [{ filters: 4, kernel: 3, stride: 1 }], hidden: [8] };

/** The games of the pipeline's command-line tests: two, so that every per-game step runs more than once. */
const SMOKE_GAMES = ['breakout', 'freeway'];

/**
 * Writes fixture teachers of the smoke games under `root` and returns the arguments that run `reproduce` (or
 * `status`) on them with the smoke preset: `--preset smoke --games breakout,freeway --teachers ROOT`.
 */
export function smokePlanOnFixtures(root: string): string[] {
  writeFixtureTeachers(root, SMOKE_GAMES);
  return ['--preset', 'smoke', '--games', SMOKE_GAMES.join(','), '--teachers', root];
}

/** Writes a small untrained MinAtar teacher per game under `root`. */
export function writeFixtureTeachers(root: string, games: readonly string[]): void {
  const protocol = { seed: 0, episodes: 2, epsilon: 0.05, maxNoops: 30, maxEpisodeSteps: 100 };
  const score = { episodes: 2, meanReturn: 2, ci95: [1, 3] as [number, number], truncatedEpisodes: 0 };
  games.forEach((game, i) => {
    const spec = makeMinatarEnv(game).spec;
    const network = qNetwork('online', NETWORK, spec.observationShape, spec.legalActions.length, new Rng(i));
    saveTeacher(join(root, game, 'teacher.dlck'), network, {
      envId: spec.id,
      suite: 'minatar',
      game,
      observationShape: spec.observationShape,
      legalActions: spec.legalActions,
      network: NETWORK,
      inputScale: 1,
      trainedSteps: 0,
      finalEvaluation: { protocol, ...score },
      run: null,
      command: 'test',
    });
    writeTeacherEvaluation(join(root, game), {
      suite: 'minatar',
      game,
      algorithm: 'dqn',
      frames: 0,
      protocol,
      ...score,
      randomPolicyReturn: 0,
      randomPolicyCi95: [0, 0],
      withoutNoopStarts: score,
      published: publishedDqn('minatar', game),
    });
  });
}
