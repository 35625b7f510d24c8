/**
 * Byte-level format of the journal's files (see the comment at the top of
 * journal.ts for the why). Pure functions over Buffers, no I/O, so the
 * recovery rules can be tested and reasoned about in isolation.
 *
 * File header (16 bytes): 4 ASCII magic bytes, uint32 format version,
 * uint32 generation, uint32 CRC-32 of the previous 12 bytes.
 * Record: uint32 payload length, uint32 CRC-32 of the payload, payload.
 * All integers little-endian.
 */
import zlib from 'node:zlib';

/** Version written into every file header; readers refuse newer versions. */
export const FORMAT_VERSION = 1;
/** Size of the header at the start of every log segment and snapshot file. */
export const FILE_HEADER_SIZE = 16;
/** Size of the per-record prefix (length + checksum). */
export const RECORD_HEADER_SIZE = 8;
/** Largest payload the uint32 length field can describe. */
export const MAX_RECORD_SIZE = 0xffffffff;

/** Which kind of file a header belongs to; each has its own magic. */
export type FileKind = 'log' | 'snapshot';

const MAGIC: Record<FileKind, string> = { log: 'QJLG', snapshot: 'QJSN' };

/**
 * CRC-32 (IEEE, as zlib/gzip). Uses zlib.crc32 (Node >= 20.15) and falls back
 * to a table implementation on older Node 20 releases, which package.json
 * still admits.
 */
export const crc32: (data: Uint8Array) => number =
  typeof (zlib as { crc32?: unknown }).crc32 === 'function'
    ? (data) => zlib.crc32(data)
    : tableCrc32;

let table: Uint32Array | null = null;
function tableCrc32(data: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Builds the header that starts a log segment or snapshot of `generation`. */
export function encodeFileHeader(kind: FileKind, generation: number): Buffer {
  const buf = Buffer.alloc(FILE_HEADER_SIZE);
  buf.write(MAGIC[kind], 0, 'ascii');
  buf.writeUInt32LE(FORMAT_VERSION, 4);
  buf.writeUInt32LE(generation, 8);
  buf.writeUInt32LE(crc32(buf.subarray(0, 12)), 12);
  return buf;
}

/**
 * Verifies a file header so that a foreign, damaged, newer-format or
 * misnamed file is reported instead of being misread as records.
 */
export function checkFileHeader(
  buf: Buffer,
  kind: FileKind,
  generation: number,
  file: string,
): void {
  if (buf.length < FILE_HEADER_SIZE) {
    throw new Error(
      `Journal file ${file} is corrupt: ${buf.length}-byte file is shorter than its ${FILE_HEADER_SIZE}-byte header`,
    );
  }
  if (buf.toString('ascii', 0, 4) !== MAGIC[kind]) {
    throw new Error(`Journal file ${file} is not a ${kind} file (bad magic at offset 0)`);
  }
  if (buf.readUInt32LE(12) !== crc32(buf.subarray(0, 12))) {
    throw new Error(`Journal file ${file} is corrupt: header checksum mismatch at offset 12`);
  }
  const version = buf.readUInt32LE(4);
  if (version !== FORMAT_VERSION) {
    throw new Error(
      `Journal file ${file} has format version ${version}; this engine reads version ${FORMAT_VERSION}`,
    );
  }
  const gen = buf.readUInt32LE(8);
  if (gen !== generation) {
    throw new Error(
      `Journal file ${file} is corrupt: header says generation ${gen}, file name says ${generation}`,
    );
  }
}

/**
 * Frames records as `[len][crc][payload]...` in one contiguous buffer, so a
 * batch reaches the kernel in a single write. Empty records are refused: a
 * zero-filled tail (a common crash artefact) must never parse as valid data.
 */
export function encodeRecords(records: readonly Buffer[]): Buffer {
  let total = 0;
  for (const r of records) {
    if (!Buffer.isBuffer(r)) throw new TypeError('Journal records must be Buffers');
    if (r.length === 0) throw new RangeError('Journal records must not be empty');
    if (r.length > MAX_RECORD_SIZE)
      throw new RangeError(`Journal record of ${r.length} bytes exceeds ${MAX_RECORD_SIZE}`);
    total += RECORD_HEADER_SIZE + r.length;
  }
  const out = Buffer.allocUnsafe(total);
  let off = 0;
  for (const r of records) {
    out.writeUInt32LE(r.length, off);
    out.writeUInt32LE(crc32(r), off + 4);
    r.copy(out, off + RECORD_HEADER_SIZE);
    off += RECORD_HEADER_SIZE + r.length;
  }
  return out;
}

/** Payload length of the intact record at `off`, or -1 if none starts there. */
export function recordAt(buf: Buffer, off: number): number {
  if (off + RECORD_HEADER_SIZE > buf.length) return -1;
  const len = buf.readUInt32LE(off);
  const start = off + RECORD_HEADER_SIZE;
  if (len === 0 || start + len > buf.length) return -1;
  return crc32(buf.subarray(start, start + len)) === buf.readUInt32LE(off + 4) ? len : -1;
}

/** Result of scanning a log segment: its records and where the valid data ends. */
export interface LogScan {
  /** Payloads in append order (views into the scanned buffer, not copies). */
  records: Buffer[];
  /** Offset just past the last intact record; anything beyond is a torn tail. */
  validEnd: number;
}

/**
 * Reads every record of a log segment (header already checked). A damaged
 * record with nothing intact after it is a write cut short by a crash and is
 * reported via `validEnd` for truncation; a damaged record followed by intact
 * ones is real corruption and throws, naming the file and offset, because
 * skipping it would silently drop or reorder acknowledged writes.
 */
export function scanLog(buf: Buffer, file: string): LogScan {
  const records: Buffer[] = [];
  let off = FILE_HEADER_SIZE;
  while (off < buf.length) {
    const len = recordAt(buf, off);
    if (len < 0) {
      for (let p = off + 1; p + RECORD_HEADER_SIZE < buf.length; p++) {
        if (recordAt(buf, p) >= 0) {
          throw new Error(
            `Journal log ${file} is corrupt at offset ${off}: a damaged record is followed by intact ` +
              `data at offset ${p}. Refusing to skip it. Restore the data directory from a backup, or ` +
              `truncate the file to ${off} bytes to accept losing everything from that offset on.`,
          );
        }
      }
      return { records, validEnd: off };
    }
    const start = off + RECORD_HEADER_SIZE;
    records.push(buf.subarray(start, start + len));
    off = start + len;
  }
  return { records, validEnd: off };
}

/**
 * Decodes a snapshot file: header, then exactly one record. Snapshots are
 * written to a temp file, fsynced and renamed, so a damaged one can only come
 * from the storage itself; it throws rather than silently falling back to
 * older state (which would lose acknowledged writes).
 */
export function decodeSnapshot(buf: Buffer, file: string, generation: number): Buffer {
  checkFileHeader(buf, 'snapshot', generation, file);
  const len = recordAt(buf, FILE_HEADER_SIZE);
  if (len < 0 || FILE_HEADER_SIZE + RECORD_HEADER_SIZE + len !== buf.length) {
    throw new Error(
      `Journal snapshot ${file} is corrupt (bad length or checksum at offset ${FILE_HEADER_SIZE})`,
    );
  }
  return buf.subarray(FILE_HEADER_SIZE + RECORD_HEADER_SIZE);
}
