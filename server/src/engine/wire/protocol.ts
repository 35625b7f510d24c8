/**
 * MongoDB wire protocol framing: splitting a byte stream into messages, decoding
 * the two request kinds the driver sends (legacy OP_QUERY for the first hello on
 * each socket, OP_MSG for everything after), and encoding OP_REPLY / OP_MSG replies.
 * Decoding never throws anything but `ProtocolError`, carrying the code mongod
 * uses for the same fault, so the connection can decide between answering with an
 * error and closing the socket.
 */
import { deserialize, serialize, type Document } from 'bson';
import { crc32c } from './crc32c.js';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_MSG = 2013;
export const OP_COMPRESSED = 2012;
export const MAX_MESSAGE_BYTES = 48_000_000;
export const MAX_BSON_BYTES = 16 * 1024 * 1024;
/** Command documents may exceed the user-document limit by this much (mongod's BSONObjMaxInternalSize). */
const MAX_INTERNAL_BSON_BYTES = MAX_BSON_BYTES + 16 * 1024;
/** mongod refuses incoming BSON nested deeper than this (objects and arrays below the top level). */
export const MAX_BSON_DEPTH = 200;

const FLAG_CHECKSUM = 1 << 0;
const FLAG_MORE_TO_COME = 1 << 1;
/** The low 16 flag bits are "required": a receiver must reject bits it does not know. */
const REQUIRED_FLAG_MASK = 0xffff;
const KNOWN_FLAGS = FLAG_CHECKSUM | FLAG_MORE_TO_COME;
const HEADER = 16;

/**
 * A frame the engine cannot understand. `fatal` means the stream is unrecoverable
 * (or, as for mongod's ConnectionFatalMessageParseError codes, must not be trusted)
 * and the socket must close; otherwise the client gets `{ok: 0, code, codeName}`.
 */
export class ProtocolError extends Error {
  constructor(
    message: string,
    readonly fatal: boolean,
    readonly code = 22,
    readonly codeName = 'InvalidBSON',
  ) {
    super(message);
  }

  toReply(): Document {
    return { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName };
  }
}

const structural = (message: string) => new ProtocolError(message, false, 17, 'ProtocolError');
const location = (code: number, message: string) =>
  new ProtocolError(message, false, code, `Location${code}`);

export interface Request {
  requestId: number;
  opCode: typeof OP_QUERY | typeof OP_MSG;
  /** The command with kind-1 sections merged in as array fields. */
  command: Document;
  /** OP_QUERY's target collection (`admin.$cmd`); OP_MSG carries `$db` in the command. */
  fullCollectionName?: string;
  /** moreToCome: the client expects no reply. */
  noReply: boolean;
}

/**
 * Accumulates socket chunks and yields whole frames. The 16-byte header is checked
 * (length bounds, known opCode) before any body is waited for, so nothing is ever
 * buffered on the word of an impossible header.
 */
export class FrameReader {
  /** Small chunks are merged in groups of this many, so a frame trickling in byte by byte costs no per-byte objects. */
  private static readonly MERGE = 256;
  private chunks: Buffer[] = [];
  private buffered = 0;

  /** Bytes held for an incomplete frame. */
  get pendingBytes(): number {
    return this.buffered;
  }

  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    if (this.chunks.length >= 2 * FrameReader.MERGE) {
      // Each byte is copied at most once here: only the newest chunks are joined.
      const tail = this.chunks.splice(-FrameReader.MERGE);
      this.chunks.push(Buffer.concat(tail));
    }
    const frames: Buffer[] = [];
    while (this.buffered >= 4) {
      const head = this.peek(Math.min(this.buffered, HEADER));
      const length = head.readInt32LE(0);
      if (length < HEADER) throw new ProtocolError(`invalid message length ${length}`, true);
      if (length > MAX_MESSAGE_BYTES) {
        const limit = `maxMessageSizeBytes ${MAX_MESSAGE_BYTES}`;
        throw new ProtocolError(`message length ${length} exceeds ${limit}`, true);
      }
      if (head.length < HEADER) break;
      const opCode = head.readInt32LE(12);
      if (opCode !== OP_MSG && opCode !== OP_QUERY) {
        throw new ProtocolError(`unsupported opCode ${opCode}`, true);
      }
      if (this.buffered < length) break;
      frames.push(this.take(length));
    }
    return frames;
  }

  /** A buffer starting with the first `n` buffered bytes (n <= buffered), joining only the leading chunks needed. */
  private peek(n: number): Buffer {
    if (this.chunks[0].length >= n) return this.chunks[0];
    let count = 0;
    for (let bytes = 0; bytes < n; count++) bytes += this.chunks[count].length;
    this.chunks.splice(0, count, Buffer.concat(this.chunks.slice(0, count)));
    return this.chunks[0];
  }

  private take(n: number): Buffer {
    const all =
      this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.buffered);
    const frame = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return frame;
  }
}

function readCString(buf: Buffer, offset: number, end: number): [string, number] {
  const zero = offset < end ? buf.indexOf(0, offset) : -1;
  if (zero < 0 || zero >= end) throw structural('unterminated cstring');
  const bytes = buf.subarray(offset, zero);
  const text = bytes.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(bytes))
    throw new ProtocolError('invalid UTF-8 in cstring', false);
  return [text, zero + 1];
}

const depthError = () =>
  new ProtocolError(
    `BSONObj exceeded maximum nested object depth: ${MAX_BSON_DEPTH}`,
    false,
    15,
    'Overflow',
  );

/** Rejects documents nested deeper than mongod accepts, before any handler recurses into them. */
function checkDepth(doc: Document): void {
  const stack: Array<[unknown, number]> = [[doc, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (depth > MAX_BSON_DEPTH) throw depthError();
    if (Array.isArray(value)) for (const item of value) stack.push([item, depth + 1]);
    else if (value !== null && typeof value === 'object') {
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto === Object.prototype || proto === null)
        for (const item of Object.values(value)) stack.push([item, depth + 1]);
    }
  }
}

function readDocument(buf: Buffer, offset: number, end: number): [Document, number] {
  if (offset + 5 > end) throw new ProtocolError('truncated BSON document', false);
  const size = buf.readInt32LE(offset);
  if (size < 5 || offset + size > end)
    throw new ProtocolError(`invalid BSON document size ${size}`, false);
  if (size > MAX_INTERNAL_BSON_BYTES) {
    throw new ProtocolError(
      `BSON document of ${size} bytes exceeds the limit of ${MAX_INTERNAL_BSON_BYTES}`,
      false,
      10334,
      'BSONObjectTooLarge',
    );
  }
  let doc: Document;
  try {
    doc = deserialize(buf.subarray(offset, offset + size), { validation: { utf8: true } });
  } catch (err) {
    // Input nested deep enough to overflow the decoder's recursion is far past the depth limit.
    if (err instanceof RangeError && /call stack/i.test(err.message)) throw depthError();
    throw new ProtocolError(`invalid BSON: ${(err as Error).message}`, false);
  }
  checkDepth(doc);
  return [doc, offset + size];
}

/** Whether a complete frame asks for no reply (OP_MSG moreToCome), readable even when the rest is malformed. */
export function wantsNoReply(frame: Buffer): boolean {
  return (
    frame.readInt32LE(12) === OP_MSG &&
    frame.length >= HEADER + 4 &&
    (frame.readUInt32LE(HEADER) & FLAG_MORE_TO_COME) !== 0
  );
}

function decodeQuery(frame: Buffer, requestId: number): Request {
  const end = frame.length;
  const [fullCollectionName, afterName] = readCString(frame, HEADER + 4, end); // after flags
  const [query] = readDocument(frame, afterName + 8, end); // after numberToSkip, numberToReturn
  // Legacy commands may wrap the command as { $query: {...}, $readPreference }.
  const wrapped: unknown = query.$query;
  const command =
    wrapped && typeof wrapped === 'object' && !Array.isArray(wrapped)
      ? (wrapped as Document)
      : query;
  return { requestId, opCode: OP_QUERY, command, fullCollectionName, noReply: false };
}

function decodeMsg(frame: Buffer, requestId: number): Request {
  const end = frame.length;
  if (end < HEADER + 5) throw new ProtocolError('truncated OP_MSG', true);
  const flags = frame.readUInt32LE(HEADER);
  if (flags & REQUIRED_FLAG_MASK & ~KNOWN_FLAGS) {
    throw new ProtocolError(
      `Message contains illegal flags value: 0b${flags.toString(2)}`,
      true,
      223,
      'IllegalOpMsgFlag',
    );
  }
  let limit = end;
  if (flags & FLAG_CHECKSUM) {
    limit = end - 4;
    if (limit < HEADER + 5) throw new ProtocolError('truncated OP_MSG checksum', true);
    if (crc32c(frame, 0, limit) !== frame.readUInt32LE(limit)) {
      throw new ProtocolError(
        'OP_MSG checksum does not match contents',
        true,
        288,
        'ChecksumMismatch',
      );
    }
  }
  let offset = HEADER + 4;
  let command: Document | undefined;
  const sequences = new Map<string, Document[]>();
  while (offset < limit) {
    const kind = frame[offset++];
    if (kind === 0) {
      if (command) throw location(40430, 'Multiple body sections in message');
      [command, offset] = readDocument(frame, offset, limit);
    } else if (kind === 1) {
      if (sequences.size >= 2)
        throw new ProtocolError(
          'Too many document sequences in OP_MSG',
          true,
          233,
          'TooManyDocumentSequences',
        );
      if (offset + 4 > limit) throw structural('truncated document sequence');
      const size = frame.readInt32LE(offset);
      const seqEnd = offset + size;
      if (size < 5 || seqEnd > limit) throw structural(`invalid document sequence size ${size}`);
      const [identifier, afterId] = readCString(frame, offset + 4, seqEnd);
      if (sequences.has(identifier))
        throw location(40431, `Duplicate document sequence: ${identifier}`);
      const docs: Document[] = [];
      for (let cursor = afterId; cursor < seqEnd;) {
        const [doc, next] = readDocument(frame, cursor, seqEnd);
        docs.push(doc);
        cursor = next;
      }
      sequences.set(identifier, docs);
      offset = seqEnd;
    } else {
      throw location(40432, `Unknown section kind ${kind}`);
    }
  }
  if (!command) throw location(40587, 'OP_MSG messages must have a body');
  for (const [identifier, docs] of sequences) {
    if (Object.hasOwn(command, identifier))
      throw location(40433, `Duplicate field between body and document sequence ${identifier}`);
    command[identifier] = docs;
  }
  return { requestId, opCode: OP_MSG, command, noReply: (flags & FLAG_MORE_TO_COME) !== 0 };
}

/** Decodes one complete frame (as yielded by FrameReader) into a request. */
export function decodeRequest(frame: Buffer): Request {
  const requestId = frame.readInt32LE(4);
  const opCode = frame.readInt32LE(12);
  if (opCode === OP_QUERY) return decodeQuery(frame, requestId);
  if (opCode === OP_MSG) return decodeMsg(frame, requestId);
  throw new ProtocolError(`unsupported opCode ${opCode}`, true);
}

let nextResponseId = 1;

function header(length: number, responseTo: number, opCode: number): Buffer {
  const head = Buffer.alloc(HEADER);
  head.writeInt32LE(length, 0);
  head.writeInt32LE(nextResponseId++ & 0x7fffffff, 4);
  head.writeInt32LE(responseTo, 8);
  head.writeInt32LE(opCode, 12);
  return head;
}

/** OP_REPLY for the legacy OP_QUERY handshake. */
export function encodeReply(responseTo: number, doc: Document): Buffer {
  const body = serialize(doc);
  const prefix = Buffer.alloc(20); // responseFlags, cursorID (int64 0), startingFrom, numberReturned
  prefix.writeInt32LE(0, 0);
  prefix.writeInt32LE(0, 12);
  prefix.writeInt32LE(1, 16);
  const length = HEADER + prefix.length + body.length;
  return Buffer.concat([header(length, responseTo, OP_REPLY), prefix, body]);
}

/** OP_MSG reply: flags 0 and one kind-0 section. */
export function encodeMsg(responseTo: number, doc: Document): Buffer {
  const body = serialize(doc);
  const length = HEADER + 4 + 1 + body.length;
  const prefix = Buffer.alloc(5);
  return Buffer.concat([header(length, responseTo, OP_MSG), prefix, body]);
}
