/**
 * The replay snapshot file: a small documented binary format, written to a temporary name and renamed.
 *
 *   bytes 0–7   ASCII "DLREPLAY"
 *   bytes 8–11  format version, uint32 little-endian (2)
 *   bytes 12–15 header length H, uint32 little-endian
 *   bytes 16–47 SHA-256 over bytes 8–15, the header, then every section's bytes in the header's order
 *   bytes 48…   H bytes of UTF-8 JSON: { ...header, sections: [{ name, type, length, offset }] }
 *   then every section's raw little-endian array bytes at its `offset` (from the file start, 8-aligned; the zero
 *   padding between sections carries nothing and is not hashed)
 *
 * `type` is the typed-array name (Uint8Array, Int32Array, Float32Array); `length` counts elements.
 * Sections are written and read one by one, so a snapshot may exceed what one buffer can hold; the checksum is
 * computed section by section as well (SHA-256 of node:crypto, about 2 GB/s with the CPU's SHA instructions,
 * on a par with the disk) and verified before the snapshot is returned. A damaged file is refused as corrupt;
 * a file of version 1 (no checksum) is refused with how to regenerate it.
 */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, fstatSync, fsyncSync, openSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';

export type SectionArray = Uint8Array | Int32Array | Float32Array;
const MAGIC = 'DLREPLAY';
const VERSION = 2;
/** Magic, version, header length, checksum. */
const PREFIX_BYTES = 48;
const CONSTRUCTORS = { Uint8Array, Int32Array, Float32Array } as const;
type SectionType = keyof typeof CONSTRUCTORS;

interface SectionEntry {
  name: string;
  type: SectionType;
  length: number;
  offset: number;
}

export interface Snapshot {
  readonly header: Record<string, unknown>;
  readonly sections: Record<string, SectionArray>;
}

const align8 = (n: number): number => Math.ceil(n / 8) * 8;
/** Bytes written per call: writeSync and readSync take at most 2 GiB at once. */
const IO_CHUNK = 2 ** 30;

const bytesOf = (data: SectionArray): Uint8Array => new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

/** Feeds `bytes` to `hash` in chunks (one update takes at most 2 GiB). */
function hashAll(hash: Hash, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length; done += IO_CHUNK) hash.update(bytes.subarray(done, done + IO_CHUNK));
}

export function writeSnapshot(path: string, snapshot: Snapshot): void {
  const names = Object.keys(snapshot.sections);
  const entries: SectionEntry[] = [];
  const draft = (offset: number): string => {
    entries.length = 0;
    let at = offset;
    for (const name of names) {
      const data = snapshot.sections[name];
      entries.push({ name, type: data.constructor.name as SectionType, length: data.length, offset: at });
      at = align8(at + data.byteLength);
    }
    return JSON.stringify({ ...snapshot.header, sections: entries });
  };
  // Offsets depend on the header's length and vice versa: grow the data start until the header fits before it.
  let dataStart = 0;
  let json = draft(dataStart);
  while (align8(PREFIX_BYTES + Buffer.byteLength(json)) > dataStart) {
    dataStart = align8(PREFIX_BYTES + Buffer.byteLength(json));
    json = draft(dataStart);
  }
  const headerBytes = Buffer.from(json);
  const prefix = Buffer.alloc(PREFIX_BYTES);
  prefix.write(MAGIC, 0, 'ascii');
  prefix.writeUInt32LE(VERSION, 8);
  prefix.writeUInt32LE(headerBytes.length, 12);
  const hash = createHash('sha256').update(prefix.subarray(8, 16)).update(headerBytes);
  for (const entry of entries) hashAll(hash, bytesOf(snapshot.sections[entry.name]));
  hash.digest().copy(prefix, 16);
  const temporary = `${path}.tmp-${process.pid}`;
  const fd = openSync(temporary, 'w');
  try {
    writeAll(fd, prefix, 0);
    writeAll(fd, headerBytes, PREFIX_BYTES);
    for (const entry of entries) writeAll(fd, bytesOf(snapshot.sections[entry.name]), entry.offset);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(temporary);
    throw error;
  }
  closeSync(fd);
  renameSync(temporary, path);
}

/** Reads and verifies the snapshot at `path`; a damaged or version-1 file is refused, naming it and what to do. */
export function readSnapshot(path: string): Snapshot {
  const corrupt = () =>
    new Error(
      `${path}: corrupt replay snapshot (its contents do not match the SHA-256 recorded in it): delete it and ` +
        'save the buffer again',
    );
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const prefix = Buffer.alloc(Math.min(PREFIX_BYTES, size));
    readAll(fd, prefix, 0);
    if (prefix.toString('ascii', 0, 8) !== MAGIC)
      throw new Error(`${path} is not a replay snapshot (no ${MAGIC} magic)`);
    const version = size >= 12 ? prefix.readUInt32LE(8) : VERSION;
    if (version === 1) {
      throw new Error(
        `${path}: replay snapshot of version 1, written without a checksum by an earlier version; this version ` +
          `reads only checksummed snapshots (version ${VERSION}): save the buffer again to regenerate it`,
      );
    }
    if (version !== VERSION) {
      throw new Error(
        `${path}: corrupt replay snapshot, or one of a version this code does not read (version ${version}, expected ${VERSION})`,
      );
    }
    if (size < PREFIX_BYTES) throw corrupt();
    const headerLength = prefix.readUInt32LE(12);
    if (PREFIX_BYTES + headerLength > size) throw corrupt();
    const hash = createHash('sha256').update(prefix.subarray(8, 16));
    const headerBytes = Buffer.alloc(headerLength);
    readAll(fd, headerBytes, PREFIX_BYTES);
    hash.update(headerBytes);
    let parsed: { sections: SectionEntry[] } & Record<string, unknown>;
    try {
      parsed = JSON.parse(headerBytes.toString('utf8'));
    } catch {
      throw corrupt();
    }
    const { sections: entries, ...header } = parsed;
    if (!Array.isArray(entries)) throw corrupt();
    const sections: Record<string, SectionArray> = {};
    for (const entry of entries) {
      const Type = CONSTRUCTORS[entry?.type];
      const fits =
        Type !== undefined &&
        Number.isSafeInteger(entry.length) &&
        Number.isSafeInteger(entry.offset) &&
        entry.length >= 0 &&
        entry.offset >= PREFIX_BYTES &&
        entry.offset + entry.length * Type.BYTES_PER_ELEMENT <= size;
      if (!fits) throw corrupt();
      const data = new Type(entry.length);
      readAll(fd, bytesOf(data), entry.offset);
      hashAll(hash, bytesOf(data));
      sections[entry.name] = data;
    }
    if (!hash.digest().equals(prefix.subarray(16, 48))) throw corrupt();
    return { header, sections };
  } finally {
    closeSync(fd);
  }
}

function writeAll(fd: number, bytes: Uint8Array, position: number): void {
  for (let done = 0; done < bytes.length; ) {
    done += writeSync(fd, bytes, done, Math.min(IO_CHUNK, bytes.length - done), position + done);
  }
}

function readAll(fd: number, bytes: Uint8Array, position: number): void {
  for (let done = 0; done < bytes.length; ) {
    const n = readSync(fd, bytes, done, Math.min(IO_CHUNK, bytes.length - done), position + done);
    if (n === 0) throw new Error(`snapshot ends early: wanted ${bytes.length} bytes at ${position}`);
    done += n;
  }
}
