/**
 * MongoDB wire protocol framing: splitting a byte stream into messages, decoding
 * the two request kinds the driver sends (legacy OP_QUERY for the first hello on
 * each socket, OP_MSG for everything after), and encoding OP_REPLY / OP_MSG replies.
 * Decoding never throws anything but `ProtocolError`, so the connection can decide
 * between answering with an error and closing the socket.
 */
import { deserialize, serialize, type Document } from 'bson';
import { crc32c } from './crc32c.js';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_MSG = 2013;
export const OP_COMPRESSED = 2012;
export const MAX_MESSAGE_BYTES = 48_000_000;
export const MAX_BSON_BYTES = 16 * 1024 * 1024;

const FLAG_CHECKSUM = 1 << 0;
const FLAG_MORE_TO_COME = 1 << 1;
const HEADER = 16;

/** A frame the engine cannot understand. `fatal` means the stream is unrecoverable and the socket must close. */
export class ProtocolError extends Error {
  constructor(
    message: string,
    readonly fatal: boolean,
    readonly requestId = 0,
  ) {
    super(message);
  }
}

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

/** Accumulates socket chunks and yields whole frames; rejects impossible lengths before buffering them. */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;

  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Buffer[] = [];
    while (this.buffered >= 4) {
      const head = this.peek(4);
      const length = head.readInt32LE(0);
      if (length < HEADER) throw new ProtocolError(`invalid message length ${length}`, true);
      if (length > MAX_MESSAGE_BYTES) {
        throw new ProtocolError(`message length ${length} exceeds maxMessageSizeBytes ${MAX_MESSAGE_BYTES}`, true);
      }
      if (this.buffered < length) break;
      frames.push(this.take(length));
    }
    return frames;
  }

  private peek(n: number): Buffer {
    if (this.chunks[0].length >= n) return this.chunks[0];
    const all = Buffer.concat(this.chunks);
    this.chunks = [all];
    return all;
  }

  private take(n: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    const frame = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return frame;
  }
}

function readCString(buf: Buffer, offset: number, end: number): [string, number] {
  const zero = buf.indexOf(0, offset);
  if (zero < 0 || zero >= end) throw new ProtocolError('unterminated cstring', false);
  return [buf.toString('utf8', offset, zero), zero + 1];
}

function readDocument(buf: Buffer, offset: number, end: number, requestId: number): [Document, number] {
  if (offset + 5 > end) throw new ProtocolError('truncated BSON document', false, requestId);
  const size = buf.readInt32LE(offset);
  if (size < 5 || offset + size > end) throw new ProtocolError(`invalid BSON document size ${size}`, false, requestId);
  if (size > MAX_BSON_BYTES + 16 * 1024) throw new ProtocolError('BSON document too large', false, requestId);
  try {
    const doc = deserialize(buf.subarray(offset, offset + size), { validation: { utf8: true } });
    return [doc, offset + size];
  } catch (err) {
    throw new ProtocolError(`invalid BSON: ${(err as Error).message}`, false, requestId);
  }
}

/** Decodes one complete frame into a request. */
export function decodeRequest(frame: Buffer): Request {
  const requestId = frame.readInt32LE(4);
  const opCode = frame.readInt32LE(12);
  const end = frame.length;
  if (opCode === OP_QUERY) {
    let offset = HEADER + 4; // flags
    const [fullCollectionName, afterName] = readCString(frame, offset, end);
    offset = afterName + 8; // numberToSkip, numberToReturn
    const [query] = readDocument(frame, offset, end, requestId);
    // Legacy commands may wrap the command as { $query: {...}, $readPreference }.
    const command = query.$query && typeof query.$query === 'object' ? (query.$query as Document) : query;
    return { requestId, opCode, command, fullCollectionName, noReply: false };
  }
  if (opCode === OP_MSG) {
    if (end < HEADER + 5) throw new ProtocolError('truncated OP_MSG', true);
    const flags = frame.readUInt32LE(HEADER);
    let limit = end;
    if (flags & FLAG_CHECKSUM) {
      limit = end - 4;
      if (limit < HEADER + 5) throw new ProtocolError('truncated OP_MSG checksum', true);
      const expected = frame.readUInt32LE(limit);
      if (crc32c(frame, 0, limit) !== expected) throw new ProtocolError('OP_MSG checksum mismatch', false, requestId);
    }
    let offset = HEADER + 4;
    let command: Document | undefined;
    const sequences: Array<[string, Document[]]> = [];
    while (offset < limit) {
      const kind = frame[offset++];
      if (kind === 0) {
        if (command) throw new ProtocolError('OP_MSG has more than one body section', false, requestId);
        [command, offset] = readDocument(frame, offset, limit, requestId);
      } else if (kind === 1) {
        if (offset + 4 > limit) throw new ProtocolError('truncated document sequence', false, requestId);
        const size = frame.readInt32LE(offset);
        const seqEnd = offset + size;
        if (size < 5 || seqEnd > limit) throw new ProtocolError('invalid document sequence size', false, requestId);
        const [identifier, afterId] = readCString(frame, offset + 4, seqEnd);
        const docs: Document[] = [];
        let cursor = afterId;
        while (cursor < seqEnd) {
          const [doc, next] = readDocument(frame, cursor, seqEnd, requestId);
          docs.push(doc);
          cursor = next;
        }
        sequences.push([identifier, docs]);
        offset = seqEnd;
      } else {
        throw new ProtocolError(`unknown OP_MSG section kind ${kind}`, false, requestId);
      }
    }
    if (!command) throw new ProtocolError('OP_MSG without a body section', false, requestId);
    for (const [identifier, docs] of sequences) {
      const existing = command[identifier];
      command[identifier] = Array.isArray(existing) ? [...(existing as Document[]), ...docs] : docs;
    }
    return { requestId, opCode, command, noReply: (flags & FLAG_MORE_TO_COME) !== 0 };
  }
  throw new ProtocolError(`unsupported opCode ${opCode}`, true, requestId);
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
