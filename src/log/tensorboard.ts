/**
 * TensorBoard event files of a run: `TensorBoardLog` writes scalars into `<runDir>/tensorboard` through tfjs-node's
 * summary writer (`tf.node.summaryFileWriter`), and `readScalarEvents` reads them back (tests, notebooks)
 * from the TFRecord framing and the `Event` protobuf. `tensorboard --logdir data/runs` shows every run.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BinaryReader } from 'google-protobuf';
import { backendInfo, tf } from '../nn/tf';

/** The folder of a run's event files. */
export const TENSORBOARD_DIR = 'tensorboard';

/** What this module uses of tfjs-node's `SummaryFileWriter` (the `tf` type is the backend-neutral tfjs one). */
interface SummaryWriter {
  scalar(name: string, value: number, step: number): void;
  flush(): void;
}
type SummaryFileWriterFactory = (
  logdir: string,
  maxQueue?: number,
  flushMillis?: number,
  filenameSuffix?: string,
) => SummaryWriter;

/** Events kept in memory before a write (TensorFlow fsyncs the file on every flush). */
const MAX_QUEUE = 1000;
/** A write this long after the last flush flushes: a live run shows up in TensorBoard within about this. */
const FLUSH_MILLIS = 15_000;

/** The largest step tfjs-node accepts (its int64 scalar is built from an int32, checked below 2³¹ − 1). */
const MAX_STEP = 2 ** 31 - 2;

let warnedNoWriter = false;

/**
 * The scalars of one run, written to `<runDir>/tensorboard`. A resumed run writes a new events file in the same
 * folder (TensorBoard reads every file of a folder as one run). With the pure-JavaScript backend (no
 * tfjs-node) nothing is written, said once on stderr.
 */
export class TensorBoardLog {
  readonly logdir: string;
  private writer: SummaryWriter | null;
  private closed = false;

  constructor(runDir: string) {
    this.logdir = join(runDir, TENSORBOARD_DIR);
    const factory = (tf as unknown as { node?: { summaryFileWriter?: SummaryFileWriterFactory } }).node
      ?.summaryFileWriter;
    if (backendInfo.kind === 'js' || factory === undefined) {
      if (!warnedNoWriter) process.stderr.write('distill-lab: no TensorBoard events with the JavaScript backend\n');
      warnedNoWriter = true;
      this.writer = null;
    } else {
      this.writer = factory(this.logdir, MAX_QUEUE, FLUSH_MILLIS);
    }
  }

  /**
   * Records `value` under `tag` at integer `step`; null (nothing measured, e.g. no finished episode) records
   * nothing. Stored as float32 (TensorBoard's simple_value).
   */
  scalar(tag: string, value: number | null, step: number): void {
    if (this.closed) throw new Error(`${this.logdir}: scalar '${tag}' written after close()`);
    if (!Number.isInteger(step) || step < 0 || step > MAX_STEP) {
      throw new RangeError(`TensorBoard step for '${tag}' must be an integer in [0, ${MAX_STEP}], got ${step}`);
    }
    if (value === null || this.writer === null) return;
    // Non-finite values are written: TensorBoard shows NaN and ±∞, and a divergence hidden by skipping it misleads.
    this.writer.scalar(tag, value, step);
  }

  /** Writes the queued events to the file. */
  flush(): void {
    if (!this.closed) this.writer?.flush();
  }

  /**
   * Flushes; later writes throw. tfjs-node 4.22 keeps one writer per folder for the process and has no close,
   * so its file stays open until exit, and a new TensorBoardLog for the same folder in this process continues that file.
   */
  close(): void {
    this.flush();
    this.closed = true;
    this.writer = null;
  }
}

/** One scalar of an events file. `value` is the float32 TensorBoard stores; `wallTime` in seconds since 1970. */
export interface ScalarEvent {
  readonly tag: string;
  readonly step: number;
  readonly value: number;
  readonly wallTime: number;
}

/**
 * Every scalar (`simple_value`) in the events files directly in `logdir`, file by file in name order (the name
 * starts with the file's creation time), each in write order; other summaries (histograms, tensors) are skipped.
 * A resumed run repeats the steps between its checkpoint and the interruption: those appear twice, the later
 * ones (later file) being the run's. A missing folder gives []. Throws on a corrupt record (length or data CRC).
 */
export function readScalarEvents(logdir: string): ScalarEvent[] {
  if (!existsSync(logdir)) return [];
  const files = readdirSync(logdir)
    .filter((name) => name.includes('tfevents') && statSync(join(logdir, name)).isFile())
    .sort();
  return files.flatMap((name) => {
    const path = join(logdir, name);
    const events: ScalarEvent[] = [];
    for (const record of tfRecords(path)) events.push(...scalarsOfEvent(record));
    return events;
  });
}

/**
 * The records of a TFRecord file: u64 length, u32 masked CRC-32C of the length, data, u32 masked CRC-32C of the
 * data (little-endian). Both CRCs are checked. An incomplete last record (a writer mid-flush) ends the file,
 * as TensorFlow's reader does.
 */
export function tfRecords(path: string): Uint8Array[] {
  const bytes: Uint8Array = readFileSync(path);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: Uint8Array[] = [];
  let offset = 0;
  while (offset + 12 <= bytes.length) {
    const length = Number(view.getBigUint64(offset, true));
    if (maskedCrc32c(bytes.subarray(offset, offset + 8)) !== view.getUint32(offset + 8, true)) {
      throw new Error(`${path}: corrupt record at byte ${offset} (length CRC mismatch); expected a TFRecord file`);
    }
    const start = offset + 12;
    if (start + length + 4 > bytes.length) break;
    const data = bytes.subarray(start, start + length);
    if (maskedCrc32c(data) !== view.getUint32(start + length, true)) {
      throw new Error(`${path}: corrupt record at byte ${offset} (data CRC mismatch)`);
    }
    records.push(data);
    offset = start + length + 4;
  }
  return records;
}

/** The scalars of one serialized `Event`: wall_time = 1 (double), step = 2 (int64), summary = 5. */
function scalarsOfEvent(data: Uint8Array): ScalarEvent[] {
  const reader = new BinaryReader(data);
  let wallTime = 0;
  let step = 0;
  const values: { tag: string; value: number }[] = [];
  while (reader.nextField()) {
    switch (reader.getFieldNumber()) {
      case 1:
        wallTime = reader.readDouble();
        break;
      case 2:
        step = reader.readInt64();
        break;
      case 5:
        values.push(...scalarsOfSummary(reader.readBytes()));
        break;
      default:
        reader.skipField();
    }
  }
  return values.map(({ tag, value }) => ({ tag, step, value, wallTime }));
}

/** `Summary`: value = 1 (repeated `Summary.Value`: tag = 1, simple_value = 2 float); values without simple_value skipped. */
function scalarsOfSummary(data: Uint8Array): { tag: string; value: number }[] {
  const reader = new BinaryReader(data);
  const values: { tag: string; value: number }[] = [];
  while (reader.nextField()) {
    if (reader.getFieldNumber() !== 1) {
      reader.skipField();
      continue;
    }
    const value = new BinaryReader(reader.readBytes());
    let tag = '';
    let simple: number | null = null;
    while (value.nextField()) {
      const field = value.getFieldNumber();
      if (field === 1) tag = value.readString();
      else if (field === 2) simple = value.readFloat();
      else value.skipField();
    }
    if (simple !== null) values.push({ tag, value: simple });
  }
  return values;
}

/** CRC-32C (Castagnoli) table; TFRecord stores each CRC masked (rotated right 15, plus a constant). */
const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function maskedCrc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = CRC32C_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  crc = (crc ^ 0xffffffff) >>> 0;
  return (((crc >>> 15) | (crc << 17)) + 0xa282ead8) >>> 0;
}
