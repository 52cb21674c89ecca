import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../util/rng';
import { loadAleAddon } from './native';
import { referenceSkipReason, runVenvPython } from './reference';

// The addon's hand-written area resize against cv2.resize(..., interpolation=cv2.INTER_AREA), which
// Gymnasium's AtariPreprocessing calls: random images (every byte value, sharp edges) and other sizes.
const CASES: [number, number, number, number][] = [
  [160, 210, 84, 84],
  [160, 250, 84, 84],
  [77, 100, 29, 33],
  [64, 64, 21, 13],
];

const OPENCV = `
import base64, json, sys
import cv2, numpy as np
out = []
for c in json.load(sys.stdin):
    src = np.frombuffer(base64.b64decode(c["src"]), np.uint8).reshape(c["h"], c["w"])
    out.append(base64.b64encode(cv2.resize(src, (c["dw"], c["dh"]), interpolation=cv2.INTER_AREA).tobytes()).decode())
json.dump(out, sys.stdout)
`;

test('area resize is bit-identical to OpenCV INTER_AREA on random images', { skip: referenceSkipReason() }, () => {
  const { resizeArea } = loadAleAddon();
  const rng = new Rng(99);
  const images = CASES.flatMap(([w, h, dw, dh]) =>
    Array.from({ length: 5 }, () => ({ w, h, dw, dh, src: Uint8Array.from({ length: w * h }, () => rng.int(256)) })),
  );
  const request = images.map(({ w, h, dw, dh, src }) => ({ w, h, dw, dh, src: Buffer.from(src).toString('base64') }));
  const expected = JSON.parse(runVenvPython(['-c', OPENCV], JSON.stringify(request))) as string[];
  images.forEach(({ w, h, dw, dh, src }, i) => {
    const ours = Buffer.from(resizeArea(src, w, h, dw, dh));
    assert.equal(ours.toString('base64'), expected[i], `image ${i} (${w}×${h} → ${dw}×${dh})`);
  });
});

test('area resize of a constant image is that constant, and of a known 4×2 → 2×1 block the rounded mean', () => {
  const { resizeArea } = loadAleAddon();
  assert.deepEqual(
    [...resizeArea(new Uint8Array(160 * 210).fill(137), 160, 210, 84, 84).subarray(0, 5)],
    [137, 137, 137, 137, 137],
  );
  // Each output averages a 2×2 block: (0+1+2+3)/4 = 1.5 rounds to even 2; (10+20+30+41)/4 = 25.25 → 25.
  assert.deepEqual([...resizeArea(Uint8Array.from([0, 1, 10, 20, 2, 3, 30, 41]), 4, 2, 2, 1)], [2, 25]);
});
