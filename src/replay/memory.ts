/**
 * Per-game replay storage: a ring of `capacity` experiences that stores each frame once, rebuilding
 * stacks of `stackSize` frames on read (Dopamine's layout). The frame ring keeps stackSize − 1 extra
 * frames, so the oldest stored experience still has its whole history. A stack never reaches into the
 * previous episode: an experience starts an episode when it is the first stored or follows a terminal or
 * truncated one, and the positions before an episode's first frame hold zeros (`stackPadding: 'zeros'`)
 * or copies of that first frame (`'firstFrame'`, the Atari environment's padding after every reset), which
 * the acting side must match when it builds the network's input. Binary frames (MinAtar's 0/1 planes) are
 * stored 8 values per byte.
 * Layout, chosen so a read touches few cache lines: a frame record per frame slot holds the frame, the
 * action, a flags byte (terminal, truncated, episode start) and the reward as a signed byte (MinAtar's
 * rewards and Atari's clipped ones are small integers); a value record per experience slot holds q_T as
 * float32. V_T is not stored: it is the maximum of the stored q_T over the legal actions, recomputed
 * exactly when needed, which keeps a MinAtar experience within 1.05× of its packed frame and q_T.
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
  /**
   * What a rebuilt stack holds before its episode's first frame: zeros (the default; what distillation's
   * acting side builds) or copies of the episode's first frame (src/env/atari's stacks after every reset).
   */
  readonly stackPadding?: StackPadding;
}

export type StackPadding = 'zeros' | 'firstFrame';

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
const EPISODE_START = 4;
/** Frame records per storage chunk: a power of two, at most 2^30 bytes a chunk (typed arrays stop at 2^32). */
const CHUNK_BYTES = 2 ** 30;
/** UNPACK[2·b], UNPACK[2·b + 1]: bits 0–3 and 4–7 of byte b as four 0/1 bytes each (little-endian words). */
const UNPACK = new Uint32Array(new Uint8Array(256 * 8).map((_, k) => ((k >> 3) >> (k & 7)) & 1).buffer);

export class ReplayMemory {
  readonly capacity: number;
  readonly frameShape: readonly [number, number, number];
  readonly stackSize: number;
  readonly numActions: number;
  readonly legalActions: readonly number[];
  readonly legalMask: Uint8Array;
  readonly bitPacked: boolean;
  readonly stackPadding: StackPadding;
  /** Values in one frame (H·W·C) and bytes it takes in storage. */
  readonly frameValues: number;
  readonly frameBytes: number;
  private readonly frameSlots: number;
  /** Frame record: frame bytes, action, flags, reward. */
  private readonly frameRecord: number;
  private readonly chunkShift: number;
  private readonly chunkMask: number;
  private readonly frames: Uint8Array[];
  /** The same chunks as 32-bit words (whole when records are, i.e. for byte frames). */
  private readonly frameWords: Uint32Array[];
  /** Value record (float32s): q_T over the full action set. */
  private readonly valueRecord: number;
  private readonly values: Float32Array;
  /** Scratch frame for stacking and unaligned rows, with its 32-bit view. */
  private readonly unpacked: Uint8Array;
  private readonly unpackedWords: Uint32Array;
  /** The frame before an episode's first (all zeros). */
  private readonly zeroFrame: Uint32Array;
  /** The 32-bit view of the last batch read into (made once per batch array). */
  private batchWords: Uint32Array | null = null;
  private batchWordsOf: Uint8Array | null = null;
  private added = 0;
  /** Sum of the values `read` touched ahead, kept so that those reads are not optimised away. */
  touchedSum = 0;

  constructor(config: MemoryConfig) {
    checkMemoryConfig(config);
    const { capacity, frameShape, stackSize, numActions, legalActions, bitPacked } = config;
    this.capacity = capacity;
    this.frameShape = [...frameShape] as [number, number, number];
    this.stackSize = stackSize;
    this.numActions = numActions;
    this.legalActions = [...legalActions];
    this.bitPacked = bitPacked;
    this.stackPadding = config.stackPadding ?? 'zeros';
    this.legalMask = new Uint8Array(numActions);
    for (const a of legalActions) this.legalMask[a] = 1;
    this.frameValues = frameShape[0] * frameShape[1] * frameShape[2];
    this.frameBytes = bitPacked ? Math.ceil(this.frameValues / 8) : this.frameValues;
    this.frameSlots = capacity + stackSize - 1;
    // Byte frames get records of whole 32-bit words, so that stacks can be composed four pixels at a time.
    this.frameRecord = bitPacked ? this.frameBytes + 3 : Math.ceil((this.frameBytes + 3) / 4) * 4;
    this.chunkShift = Math.min(
      Math.floor(Math.log2(CHUNK_BYTES / this.frameRecord)),
      Math.ceil(Math.log2(this.frameSlots)),
    );
    this.chunkMask = 2 ** this.chunkShift - 1;
    const perChunk = 2 ** this.chunkShift;
    this.frames = [];
    for (let first = 0; first < this.frameSlots; first += perChunk) {
      this.frames.push(new Uint8Array(Math.min(perChunk, this.frameSlots - first) * this.frameRecord));
    }
    this.frameWords = this.frames.map((chunk) => new Uint32Array(chunk.buffer, 0, chunk.length >>> 2));
    this.valueRecord = numActions;
    this.values = new Float32Array(capacity * this.valueRecord);
    this.unpacked = new Uint8Array(Math.ceil(this.frameValues / 4) * 4);
    this.unpackedWords = new Uint32Array(this.unpacked.buffer);
    this.zeroFrame = new Uint32Array(Math.ceil(this.frameBytes / 4));
  }

  /** Experiences stored (at most the capacity). */
  get size(): number {
    return Math.min(this.added, this.capacity);
  }

  /** Bytes of storage per experience slot: frame, action, flags, reward, q_T (+ stackSize − 1 shared frames). */
  get bytesPerExperience(): number {
    return (this.frameSlots * this.frameRecord) / this.capacity + this.valueRecord * 4;
  }

  /** Bytes per observation a batch row holds (H·W·C·stackSize). */
  get observationBytes(): number {
    return this.frameValues * this.stackSize;
  }

  /** Stores `experience` (V_T computed over the legal actions) and returns its slot. */
  add(experience: Experience): number {
    this.checkExperience(experience);
    const slot = this.added % this.capacity;
    const chunk = this.chunkOf(this.added);
    const offset = this.offsetOf(this.added);
    if (this.bitPacked) packBits(experience.frame, chunk, offset, this.frameBytes);
    else chunk.set(experience.frame, offset);
    const startsEpisode = this.added === 0 || this.flagsIn((this.added - 1) % this.frameSlots) & (TERMINAL | TRUNCATED);
    chunk[offset + this.frameBytes] = experience.action;
    chunk[offset + this.frameBytes + 1] =
      (experience.terminal ? TERMINAL : 0) |
      (experience.truncated ? TRUNCATED : 0) |
      (startsEpisode ? EPISODE_START : 0);
    chunk[offset + this.frameBytes + 2] = experience.reward & 0xff;
    const values = this.values;
    const base = slot * this.valueRecord;
    for (let a = 0; a < this.numActions; a++) values[base + a] = experience.teacherQ[a];
    this.added++;
    return slot;
  }

  /** V_T of the experience at `slot`. */
  stateValue(slot: number): number {
    return stateValue(this.values, this.legalActions, slot * this.valueRecord);
  }

  /** Writes the experiences at `batch.indices` into the batch's arrays (no allocation). */
  read(batch: ReplayBatch): void {
    const { indices, observations, teacherQ, stateValues, actions, rewards, terminals } = batch;
    const obsBytes = this.observationBytes;
    const A = this.numActions;
    const values = this.values;
    const frameBytes = this.frameBytes;
    // Checking every index first also reads each one's records, so that their cache misses overlap.
    let touched = 0;
    for (let i = 0; i < indices.length; i++) {
      const slot = indices[i];
      if (!(slot >= 0 && slot < this.size)) {
        throw new RangeError(`index ${slot} at position ${i} is not a stored experience (memory holds ${this.size})`);
      }
      const frameSlot = this.stackSize === 1 ? slot : this.frameSlotOf(slot);
      touched += this.frames[frameSlot >>> this.chunkShift][(frameSlot & this.chunkMask) * this.frameRecord];
      touched += values[slot * this.valueRecord];
    }
    this.touchedSum = touched;
    for (let i = 0; i < indices.length; i++) {
      const slot = indices[i];
      // With single frames the frame ring is the slot ring; otherwise find the addition that last wrote `slot`.
      const frameSlot = this.stackSize === 1 ? slot : this.frameSlotOf(slot);
      const chunk = this.frames[frameSlot >>> this.chunkShift];
      const offset = (frameSlot & this.chunkMask) * this.frameRecord;
      if (this.stackSize === 1) this.writeFrame(chunk, offset, observations, i * obsBytes);
      else this.writeStack(frameSlot, observations, i * obsBytes);
      actions[i] = chunk[offset + frameBytes];
      terminals[i] = chunk[offset + frameBytes + 1] & TERMINAL;
      rewards[i] = (chunk[offset + frameBytes + 2] << 24) >> 24; // the signed byte, sign-extended
      const from = slot * this.valueRecord;
      const to = i * A;
      for (let a = 0; a < A; a++) teacherQ[to + a] = values[from + a];
      stateValues[i] = stateValue(values, this.legalActions, from);
    }
  }

  saveState(): MemoryState {
    const arrays: Record<string, Uint8Array | Float32Array> = { values: this.values };
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

  /** The chunk holding the frame record written by addition `time`. */
  private chunkOf(time: number): Uint8Array {
    return this.frames[(time % this.frameSlots) >>> this.chunkShift];
  }

  /** Byte offset of that record inside its chunk. */
  private offsetOf(time: number): number {
    return ((time % this.frameSlots) & this.chunkMask) * this.frameRecord;
  }

  /** The frame slot of the experience in `slot`: that of the addition that last wrote it. */
  private frameSlotOf(slot: number): number {
    return (this.added - 1 - ((this.added - 1 - slot) % this.capacity)) % this.frameSlots;
  }

  /** Flags of the frame record in `frameSlot`. */
  private flagsIn(frameSlot: number): number {
    return this.frames[frameSlot >>> this.chunkShift][
      (frameSlot & this.chunkMask) * this.frameRecord + this.frameBytes + 1
    ];
  }

  /** Writes the stack of `stackSize` frames ending at `frameSlot` into `out` at `at` (NHWC, oldest first). */
  private writeStack(frameSlot: number, out: Uint8Array, at: number): void {
    const S = this.stackSize;
    const back = (k: number) => (frameSlot - k + this.frameSlots) % this.frameSlots;
    // How far back this episode's frames reach (at most stackSize); older positions are padding.
    let depth = 1;
    while (depth < S && (this.flagsIn(back(depth - 1)) & EPISODE_START) === 0) depth++;
    const padFirst = this.stackPadding === 'firstFrame';
    const C = this.frameShape[2];
    if (S === 4 && C === 1 && !this.bitPacked && this.frameValues % 4 === 0 && at % 4 === 0) {
      const words = this.wordsOf(out);
      if (words) {
        this.interleaveFour(frameSlot, depth, words, at >>> 2);
        return;
      }
    }
    const pixels = this.frameValues / C;
    const src = this.unpacked;
    for (let k = 0; k < S; k++) {
      const age = S - 1 - k;
      if (age < depth || padFirst) {
        // Padding by the first frame reads it at every older position (age depth − 1).
        const f = back(Math.min(age, depth - 1));
        this.writeFrame(this.frames[f >>> this.chunkShift], (f & this.chunkMask) * this.frameRecord, src, 0);
      } else {
        src.fill(0);
      }
      let o = at + k * C;
      for (let p = 0, s = 0; p < pixels; p++, o += C * S) {
        for (let c = 0; c < C; c++) out[o + c] = src[s++];
      }
    }
  }

  /**
   * The Atari layout (4 single-channel frames): each output pixel's 4 channels are one little-endian
   * word, oldest frame in the low byte. One 32-bit read from each frame gives four pixels, and a byte
   * transpose of the four words gives their four output words (4× fewer reads and stores than by byte).
   */
  private interleaveFour(frameSlot: number, depth: number, out: Uint32Array, w: number): void {
    // Chunks and word offsets, not subarrays: indexing one array at an offset runs ~1.5× faster here.
    // Positions older than the episode's first frame (age depth − 1) read zeros or that first frame.
    const zeros = this.stackPadding === 'zeros';
    const slotAt = (age: number): number => (frameSlot - Math.min(age, depth - 1) + this.frameSlots) % this.frameSlots;
    const chunkAt = (age: number): Uint32Array =>
      age >= depth && zeros ? this.zeroFrame : this.frameWords[slotAt(age) >>> this.chunkShift];
    const offsetAt = (age: number): number =>
      age >= depth && zeros ? 0 : ((slotAt(age) & this.chunkMask) * this.frameRecord) >>> 2;
    const f0 = chunkAt(3);
    const f1 = chunkAt(2);
    const f2 = chunkAt(1);
    const f3 = chunkAt(0);
    const o0 = offsetAt(3);
    const o1 = offsetAt(2);
    const o2 = offsetAt(1);
    const o3 = offsetAt(0);
    const quads = this.frameValues >>> 2;
    for (let q = 0; q < quads; q++) {
      const x0 = f0[o0 + q];
      const x1 = f1[o1 + q];
      const x2 = f2[o2 + q];
      const x3 = f3[o3 + q];
      const o = w + 4 * q;
      out[o] = (x0 & 0xff) | ((x1 & 0xff) << 8) | ((x2 & 0xff) << 16) | ((x3 & 0xff) << 24);
      out[o + 1] = ((x0 >>> 8) & 0xff) | (x1 & 0xff00) | ((x2 & 0xff00) << 8) | ((x3 & 0xff00) << 16);
      out[o + 2] = ((x0 >>> 16) & 0xff) | ((x1 >>> 8) & 0xff00) | (x2 & 0xff0000) | ((x3 & 0xff0000) << 8);
      out[o + 3] = (x0 >>> 24) | ((x1 >>> 16) & 0xff00) | ((x2 >>> 8) & 0xff0000) | (x3 & 0xff000000);
    }
  }

  /** Writes the frame stored at `chunk[offset]` (H·W·C values) into `out` at `at`. */
  private writeFrame(chunk: Uint8Array, offset: number, out: Uint8Array, at: number): void {
    if (!this.bitPacked) {
      out.set(chunk.subarray(offset, offset + this.frameBytes), at);
      return;
    }
    const words = at % 4 === 0 ? this.wordsOf(out) : null;
    if (words) {
      unpackBits(chunk, offset, this.frameValues, out, words, at);
    } else {
      unpackBits(chunk, offset, this.frameValues, this.unpacked, this.unpackedWords, 0);
      out.set(this.unpacked.subarray(0, this.frameValues), at);
    }
  }

  /** A 32-bit view of `out` when its start is 4-byte aligned. */
  private wordsOf(out: Uint8Array): Uint32Array | null {
    if (out === this.unpacked) return this.unpackedWords;
    if (out !== this.batchWordsOf) {
      this.batchWordsOf = out;
      this.batchWords = out.byteOffset % 4 === 0 ? new Uint32Array(out.buffer, out.byteOffset, out.length >>> 2) : null;
    }
    return this.batchWords;
  }

  private checkExperience(e: Experience): void {
    if (!(e.frame instanceof Uint8Array) || e.frame.length !== this.frameValues) {
      throw new RangeError(
        `frame must be a Uint8Array of ${this.frameValues} values (shape [${this.frameShape.join(', ')}]), got ${e.frame instanceof Uint8Array ? `length ${e.frame.length}` : String(e.frame)}`,
      );
    }
    if (this.bitPacked) {
      const frame = e.frame;
      for (let i = 0; i < frame.length; i++) {
        if (frame[i] > 1) throw new RangeError(`bit-packed frames hold only 0 and 1, got ${frame[i]} at position ${i}`);
      }
    }
    if (!(Number.isInteger(e.action) && e.action >= 0 && e.action < this.numActions)) {
      throw new RangeError(`action must be an integer in [0, ${this.numActions}), got ${e.action}`);
    }
    if (!(Number.isInteger(e.reward) && e.reward >= -128 && e.reward <= 127)) {
      throw new RangeError(
        `reward must be an integer in [-128, 127] (stored in one byte; MinAtar's rewards and Atari's clipped ones are), got ${e.reward}`,
      );
    }
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
  const padding = config.stackPadding;
  if (padding !== undefined && padding !== 'zeros' && padding !== 'firstFrame') {
    throw new RangeError(`stackPadding must be 'zeros' or 'firstFrame', got ${JSON.stringify(padding)}`);
  }
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

/** Unpacks `count` values; whole bytes go out as two 32-bit words (`out32` views `out`, `at` a multiple of 4). */
function unpackBits(
  packed: Uint8Array,
  from: number,
  count: number,
  out: Uint8Array,
  out32: Uint32Array,
  at: number,
): void {
  const whole = count >>> 3;
  let w = at >>> 2;
  for (let b = 0; b < whole; b++, w += 2) {
    const k = packed[from + b] << 1;
    out32[w] = UNPACK[k];
    out32[w + 1] = UNPACK[k + 1];
  }
  const rest = packed[from + whole];
  const o = at + whole * 8;
  for (let i = 0; i < (count & 7); i++) out[o + i] = (rest >> i) & 1;
}
