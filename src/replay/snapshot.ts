/**
 * The replay snapshot file: a small documented binary format, written to a temporary name and renamed.
 *
 *   bytes 0–7   ASCII "DLREPLAY"
 *   bytes 8–11  format version, uint32 little-endian (1)
 *   bytes 12–15 header length H, uint32 little-endian
 *   bytes 16…   H bytes of UTF-8 JSON: { ...header, sections: [{ name, type, length, offset }] }
 *   then every section's raw little-endian array bytes at its `offset` (from the file start, 8-aligned)
 *
 * `type` is the typed-array name (Uint8Array, Int32Array, Float32Array); `length` counts elements.
 * Sections are written and read one by one, so a snapshot may exceed what one buffer can hold.
 */
import { closeSync, fsyncSync, openSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';

export type SectionArray = Uint8Array | Int32Array | Float32Array;
const MAGIC = 'DLREPLAY';
const VERSION = 1;
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
  while (align8(16 + Buffer.byteLength(json)) > dataStart) {
    dataStart = align8(16 + Buffer.byteLength(json));
    json = draft(dataStart);
  }
  const headerBytes = Buffer.from(json);
  const prefix = Buffer.alloc(16);
  prefix.write(MAGIC, 0, 'ascii');
  prefix.writeUInt32LE(VERSION, 8);
  prefix.writeUInt32LE(headerBytes.length, 12);
  const temporary = `${path}.tmp-${process.pid}`;
  const fd = openSync(temporary, 'w');
  try {
    writeAll(fd, prefix, 0);
    writeAll(fd, headerBytes, 16);
    for (const entry of entries) {
      const data = snapshot.sections[entry.name];
      writeAll(fd, new Uint8Array(data.buffer, data.byteOffset, data.byteLength), entry.offset);
    }
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(temporary);
    throw error;
  }
  closeSync(fd);
  renameSync(temporary, path);
}

export function readSnapshot(path: string): Snapshot {
  const fd = openSync(path, 'r');
  try {
    const prefix = Buffer.alloc(16);
    readAll(fd, prefix, 0);
    if (prefix.toString('ascii', 0, 8) !== MAGIC)
      throw new Error(`${path} is not a replay snapshot (no ${MAGIC} magic)`);
    const version = prefix.readUInt32LE(8);
    if (version !== VERSION) throw new Error(`${path}: snapshot format version ${version}, this code reads ${VERSION}`);
    const headerBytes = Buffer.alloc(prefix.readUInt32LE(12));
    readAll(fd, headerBytes, 16);
    const { sections: entries, ...header } = JSON.parse(headerBytes.toString('utf8')) as {
      sections: SectionEntry[];
    } & Record<string, unknown>;
    const sections: Record<string, SectionArray> = {};
    for (const entry of entries) {
      const Type = CONSTRUCTORS[entry.type];
      if (!Type) throw new Error(`${path}: section '${entry.name}' has unknown type '${entry.type}'`);
      const data = new Type(entry.length);
      readAll(fd, new Uint8Array(data.buffer), entry.offset);
      sections[entry.name] = data;
    }
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
