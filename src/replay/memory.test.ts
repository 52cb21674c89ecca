import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createBatch, type MemoryConfig, ReplayMemory } from './memory';

const minatar: MemoryConfig = {
  capacity: 4,
  frameShape: [10, 10, 4],
  stackSize: 1,
  numActions: 6,
  legalActions: [0, 1, 2, 3, 4, 5],
  bitPacked: true,
};

/** A 0/1 frame whose pattern depends on `seed`. */
function binaryFrame(values: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: values }, (_, i) => ((i * 7 + seed * 13) % 5 < 2 ? 1 : 0));
}

test('bit-packed MinAtar frames, q_T, V_T, action, reward and terminal read back exactly; the ring wraps', () => {
  const memory = new ReplayMemory(minatar);
  for (let t = 0; t < 6; t++) {
    memory.add({
      frame: binaryFrame(400, t),
      action: t % 6,
      reward: 127 - 50 * t, // down to -123: the signed byte round-trips
      terminal: t === 2,
      teacherQ: [t, 1, 2, 3, 4, 10 - t],
    });
  }
  assert.equal(memory.size, 4);
  const batch = createBatch(memory, 3);
  batch.indices.set([0, 1, 3]); // slots 0 and 1 now hold additions 4 and 5; slot 3 holds addition 3
  memory.read(batch);
  assert.deepEqual(Array.from(batch.observations.subarray(0, 400)), Array.from(binaryFrame(400, 4)));
  assert.deepEqual(Array.from(batch.observations.subarray(400, 800)), Array.from(binaryFrame(400, 5)));
  assert.deepEqual(Array.from(batch.observations.subarray(800)), Array.from(binaryFrame(400, 3)));
  assert.deepEqual(Array.from(batch.teacherQ), [4, 1, 2, 3, 4, 6, 5, 1, 2, 3, 4, 5, 3, 1, 2, 3, 4, 7]);
  assert.deepEqual(Array.from(batch.stateValues), [6, 5, 7]);
  assert.deepEqual(Array.from(batch.actions), [4, 5, 3]);
  assert.deepEqual(Array.from(batch.rewards), [-73, -123, -23]);
  assert.deepEqual(Array.from(batch.terminals), [0, 0, 0]);
  assert.deepEqual(Array.from(batch.legalMask), [1, 1, 1, 1, 1, 1]);
});

test('frames whose size is not a multiple of 8 values pack and unpack exactly (freeway: 10×10×7)', () => {
  const memory = new ReplayMemory({ ...minatar, frameShape: [10, 10, 7] });
  const frame = binaryFrame(700, 9);
  memory.add({ frame, action: 0, reward: 0, terminal: true, teacherQ: [0, 0, 0, 0, 0, 0] });
  const batch = createBatch(memory, 1);
  memory.read(batch);
  assert.deepEqual(Array.from(batch.observations), Array.from(frame));
  assert.deepEqual(Array.from(batch.terminals), [1]);
  assert.equal(memory.frameBytes, 88);
});

test('V_T is the maximum over the legal actions only', () => {
  const memory = new ReplayMemory({ ...minatar, legalActions: [1, 3] });
  memory.add({ frame: binaryFrame(400, 0), action: 1, reward: 0, terminal: false, teacherQ: [9, 2, 8, 5, 7, 6] });
  assert.equal(memory.stateValue(0), 5);
  assert.deepEqual(Array.from(memory.legalMask), [0, 1, 0, 1, 0, 0]);
});

test('stacks are rebuilt from single frames, zero before an episode start, across the ring wrap', () => {
  // 2×1 frames with one channel, frame t = [t, 100 + t]; stacks of 3; capacity 4 (frame ring of 6).
  const memory = new ReplayMemory({
    capacity: 4,
    frameShape: [2, 1, 1],
    stackSize: 3,
    numActions: 2,
    legalActions: [0, 1],
    bitPacked: false,
  });
  // Episodes: additions 0–2 (2 terminal), 3–4 (4 truncated), 5–8.
  for (let t = 0; t < 9; t++) {
    memory.add({
      frame: Uint8Array.of(t, 100 + t),
      action: 0,
      reward: 0,
      terminal: t === 2,
      truncated: t === 4,
      teacherQ: [0, 0],
    });
  }
  // Stored: additions 5, 6, 7, 8 in slots 1, 2, 3, 0.
  const batch = createBatch(memory, 4);
  batch.indices.set([1, 2, 3, 0]);
  memory.read(batch);
  // NHWC with the oldest frame first: pixel 0 then pixel 1, three channels each.
  assert.deepEqual(
    Array.from(batch.observations),
    [
      [0, 0, 5, 0, 0, 105], // addition 5 starts its episode: two zero frames
      [0, 5, 6, 0, 105, 106],
      [5, 6, 7, 105, 106, 107],
      [6, 7, 8, 106, 107, 108], // addition 8's history reaches back past the ring wrap
    ].flat(),
  );
  assert.equal(memory.observationBytes, 6);
});

test("first-frame padding: positions before an episode's first frame repeat it, across the ring wrap", () => {
  // As above, frame t = [t, 100 + t], stacks of 3, but capacity 6 (frame ring of 8) and Atari's padding.
  const memory = new ReplayMemory({
    capacity: 6,
    frameShape: [2, 1, 1],
    stackSize: 3,
    numActions: 2,
    legalActions: [0, 1],
    bitPacked: false,
    stackPadding: 'firstFrame',
  });
  // Episodes: additions 0–5 (5 terminal, like a lost life), 6 alone (truncated), 7–10.
  for (let t = 0; t < 11; t++) {
    memory.add({
      frame: Uint8Array.of(t, 100 + t),
      action: 0,
      reward: 0,
      terminal: t === 5,
      truncated: t === 6,
      teacherQ: [0, 0],
    });
  }
  // Stored: additions 5–10 in slots 5, 0, 1, 2, 3, 4; their frames in frame slots 5, 6, 7, 0, 1, 2.
  const batch = createBatch(memory, 6);
  batch.indices.set([5, 0, 1, 2, 3, 4]);
  memory.read(batch);
  const stack = (frames: number[]) => [...frames, ...frames.map((t) => 100 + t)];
  assert.deepEqual(
    Array.from(batch.observations),
    [
      stack([3, 4, 5]), // the terminal step: its own episode's frames only
      stack([6, 6, 6]), // a one-step episode after the terminal: its first frame three times
      stack([7, 7, 7]), // an episode start after a truncation
      stack([7, 7, 8]), // its second step: the first frame pads the oldest position (frame slots 7, 7, 0)
      stack([7, 8, 9]),
      stack([8, 9, 10]),
    ].flat(),
  );
  assert.equal(memory.stackPadding, 'firstFrame');
  assert.equal(new ReplayMemory({ ...minatar }).stackPadding, 'zeros');
});

test('stack history survives for the oldest stored experience (frames kept beyond the capacity)', () => {
  const memory = new ReplayMemory({
    capacity: 2,
    frameShape: [1, 1, 1],
    stackSize: 4,
    numActions: 1,
    legalActions: [0],
    bitPacked: false,
  });
  for (let t = 0; t < 7; t++)
    memory.add({ frame: Uint8Array.of(t + 1), action: 0, reward: 0, terminal: false, teacherQ: [0] });
  const batch = createBatch(memory, 2);
  batch.indices.set([1, 0]); // additions 5 and 6
  memory.read(batch);
  assert.deepEqual(Array.from(batch.observations), [3, 4, 5, 6, 4, 5, 6, 7]);
});

test('bytes per experience: one frame + q_T + 3 bytes (action, flags, reward), within 1.05× of frame + q_T', () => {
  // MinAtar breakout: 50 packed bytes + 3 + 6 × 4 = 77 = 1.041 × (50 + 24).
  const minatarBytes = new ReplayMemory({ ...minatar, capacity: 1000 }).bytesPerExperience;
  assert.equal(minatarBytes, 77);
  // Every MinAtar game's channel count (asterix … space_invaders): 77, 115, 152, 102 B, all ≤ 1.05×.
  for (const [channels, bytes] of [
    [4, 77],
    [7, 115],
    [10, 152],
    [6, 102],
  ]) {
    const memory = new ReplayMemory({ ...minatar, capacity: 100_000, frameShape: [10, 10, channels] });
    assert.equal(memory.bytesPerExperience, bytes);
    assert.ok(bytes <= 1.05 * (Math.ceil((100 * channels) / 8) + 24), `${channels} channels: ${bytes} B`);
  }
  // Atari, stacks of 4: (7,056 + 3 + 1 to a whole word) per frame with 3 extra frames shared by 1,000 slots, + 18 × 4.
  const atari = new ReplayMemory({
    capacity: 1000,
    frameShape: [84, 84, 1],
    stackSize: 4,
    numActions: 18,
    legalActions: [0, 1, 3, 4],
    bitPacked: false,
  });
  assert.equal(atari.bytesPerExperience, (1003 * 7060) / 1000 + 72);
});

test('bad experiences and configurations are refused with the value named, before anything is stored', () => {
  const memory = new ReplayMemory(minatar);
  const good = { frame: binaryFrame(400, 0), action: 0, reward: 0, terminal: false, teacherQ: [0, 0, 0, 0, 0, 0] };
  assert.throws(
    () => memory.add({ ...good, frame: new Uint8Array(399) }),
    /frame must be a Uint8Array of 400 values \(shape \[10, 10, 4\]\), got length 399/,
  );
  const notBinary = binaryFrame(400, 0);
  notBinary[17] = 2;
  assert.throws(() => memory.add({ ...good, frame: notBinary }), /hold only 0 and 1, got 2 at position 17/);
  assert.throws(() => memory.add({ ...good, action: 6 }), /action must be an integer in \[0, 6\), got 6/);
  for (const reward of [Number.NaN, 0.5, 128, -129]) {
    assert.throws(
      () => memory.add({ ...good, reward }),
      new RegExp(`reward must be an integer in \\[-128, 127\\].*got ${reward}$`),
    );
  }
  assert.throws(
    () => memory.add({ ...good, teacherQ: [0, 0, Number.NaN, 0, 0, 0] }),
    /teacherQ must be finite, got NaN at action 2/,
  );
  assert.throws(() => memory.add({ ...good, teacherQ: [0] }), /teacherQ must hold 6 values, got 1/);
  assert.equal(memory.size, 0);
  const batch = createBatch(memory, 1);
  assert.throws(() => memory.read(batch), /index 0 at position 0 is not a stored experience \(memory holds 0\)/);
  assert.throws(() => new ReplayMemory({ ...minatar, capacity: 0 }), /capacity must be an integer >= 1, got 0/);
  assert.throws(
    () => new ReplayMemory({ ...minatar, legalActions: [2, 1] }),
    /ascending distinct indices in \[0, 6\), got \[2, 1\]/,
  );
  assert.throws(() => new ReplayMemory({ ...minatar, stackSize: 0 }), /stackSize must be an integer >= 1, got 0/);
  assert.throws(
    () => new ReplayMemory({ ...minatar, stackPadding: 'first' as never }),
    /stackPadding must be 'zeros' or 'firstFrame', got "first"/,
  );
  assert.throws(() => createBatch(memory, 0), /batch size must be an integer >= 1, got 0/);
});

for (const [side, path, stackPadding] of [
  [84, 'four pixels per 32-bit read', 'zeros'],
  [9, 'byte by byte: 81 pixels are not whole words', 'zeros'],
  [84, 'four pixels per 32-bit read', 'firstFrame'],
  [9, 'byte by byte: 81 pixels are not whole words', 'firstFrame'],
] as const) {
  test(`Atari layout (4 single-channel ${side}×${side} frames, ${path}): interleaved stacks, ${stackPadding} before the episode start`, () => {
    const pixels = side * side;
    const memory = new ReplayMemory({
      capacity: 3,
      frameShape: [side, side, 1],
      stackSize: 4,
      numActions: 18,
      legalActions: [0, 1],
      bitPacked: false,
      stackPadding,
    });
    const frame = (t: number) => Uint8Array.from({ length: pixels }, (_, p) => (p * 31 + t * 57) % 256);
    // Additions 0–1 end an episode (1 terminal); 2–5 form the next; capacity 3 keeps 3, 4, 5.
    for (let t = 0; t < 6; t++)
      memory.add({ frame: frame(t), action: 0, reward: 0, terminal: t === 1, teacherQ: new Array(18).fill(0) });
    const batch = createBatch(memory, 3);
    batch.indices.set([0, 1, 2]); // additions 3 (episode frames 2, 3), 4 (frames 2–4) and 5 (frames 2–5)
    memory.read(batch);
    const expected = (frames: (number | null)[]) =>
      Array.from({ length: pixels * 4 }, (_, i) => {
        const t = frames[i % 4];
        return t === null ? 0 : frame(t)[Math.floor(i / 4)];
      });
    const pad = stackPadding === 'zeros' ? null : 2; // the episode's first frame is addition 2's
    const row = (i: number) => Array.from(batch.observations.subarray(i * pixels * 4, (i + 1) * pixels * 4));
    assert.deepEqual(row(0), expected([pad, pad, 2, 3]));
    assert.deepEqual(row(1), expected([pad, 2, 3, 4]));
    assert.deepEqual(row(2), expected([2, 3, 4, 5]));
  });
}
