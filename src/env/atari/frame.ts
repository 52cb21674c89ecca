/** Observations as pictures: one 84×84 grayscale frame of a stack, as RGB for encodePng. */
import type { EnvSpec, RgbImage } from '../types';
import { checkObservationBuffer } from '../types';

/** Frame `channel` of the stack in `obs` (default: the newest), gray repeated into R, G and B. */
export function observationFrame(spec: EnvSpec, obs: Uint8Array, channel = spec.observationShape[2] - 1): RgbImage {
  checkObservationBuffer(spec, obs);
  const [height, width, channels] = spec.observationShape;
  if (!Number.isInteger(channel) || channel < 0 || channel >= channels) {
    throw new RangeError(`${spec.id}: channel must be an integer in [0, ${channels - 1}], got ${channel}`);
  }
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) data.fill(obs[i * channels + channel], 3 * i, 3 * i + 3);
  return { width, height, data };
}
