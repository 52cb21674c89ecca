/** Pictures of a teacher playing: for notebooks, a row of frames from one greedy episode. */
import type { RgbImage } from '../../env/types';
import type { Teacher } from '../../train/teacher-file';
import { makeSuiteEnv } from '../common/suite-envs';
import type { Suite } from '../common/suites';

/** Frames at steps 0, every, 2·every, … of one greedy episode (fewer when the episode ends first), with the return so far. */
export function teacherFrames(
  teacher: Teacher,
  options: { seed: number; frames: number; every: number },
): { images: RgbImage[]; returns: number[] } {
  const { suite, game, legalActions, observationShape } = teacher.meta;
  const env = makeSuiteEnv(suite as Suite, game, options.seed);
  const observation = new Uint8Array(observationShape[0] * observationShape[1] * observationShape[2]);
  env.reset(observation);
  const images: RgbImage[] = [env.render()];
  const returns: number[] = [0];
  let total = 0;
  for (let step = 1; images.length < options.frames; step++) {
    const result = env.step(legalActions[teacher.greedyAction(observation)], observation);
    total += result.reward;
    if (step % options.every === 0) {
      images.push(env.render());
      returns.push(total);
    }
    if (result.terminal || result.truncated) break;
  }
  env.close();
  return { images, returns };
}

/** Images of equal height side by side, `gap` columns of white between them. */
export function tileHorizontally(images: readonly RgbImage[], gap = 1): RgbImage {
  if (images.length === 0) throw new RangeError('tileHorizontally needs at least one image');
  const height = images[0].height;
  const bad = images.find((image) => image.height !== height);
  if (bad) throw new RangeError(`images must share one height: got ${height} and ${bad.height}`);
  const width = images.reduce((w, image) => w + image.width, 0) + gap * (images.length - 1);
  const data = new Uint8Array(width * height * 3).fill(255);
  let left = 0;
  for (const image of images) {
    for (let y = 0; y < height; y++) {
      data.set(image.data.subarray(y * image.width * 3, (y + 1) * image.width * 3), (y * width + left) * 3);
    }
    left += image.width + gap;
  }
  return { width, height, data };
}
