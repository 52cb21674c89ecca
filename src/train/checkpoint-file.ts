/**
 * One checkpoint = one file (format 2):
 *
 *   bytes 0–7    ASCII magic "DLCKPT2\n"
 *   bytes 8–39   SHA-256 of every byte from byte 40 to the end of the file (header length, header, payload)
 *   bytes 40–43  header length H, uint32 little-endian
 *   next H bytes UTF-8 JSON header: { format, version: 2, kind, meta, arrays: [{ name, dtype, length, bytes }] }
 *   then         each array's little-endian bytes, deflated (raw deflate), `bytes` long, in the header's order
 *
 * The checksum is verified before anything else is read, so a damaged file (a flipped byte anywhere after the
 * magic, a truncation) is refused as corrupt, naming the file and what to do, instead of loading garbage.
 * SHA-256 (node:crypto, about 2 GB/s with the CPU's SHA instructions) costs less than the deflate it follows,
 * so no faster checksum is needed. Files of format 1 (magic "DLCKPT1\n": a payload hash only, no checksum over
 * the header) are refused with how to regenerate them. Written to a temporary name and renamed, so a killed
 * writer leaves the previous checkpoint intact.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { writeFilesAtomically } from '../util/atomic-write';

export type StoredArray = Float32Array | Int32Array | Uint8Array;
type DType = 'float32' | 'int32' | 'uint8';

const MAGIC = 'DLCKPT2\n';
const FORMAT_1_MAGIC = 'DLCKPT1\n';
const FORMAT_VERSION = 2;
/** Magic, checksum, header length. */
const PREFIX_BYTES = 8 + 32 + 4;

/** What to do about a damaged or outdated run checkpoint (the default of `readCheckpoint`). */
export const RESTART_REMEDY = 'delete it to start the run again from its beginning';

interface ArrayEntry {
  readonly name: string;
  readonly dtype: DType;
  readonly length: number;
  /** Bytes of the deflated array in the payload. */
  readonly bytes: number;
}

interface FileHeader {
  readonly format: string;
  readonly version: number;
  readonly kind: string;
  readonly meta: unknown;
  readonly arrays: readonly ArrayEntry[];
}

export interface CheckpointContents {
  /** JSON-serialisable description (configuration, counters, generator states, tables). */
  readonly meta: unknown;
  readonly arrays: Readonly<Record<string, StoredArray>>;
}

function dtypeOf(array: StoredArray): DType {
  if (array instanceof Float32Array) return 'float32';
  if (array instanceof Int32Array) return 'int32';
  return 'uint8';
}

const CONSTRUCTORS = { float32: Float32Array, int32: Int32Array, uint8: Uint8Array } as const;

function sha256(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(bytes).digest();
}

export function encodeCheckpoint(kind: string, contents: CheckpointContents): Uint8Array {
  const entries = Object.entries(contents.arrays);
  // Level 1: replay observations are mostly zeros, so the fastest level already shrinks them many times.
  const sections = entries.map(([, a]) =>
    deflateRawSync(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), { level: 1 }),
  );
  const header: FileHeader = {
    format: 'distill-lab-checkpoint',
    version: FORMAT_VERSION,
    kind,
    meta: contents.meta,
    arrays: entries.map(([name, a], i) => ({ name, dtype: dtypeOf(a), length: a.length, bytes: sections[i].length })),
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(headerBytes.length);
  const hash = createHash('sha256').update(length).update(headerBytes);
  for (const section of sections) hash.update(section);
  return Buffer.concat([Buffer.from(MAGIC, 'latin1'), hash.digest(), length, headerBytes, ...sections]);
}

/**
 * Decodes a checkpoint of `kind`; every failure names `source` and what did not match. `remedy` ends the
 * message of a corrupt or outdated file: what the user does about it.
 */
export function decodeCheckpoint(
  bytes: Uint8Array,
  kind: string,
  source: string,
  remedy: string = RESTART_REMEDY,
): CheckpointContents {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = buffer.toString('latin1', 0, Math.min(buffer.length, MAGIC.length));
  if (magic === FORMAT_1_MAGIC) {
    throw new Error(
      `${source}: checkpoint of format 1, written without a checksum by an earlier version; this version reads only ` +
        `checksummed files (format ${FORMAT_VERSION}): ${remedy}`,
    );
  }
  if (magic !== MAGIC) {
    throw new Error(
      magic.startsWith('DLCKPT')
        ? `${source}: corrupt checkpoint, or one of a format this version does not read (magic ${JSON.stringify(magic)}, expected ${JSON.stringify(MAGIC)}): ${remedy}`
        : `${source}: not a distill-lab checkpoint (the file does not start with the checkpoint magic)`,
    );
  }
  if (buffer.length < PREFIX_BYTES) {
    throw new Error(
      `${source}: truncated checkpoint (${buffer.length} bytes, fewer than its ${PREFIX_BYTES}-byte prefix): ${remedy}`,
    );
  }
  const body = buffer.subarray(MAGIC.length + 32);
  if (!sha256(body).equals(buffer.subarray(MAGIC.length, MAGIC.length + 32))) {
    throw new Error(`${source}: corrupt checkpoint (its contents do not match the SHA-256 recorded in it): ${remedy}`);
  }
  // Past the checksum the bytes are the writer's: what follows only fails on a writer's bug.
  const headerLength = body.readUInt32LE(0);
  const header = JSON.parse(body.toString('utf8', 4, 4 + headerLength)) as FileHeader;
  if (header.version !== FORMAT_VERSION) {
    throw new Error(
      `${source}: checkpoint format version ${header.version}, this program reads version ${FORMAT_VERSION}`,
    );
  }
  if (header.kind !== kind) {
    throw new Error(`${source}: a '${header.kind}' checkpoint, expected a '${kind}' checkpoint`);
  }
  const arrays: Record<string, StoredArray> = {};
  let offset = 4 + headerLength;
  for (const entry of header.arrays) {
    const Constructor = CONSTRUCTORS[entry.dtype];
    const raw = inflateRawSync(body.subarray(offset, offset + entry.bytes));
    if (raw.length !== entry.length * Constructor.BYTES_PER_ELEMENT) {
      throw new Error(
        `${source}: array '${entry.name}' inflates to ${raw.length} bytes, its ${entry.length} ${entry.dtype} values need ${entry.length * Constructor.BYTES_PER_ELEMENT}`,
      );
    }
    // Copied out so that every array is aligned and owns its memory.
    arrays[entry.name] = new Constructor(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length));
    offset += entry.bytes;
  }
  if (offset !== body.length) {
    throw new Error(
      `${source}: the arrays take ${offset - 4 - headerLength} bytes, the payload has ${body.length - 4 - headerLength}`,
    );
  }
  return { meta: header.meta, arrays };
}

export function writeCheckpoint(path: string, kind: string, contents: CheckpointContents): void {
  writeFilesAtomically([{ path, content: encodeCheckpoint(kind, contents) }]);
}

/** Reads and verifies the checkpoint at `path`; `remedy` says what to do when it is corrupt or outdated. */
export function readCheckpoint(path: string, kind: string, remedy: string = RESTART_REMEDY): CheckpointContents {
  if (!existsSync(path)) throw new Error(`${path}: checkpoint not found`);
  return decodeCheckpoint(readFileSync(path), kind, path, remedy);
}
