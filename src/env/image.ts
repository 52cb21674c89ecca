/** Pictures of states: PNG encoding and nearest-neighbour upscaling for display in notebooks. */
import { PNG } from 'pngjs';
import type { RgbImage } from './types';

/** Encodes an RGB picture as PNG bytes. */
export function encodePng(image: RgbImage): Buffer {
  const { width, height, data } = image;
  if (data.length !== width * height * 3) {
    throw new RangeError(`RGB image ${width}×${height} needs ${width * height * 3} bytes, got ${data.length}`);
  }
  const png = new PNG({ width, height, colorType: 2, inputColorType: 2, inputHasAlpha: false });
  png.data = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return PNG.sync.write(png, { colorType: 2, inputColorType: 2, inputHasAlpha: false });
}

/** Repeats every pixel `factor` times in both directions (10×10 game grids are too small to see). */
export function upscale(image: RgbImage, factor: number): RgbImage {
  if (!Number.isInteger(factor) || factor < 1)
    throw new RangeError(`upscale factor must be an integer ≥ 1, got ${factor}`);
  const width = image.width * factor;
  const height = image.height * factor;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const srcRow = Math.floor(y / factor) * image.width;
    for (let x = 0; x < width; x++) {
      const src = (srcRow + Math.floor(x / factor)) * 3;
      const dst = (y * width + x) * 3;
      data[dst] = image.data[src];
      data[dst + 1] = image.data[src + 1];
      data[dst + 2] = image.data[src + 2];
    }
  }
  return { width, height, data };
}
