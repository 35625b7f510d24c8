/**
 * Raw BSON documents in and out of a data file, one at a time, so neither a
 * backup nor a restore ever holds a whole collection in memory.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { DumpError } from './format.js';

/** MongoDB's document limit plus the headroom it allows internally. */
const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024 + 16 * 1024;
/** Smallest BSON document: int32 length + terminating zero. */
const MIN_DOCUMENT_BYTES = 5;
/** Writes are gathered into chunks of about this size. */
const WRITE_CHUNK_BYTES = 1024 * 1024;

/**
 * Appends documents to a new file, hashing as it goes. `close()` flushes and
 * fsyncs, so a manifest written afterwards never describes data still in a
 * kernel buffer.
 */
export class FrameWriter {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private readonly hash: Hash = createHash('sha256');
  count = 0;
  bytes = 0;

  private constructor(private readonly handle: FileHandle) {}

  static async create(file: string): Promise<FrameWriter> {
    return new FrameWriter(await open(file, 'wx', 0o600));
  }

  async write(document: Uint8Array): Promise<void> {
    this.pending.push(document);
    this.pendingBytes += document.byteLength;
    this.hash.update(document);
    this.count++;
    this.bytes += document.byteLength;
    if (this.pendingBytes >= WRITE_CHUNK_BYTES) await this.flush();
  }

  /** Flushes, fsyncs and closes; returns the file's SHA-256 (hex). */
  async close(): Promise<string> {
    try {
      await this.flush();
      await this.handle.sync();
    } finally {
      await this.handle.close();
    }
    return this.hash.digest('hex');
  }

  /** Closes without caring about the content (the caller discards the file). */
  async abandon(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }

  private async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const chunk = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    await this.handle.write(chunk);
  }
}

/** Running totals of a {@link readFrames} pass, final once the iteration ends. */
export interface FrameTally {
  count: number;
  bytes: number;
  /** SHA-256 of everything read, set when the file was read to its end. */
  sha256: string | null;
}

/**
 * Yields each document of `file` as its raw bytes. Frames are checked as they
 * are cut (a sane length prefix, the terminating zero), and a partial document
 * at the end is reported as truncation rather than ignored.
 * @throws DumpError for a malformed or truncated file.
 */
export async function* readFrames(
  file: string,
  tally: FrameTally = { count: 0, bytes: 0, sha256: null },
): AsyncGenerator<Buffer> {
  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  let buffered = 0;
  let needed = 4;
  let frameLength: number | null = null;

  /** Removes and returns the first `n` buffered bytes (n <= buffered). */
  const take = (n: number): Buffer => {
    const joined = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, buffered);
    chunks.length = 0;
    const head = joined.subarray(0, n);
    if (joined.length > n) chunks.push(joined.subarray(n));
    buffered -= n;
    return head;
  };

  for await (const chunk of createReadStream(file, {
    highWaterMark: 256 * 1024,
  }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    chunks.push(chunk);
    buffered += chunk.length;
    while (buffered >= needed) {
      if (frameLength === null) {
        const joined = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, buffered);
        chunks.length = 0;
        chunks.push(joined);
        frameLength = joined.readInt32LE(0);
        if (frameLength < MIN_DOCUMENT_BYTES || frameLength > MAX_DOCUMENT_BYTES) {
          throw new DumpError(
            `${file} is corrupt: document ${tally.count + 1} (at byte ${tally.bytes}) declares an impossible length of ${frameLength} bytes`,
          );
        }
        needed = frameLength;
        continue;
      }
      const frame = Buffer.from(take(frameLength));
      if (frame[frame.length - 1] !== 0) {
        throw new DumpError(
          `${file} is corrupt: document ${tally.count + 1} (at byte ${tally.bytes}) does not end where its length says`,
        );
      }
      tally.count++;
      tally.bytes += frame.length;
      frameLength = null;
      needed = 4;
      yield frame;
    }
  }
  if (buffered > 0) {
    throw new DumpError(
      `${file} is truncated: ${buffered} bytes after document ${tally.count} are not a whole document`,
    );
  }
  tally.sha256 = hash.digest('hex');
}
