import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NATURE_DQN, type QNetworkSpec, qNetwork } from '../nn/qnetwork';
import { Rng } from '../util/rng';
import { expandToActionSet, teacherLabels } from './teacher-values';

test('expandToActionSet places legal-action values at their actions and 0 elsewhere', () => {
  const out = new Float32Array(6).fill(9);
  expandToActionSet([1.5, -2, 3], [0, 2, 5], out);
  assert.deepEqual(Array.from(out), [1.5, 0, -2, 0, 0, 3]);
  assert.throws(() => expandToActionSet([1, 2], [0, 2, 5], out), /expected 3 Q-values \(one per legal action\), got 2/);
});

const CASES: { name: string; network: QNetworkSpec; shape: [number, number, number]; scale: number }[] = [
  {
    name: 'MinAtar net',
    network: { convs: [{ filters: 4, kernel: 3, stride: 1 }], hidden: [16] },
    shape: [6, 6, 3],
    scale: 1,
  },
  { name: 'Nature net', network: { ...NATURE_DQN, hidden: [32] }, shape: [36, 36, 4], scale: 1 / 255 },
  {
    name: 'PQN net (LayerNorm head)',
    network: { convs: [{ filters: 4, kernel: 3, stride: 1 }], hidden: [16], layerNorm: true },
    shape: [6, 6, 3],
    scale: 1,
  },
];

for (const { name, network, shape, scale } of CASES) {
  test(`${name}: the teacher's forward graph labels experiences as the eager pass does`, () => {
    const legalActions = [1, 2, 4];
    const teacher = qNetwork('teacher', network, shape, legalActions.length, new Rng(4));
    try {
      const options = { teacher, network, observationShape: shape, inputScale: scale, legalActions };
      const graph = teacherLabels(options, 'graph');
      const eager = teacherLabels(options, 'eager');
      assert.equal(graph.route, 'graph');
      const rng = new Rng(8);
      const n = 3;
      const frames = new Uint8Array(4 * shape[0] * shape[1] * shape[2]).map(() =>
        Math.floor(rng.random() * 256 * scale),
      );
      const [fromGraph, fromEager] = [new Float32Array(n * 6), new Float32Array(n * 6)];
      graph.label(frames, n, fromGraph);
      eager.label(frames, n, fromEager);
      for (let i = 0; i < fromEager.length; i++) {
        assert.ok(Math.abs(fromGraph[i] - fromEager[i]) <= 1e-5 * Math.max(1, Math.abs(fromEager[i])), `value ${i}`);
        if (!legalActions.includes(i % 6)) assert.equal(fromGraph[i], 0);
      }
      assert.ok(fromEager.some((v) => v !== 0));
    } finally {
      for (const v of teacher.variables) v.dispose();
    }
  });
}

test('a teacher network without an exported graph cannot take the graph route', () => {
  const network = { convs: [{ filters: 4, kernel: 5, stride: 2 }], hidden: [8] };
  const teacher = qNetwork('teacher', network, [12, 12, 1], 2, new Rng(1));
  const options = { teacher, network, observationShape: [12, 12, 1] as const, inputScale: 1, legalActions: [0, 1] };
  assert.equal(teacherLabels(options).route, 'eager');
  assert.throws(() => teacherLabels(options, 'graph'), /no forward graph for a teacher network .*use the eager route/);
  for (const v of teacher.variables) v.dispose();
});
