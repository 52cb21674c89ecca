/**
 * Pictures of MinAtar states with the reference's display palette: each cell takes the colour of the
 * highest-numbered channel set in it (black when none), colours being seaborn's
 * color_palette('cubehelix', C), i.e. matplotlib's default cubehelix map sampled at C interior points.
 */
import type { RgbImage } from '../types';
import { GRID } from './game';

/** matplotlib's cubehelix map (gamma 1, s 0.5, r −1.5, h 1) at x ∈ [0, 1], one RGB component each. */
export function cubehelix(x: number): [number, number, number] {
  const amplitude = (x * (1 - x)) / 2;
  const phi = 2 * Math.PI * (0.5 / 3 - 1.5 * x);
  const cos = Math.cos(phi);
  const sin = Math.sin(phi);
  const clip = (v: number): number => Math.min(1, Math.max(0, v));
  return [
    clip(x + amplitude * (-0.14861 * cos + 1.78277 * sin)),
    clip(x + amplitude * (-0.29227 * cos - 0.90649 * sin)),
    clip(x + amplitude * (1.97294 * cos)),
  ];
}

/**
 * Bytes of seaborn's cubehelix palette of `n` colours as matplotlib draws it: points linspace(0, 1, n + 2)
 * without the ends, looked up in the 256-entry table, then scaled by 255 and truncated (matplotlib's bytes=True).
 */
export function cubehelixPalette(n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`palette size must be a positive integer, got ${n}`);
  const lutSize = 256;
  const palette = new Uint8Array(n * 3);
  const step = 1 / (n + 1);
  for (let c = 0; c < n; c++) {
    const index = Math.min(lutSize - 1, Math.floor((c + 1) * step * lutSize));
    const rgb = cubehelix(index / (lutSize - 1));
    for (let k = 0; k < 3; k++) palette[c * 3 + k] = Math.floor(rgb[k] * 255);
  }
  return palette;
}

/** Colours a 10×10×C observation: each cell the palette colour of its highest set channel, else black. */
export function renderObservation(obs: Uint8Array, channels: number, palette: Uint8Array): RgbImage {
  if (obs.length !== GRID * GRID * channels || palette.length !== channels * 3) {
    throw new RangeError(
      `renderObservation: need ${GRID * GRID * channels} observation bytes and ${channels * 3} palette bytes, got ${obs.length} and ${palette.length}`,
    );
  }
  const data = new Uint8Array(GRID * GRID * 3);
  for (let cell = 0; cell < GRID * GRID; cell++) {
    for (let c = channels - 1; c >= 0; c--) {
      if (!obs[cell * channels + c]) continue;
      data.set(palette.subarray(c * 3, c * 3 + 3), cell * 3);
      break;
    }
  }
  return { width: GRID, height: GRID, data };
}
