/**
 * One checkpoint = one file: an 8-byte magic, a little-endian uint32 header length, a JSON header, then the
 * payload: the named arrays back to back, deflated. The header records each array's type and length and the
 * payload's size and SHA-256, so a truncated or corrupted file is named as such instead of loading garbage.
 * Written to a temporary name and renamed, so a killed writer leaves the previous checkpoint intact.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { writeFilesAtomically } from '../util/atomic-write';

export type StoredArray = Float32Array | Int32Array | Uint8Array;
type DType = 'float32' | 'int32' | 'uint8';

const MAGIC = 'DLCKPT1\n';
const FORMAT_VERSION = 1;

interface ArrayEntry {
  readonly name: string;
  readonly dtype: DType;
  readonly length: number;
}

interface FileHeader {
  readonly format: string;
  readonly version: number;
  readonly kind: string;
  readonly meta: unknown;
  readonly arrays: readonly ArrayEntry[];
  readonly payloadBytes: number;
  readonly payloadSha256: string;
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

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function encodeCheckpoint(kind: string, contents: CheckpointContents): Uint8Array {
  const entries = Object.entries(contents.arrays);
  const raw = Buffer.concat(entries.map(([, a]) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength)));
  // Level 1: replay observations are mostly zeros, so the fastest level already shrinks them many times.
  const payload = deflateRawSync(raw, { level: 1 });
  const header: FileHeader = {
    format: 'distill-lab-checkpoint',
    version: FORMAT_VERSION,
    kind,
    meta: contents.meta,
    arrays: entries.map(([name, a]) => ({ name, dtype: dtypeOf(a), length: a.length })),
    payloadBytes: payload.length,
    payloadSha256: sha256(payload),
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(headerBytes.length);
  return Buffer.concat([Buffer.from(MAGIC, 'latin1'), length, headerBytes, payload]);
}

/** Decodes a checkpoint of `kind`; every failure names `source` and what did not match. */
export function decodeCheckpoint(bytes: Uint8Array, kind: string, source: string): CheckpointContents {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const prefix = MAGIC.length + 4;
  if (buffer.length < prefix || buffer.toString('latin1', 0, MAGIC.length) !== MAGIC) {
    throw new Error(`${source}: not a distill-lab checkpoint (the file does not start with the checkpoint magic)`);
  }
  const headerLength = buffer.readUInt32LE(MAGIC.length);
  if (buffer.length < prefix + headerLength) {
    throw new Error(
      `${source}: truncated checkpoint (header of ${headerLength} bytes, file has ${buffer.length - prefix} after the magic)`,
    );
  }
  let header: FileHeader;
  try {
    header = JSON.parse(buffer.toString('utf8', prefix, prefix + headerLength)) as FileHeader;
  } catch (error) {
    throw new Error(`${source}: corrupt checkpoint header (${(error as Error).message})`);
  }
  if (header.version !== FORMAT_VERSION) {
    throw new Error(
      `${source}: checkpoint format version ${header.version}, this program reads version ${FORMAT_VERSION}`,
    );
  }
  if (header.kind !== kind) {
    throw new Error(`${source}: a '${header.kind}' checkpoint, expected a '${kind}' checkpoint`);
  }
  const payload = buffer.subarray(prefix + headerLength);
  if (payload.length !== header.payloadBytes) {
    throw new Error(
      `${source}: truncated checkpoint (payload of ${payload.length} bytes, the header records ${header.payloadBytes})`,
    );
  }
  if (sha256(payload) !== header.payloadSha256) {
    throw new Error(`${source}: corrupt checkpoint (payload SHA-256 differs from the one in its header)`);
  }
  const raw = inflateRawSync(payload);
  const arrays: Record<string, StoredArray> = {};
  let offset = 0;
  for (const entry of header.arrays) {
    const Constructor = CONSTRUCTORS[entry.dtype];
    const byteLength = entry.length * Constructor.BYTES_PER_ELEMENT;
    // Copied out so that every array is aligned and owns its memory.
    arrays[entry.name] = new Constructor(
      raw.buffer.slice(raw.byteOffset + offset, raw.byteOffset + offset + byteLength),
    );
    offset += byteLength;
  }
  if (offset !== raw.length) {
    throw new Error(`${source}: corrupt checkpoint (arrays need ${offset} bytes, payload inflates to ${raw.length})`);
  }
  return { meta: header.meta, arrays };
}

export function writeCheckpoint(path: string, kind: string, contents: CheckpointContents): void {
  writeFilesAtomically([{ path, content: encodeCheckpoint(kind, contents) }]);
}

export function readCheckpoint(path: string, kind: string): CheckpointContents {
  if (!existsSync(path)) throw new Error(`${path}: checkpoint not found`);
  return decodeCheckpoint(readFileSync(path), kind, path);
}
