/**
 * Per-game replay storage: a ring of `capacity` experiences that stores each frame once, rebuilding
 * stacks of `stackSize` frames on read (Dopamine's layout). The frame ring keeps stackSize − 1 extra
 * frames, so the oldest stored experience still has its whole history. A stack never reaches into the
 * previous episode: frames before an episode's first are zeros, which the acting side must match when
 * it builds the teacher's input. Binary frames (MinAtar's 0/1 planes) are stored 8 values per byte.
 */
import { stateValue } from './priority';

export interface MemoryConfig {
  readonly capacity: number;
  /** [height, width, channels] of one frame (an observation is stackSize frames along channels). */
  readonly frameShape: readonly [number, number, number];
  readonly stackSize: number;
  /** Size of the suite's full action set (length of every q_T). */
  readonly numActions: number;
  /** The game's legal actions (indices into the full set): V_T and the legal mask use them. */
  readonly legalActions: readonly number[];
  /** Frames hold only 0 and 1 and are stored bit-packed. */
  readonly bitPacked: boolean;
}

export interface Experience {
  /** The newest frame of the state, H × W × C uint8. */
  readonly frame: Uint8Array;
  readonly action: number;
  readonly reward: number;
  /** The episode ended by the game's rules after this step. */
  readonly terminal: boolean;
  /** The episode was cut by a time limit after this step. */
  readonly truncated?: boolean;
  /** The teacher's Q-values for the state, over the suite's full action set. */
  readonly teacherQ: ArrayLike<number>;
}

/** A caller-owned batch, allocated once by `createBatch` and overwritten by every draw. */
export interface ReplayBatch {
  readonly size: number;
  readonly indices: Int32Array;
  /** Importance weights divided by the batch maximum. */
  readonly weights: Float32Array;
  /** [size, H, W, C · stackSize] uint8, NHWC, the oldest frame's channels first. */
  readonly observations: Uint8Array;
  /** [size, numActions]. */
  readonly teacherQ: Float32Array;
  readonly stateValues: Float32Array;
  readonly actions: Uint8Array;
  readonly rewards: Float32Array;
  readonly terminals: Uint8Array;
  /** [numActions]: 1 for the game's legal actions (the same for every row). */
  readonly legalMask: Uint8Array;
}

export interface MemoryState {
  readonly scalars: Record<string, number>;
  readonly arrays: Record<string, Uint8Array | Float32Array>;
}

const TERMINAL = 1;
const TRUNCATED = 2;
/** Frames per storage chunk are a power of two with at most 2^30 bytes a chunk (typed arrays stop at 2^32). */
const CHUNK_BYTES = 2 ** 30;
/** UNPACK[8·b + i] = bit i of byte b. */
const UNPACK = new Uint8Array(256 * 8).map((_, k) => ((k >> 3) >> (k & 7)) & 1);

export class ReplayMemory {
  readonly capacity: number;
  readonly frameShape: readonly [number, number, number];
  readonly stackSize: number;
  readonly numActions: number;
  readonly legalActions: readonly number[];
  readonly legalMask: Uint8Array;
  readonly bitPacked: boolean;
  /** Values in one frame (H·W·C) and bytes it takes in storage. */
  readonly frameValues: number;
  readonly frameBytes: number;
  private readonly frameSlots: number;
  private readonly chunkShift: number;
  private readonly frames: Uint8Array[];
  /** 1 where a frame is its episode's first (only kept when stacks span several frames). */
  private readonly episodeStarts: Uint8Array;
  private readonly actions: Uint8Array;
  private readonly rewards: Float32Array;
  private readonly flags: Uint8Array;
  private readonly teacherQ: Float32Array;
  private readonly stateValues: Float32Array;
  private readonly unpacked: Uint8Array;
  private added = 0;

  constructor(config: MemoryConfig) {
    checkMemoryConfig(config);
    const { capacity, frameShape, stackSize, numActions, legalActions, bitPacked } = config;
    this.capacity = capacity;
    this.frameShape = [...frameShape] as [number, number, number];
    this.stackSize = stackSize;
    this.numActions = numActions;
    this.legalActions = [...legalActions];
    this.bitPacked = bitPacked;
    this.legalMask = new Uint8Array(numActions);
    for (const a of legalActions) this.legalMask[a] = 1;
    this.frameValues = frameShape[0] * frameShape[1] * frameShape[2];
    this.frameBytes = bitPacked ? Math.ceil(this.frameValues / 8) : this.frameValues;
    this.frameSlots = capacity + stackSize - 1;
    this.chunkShift = Math.min(
      Math.floor(Math.log2(CHUNK_BYTES / this.frameBytes)),
      Math.ceil(Math.log2(this.frameSlots)),
    );
    const perChunk = 2 ** this.chunkShift;
    this.frames = [];
    for (let first = 0; first < this.frameSlots; first += perChunk) {
      this.frames.push(new Uint8Array(Math.min(perChunk, this.frameSlots - first) * this.frameBytes));
    }
    this.episodeStarts = new Uint8Array(stackSize > 1 ? this.frameSlots : 0);
    this.actions = new Uint8Array(capacity);
    this.rewards = new Float32Array(capacity);
    this.flags = new Uint8Array(capacity);
    this.teacherQ = new Float32Array(capacity * numActions);
    this.stateValues = new Float32Array(capacity);
    this.unpacked = new Uint8Array(this.frameValues);
  }

  /** Experiences stored (at most the capacity). */
  get size(): number {
    return Math.min(this.added, this.capacity);
  }

  /** Experiences added since creation (the ring's write cursor). */
  get additions(): number {
    return this.added;
  }

  /** Bytes of storage per experience slot: frames, q_T, V_T, action, reward, flags (and episode starts). */
  get bytesPerExperience(): number {
    const frameStore = this.frameSlots * (this.frameBytes + (this.stackSize > 1 ? 1 : 0));
    const perSlot = this.numActions * 4 + 4 + 1 + 4 + 1;
    return frameStore / this.capacity + perSlot;
  }

  /** Bytes per observation a batch row holds (H·W·C·stackSize). */
  get observationBytes(): number {
    return this.frameValues * this.stackSize;
  }

  /** Stores `experience` (V_T computed over the legal actions) and returns its slot. */
  add(experience: Experience): number {
    this.checkExperience(experience);
    const slot = this.added % this.capacity;
    const frameSlot = this.added % this.frameSlots;
    const chunk = this.frames[frameSlot >>> this.chunkShift];
    const offset = (frameSlot & ((1 << this.chunkShift) - 1)) * this.frameBytes;
    if (this.bitPacked) packBits(experience.frame, chunk, offset, this.frameBytes);
    else chunk.set(experience.frame, offset);
    if (this.stackSize > 1) {
      const previousEnded = this.added > 0 && this.flags[(this.added - 1) % this.capacity] !== 0;
      this.episodeStarts[frameSlot] = this.added === 0 || previousEnded ? 1 : 0;
    }
    const q = this.teacherQ;
    const base = slot * this.numActions;
    for (let a = 0; a < this.numActions; a++) q[base + a] = experience.teacherQ[a];
    this.stateValues[slot] = stateValue(q, this.legalActions, base);
    this.actions[slot] = experience.action;
    this.rewards[slot] = experience.reward;
    this.flags[slot] = (experience.terminal ? TERMINAL : 0) | (experience.truncated ? TRUNCATED : 0);
    this.added++;
    return slot;
  }

  /** V_T of the experience at `slot`. */
  stateValue(slot: number): number {
    return this.stateValues[slot];
  }

  /** Writes the experiences at `batch.indices` into the batch's arrays (no allocation). */
  read(batch: ReplayBatch): void {
    const { indices, observations, teacherQ, stateValues, actions, rewards, terminals } = batch;
    const obsBytes = this.observationBytes;
    const A = this.numActions;
    for (let i = 0; i < indices.length; i++) {
      const slot = indices[i];
      if (!(slot >= 0 && slot < this.size)) {
        throw new RangeError(`index ${slot} at position ${i} is not a stored experience (memory holds ${this.size})`);
      }
    }
    for (let i = 0; i < indices.length; i++) {
      const slot = indices[i];
      this.writeObservation(slot, observations, i * obsBytes);
      const from = slot * A;
      const to = i * A;
      for (let a = 0; a < A; a++) teacherQ[to + a] = this.teacherQ[from + a];
      stateValues[i] = this.stateValues[slot];
      actions[i] = this.actions[slot];
      rewards[i] = this.rewards[slot];
      terminals[i] = this.flags[slot] & TERMINAL;
    }
  }

  saveState(): MemoryState {
    const arrays: Record<string, Uint8Array | Float32Array> = {
      episodeStarts: this.episodeStarts,
      actions: this.actions,
      rewards: this.rewards,
      flags: this.flags,
      teacherQ: this.teacherQ,
      stateValues: this.stateValues,
    };
    this.frames.forEach((chunk, k) => {
      arrays[`frames.${k}`] = chunk;
    });
    return { scalars: { added: this.added }, arrays };
  }

  /** Restores what `saveState` returned for a memory of the same configuration; checks everything first. */
  restoreState(state: MemoryState): void {
    const { added } = state.scalars;
    if (!(Number.isInteger(added) && added >= 0))
      throw new RangeError(`memory state: 'added' must be an integer >= 0, got ${added}`);
    const own = this.saveState().arrays;
    for (const [name, target] of Object.entries(own)) {
      const source = state.arrays[name];
      if (!source || source.constructor !== target.constructor || source.length !== target.length) {
        throw new RangeError(`memory state: '${name}' must be a ${target.constructor.name} of length ${target.length}`);
      }
    }
    for (const [name, target] of Object.entries(own)) target.set(state.arrays[name] as never);
    this.added = added;
  }

  /** Writes the stack ending at the experience in `slot` into `out` at `at`. */
  private writeObservation(slot: number, out: Uint8Array, at: number): void {
    // The addition that wrote `slot` last, then how far back its episode's frames reach (≤ stackSize).
    const time = this.added - 1 - ((this.added - 1 - slot) % this.capacity);
    const S = this.stackSize;
    if (S === 1) {
      this.writeFrame(time, out, at);
      return;
    }
    let depth = 1;
    while (depth < S && this.episodeStarts[(time - depth + 1) % this.frameSlots] === 0) depth++;
    const C = this.frameShape[2];
    const pixels = this.frameValues / C;
    for (let k = 0; k < S; k++) {
      const back = S - 1 - k;
      if (back < depth) this.writeFrame(time - back, this.unpacked, 0);
      else this.unpacked.fill(0);
      const src = this.unpacked;
      let o = at + k * C;
      for (let p = 0, s = 0; p < pixels; p++, o += C * S) {
        for (let c = 0; c < C; c++) out[o + c] = src[s++];
      }
    }
  }

  /** Writes the frame added at `time` (H·W·C values) into `out` at `at`. */
  private writeFrame(time: number, out: Uint8Array, at: number): void {
    const frameSlot = time % this.frameSlots;
    const chunk = this.frames[frameSlot >>> this.chunkShift];
    const offset = (frameSlot & ((1 << this.chunkShift) - 1)) * this.frameBytes;
    if (this.bitPacked) unpackBits(chunk, offset, this.frameValues, out, at);
    else out.set(chunk.subarray(offset, offset + this.frameBytes), at);
  }

  private checkExperience(e: Experience): void {
    if (!(e.frame instanceof Uint8Array) || e.frame.length !== this.frameValues) {
      throw new RangeError(
        `frame must be a Uint8Array of ${this.frameValues} values (shape [${this.frameShape.join(', ')}]), got ${e.frame instanceof Uint8Array ? `length ${e.frame.length}` : String(e.frame)}`,
      );
    }
    if (this.bitPacked) {
      const bad = e.frame.findIndex((v) => v > 1);
      if (bad >= 0) throw new RangeError(`bit-packed frames hold only 0 and 1, got ${e.frame[bad]} at position ${bad}`);
    }
    if (!(Number.isInteger(e.action) && e.action >= 0 && e.action < this.numActions)) {
      throw new RangeError(`action must be an integer in [0, ${this.numActions}), got ${e.action}`);
    }
    if (!Number.isFinite(e.reward)) throw new RangeError(`reward must be a finite number, got ${e.reward}`);
    if (e.teacherQ.length !== this.numActions) {
      throw new RangeError(`teacherQ must hold ${this.numActions} values, got ${e.teacherQ.length}`);
    }
    for (let a = 0; a < this.numActions; a++) {
      if (!Number.isFinite(e.teacherQ[a]))
        throw new RangeError(`teacherQ must be finite, got ${e.teacherQ[a]} at action ${a}`);
    }
  }
}

/** Allocates a batch of `size` rows for `memory` (done once; every draw overwrites it). */
export function createBatch(memory: ReplayMemory, size: number): ReplayBatch {
  if (!(Number.isInteger(size) && size >= 1)) throw new RangeError(`batch size must be an integer >= 1, got ${size}`);
  return {
    size,
    indices: new Int32Array(size),
    weights: new Float32Array(size),
    observations: new Uint8Array(size * memory.observationBytes),
    teacherQ: new Float32Array(size * memory.numActions),
    stateValues: new Float32Array(size),
    actions: new Uint8Array(size),
    rewards: new Float32Array(size),
    terminals: new Uint8Array(size),
    legalMask: memory.legalMask,
  };
}

function checkMemoryConfig(config: MemoryConfig): void {
  const { capacity, frameShape, stackSize, numActions, legalActions, bitPacked } = config;
  if (!(Number.isInteger(capacity) && capacity >= 1))
    throw new RangeError(`capacity must be an integer >= 1, got ${capacity}`);
  if (frameShape.length !== 3 || !frameShape.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new RangeError(
      `frameShape must be [height, width, channels] of positive integers, got [${frameShape.join(', ')}]`,
    );
  }
  if (!(Number.isInteger(stackSize) && stackSize >= 1))
    throw new RangeError(`stackSize must be an integer >= 1, got ${stackSize}`);
  if (!(Number.isInteger(numActions) && numActions >= 1 && numActions <= 256)) {
    throw new RangeError(`numActions must be an integer in [1, 256], got ${numActions}`);
  }
  const sorted = legalActions.every(
    (a, i) => Number.isInteger(a) && a >= 0 && a < numActions && (i === 0 || a > legalActions[i - 1]),
  );
  if (legalActions.length === 0 || !sorted) {
    throw new RangeError(
      `legalActions must be ascending distinct indices in [0, ${numActions}), got [${legalActions.join(', ')}]`,
    );
  }
  if (typeof bitPacked !== 'boolean') throw new RangeError(`bitPacked must be a boolean, got ${bitPacked}`);
}

/** Packs 0/1 values 8 per byte, least significant bit first. */
function packBits(values: Uint8Array, out: Uint8Array, at: number, bytes: number): void {
  for (let b = 0; b < bytes; b++) {
    let byte = 0;
    const first = b * 8;
    const last = Math.min(first + 8, values.length);
    for (let i = first; i < last; i++) byte |= values[i] << (i - first);
    out[at + b] = byte;
  }
}

function unpackBits(packed: Uint8Array, from: number, count: number, out: Uint8Array, at: number): void {
  const whole = count >>> 3;
  let o = at;
  for (let b = 0; b < whole; b++, o += 8) {
    const k = packed[from + b] << 3;
    out[o] = UNPACK[k];
    out[o + 1] = UNPACK[k + 1];
    out[o + 2] = UNPACK[k + 2];
    out[o + 3] = UNPACK[k + 3];
    out[o + 4] = UNPACK[k + 4];
    out[o + 5] = UNPACK[k + 5];
    out[o + 6] = UNPACK[k + 6];
    out[o + 7] = UNPACK[k + 7];
  }
  const rest = packed[from + whole];
  for (let i = 0; i < (count & 7); i++) out[o + i] = (rest >> i) & 1;
}
