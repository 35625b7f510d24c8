/**
 * Test support: a bare TCP client that writes hand-built (possibly malformed)
 * wire-protocol frames and reads whatever comes back, so tests can observe what
 * the engine does with input no real driver would send.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { deserialize, serialize, type Document } from 'bson';
import type { MongoClient } from 'mongodb';
import { crc32c } from './crc32c.js';
import { OP_MSG, OP_QUERY, OP_REPLY } from './protocol.js';

export interface RawReply {
  opCode: number;
  responseTo: number;
  /** OP_MSG flagBits or OP_REPLY responseFlags. */
  flags: number;
  doc: Document;
}

/** What the engine did with a request: answered it, or closed the socket. */
export type Outcome = { kind: 'reply'; reply: RawReply } | { kind: 'closed' } | { kind: 'silent' };

export function header(length: number, requestId: number, opCode: number): Buffer {
  const head = Buffer.alloc(16);
  head.writeInt32LE(length, 0);
  head.writeInt32LE(requestId, 4);
  head.writeInt32LE(0, 8);
  head.writeInt32LE(opCode, 12);
  return head;
}

/** A frame with a correct length prefix around an arbitrary body. */
export function frame(opCode: number, requestId: number, body: Buffer): Buffer {
  return Buffer.concat([header(16 + body.length, requestId, opCode), body]);
}

export type Section =
  | { kind: 0; doc: Document | Buffer }
  | { kind: 1; id: string; docs: Array<Document | Buffer> }
  | { kind: number; raw: Buffer };

const bytesOf = (doc: Document | Buffer) =>
  Buffer.isBuffer(doc) ? doc : Buffer.from(serialize(doc));

/** OP_MSG with explicit flags and sections; `checksum: true` appends a correct CRC-32C, a number appends that value instead. */
export function opMsg(
  requestId: number,
  sections: Section[],
  options: { flags?: number; checksum?: boolean | number } = {},
): Buffer {
  const parts: Buffer[] = [];
  for (const section of sections) {
    if ('raw' in section) parts.push(Buffer.from([section.kind]), section.raw);
    else if (section.kind === 0) parts.push(Buffer.from([0]), bytesOf(section.doc));
    else {
      const docs = Buffer.concat(section.docs.map(bytesOf));
      const id = Buffer.from(`${section.id}\0`, 'utf8');
      const size = Buffer.alloc(4);
      size.writeInt32LE(4 + id.length + docs.length, 0);
      parts.push(Buffer.from([1]), size, id, docs);
    }
  }
  let flags = options.flags ?? 0;
  if (options.checksum !== undefined && options.checksum !== false) flags |= 1;
  const flagBytes = Buffer.alloc(4);
  flagBytes.writeUInt32LE(flags >>> 0, 0);
  const withoutSum = frame(OP_MSG, requestId, Buffer.concat([flagBytes, ...parts]));
  if (options.checksum === undefined || options.checksum === false) return withoutSum;
  const out = Buffer.concat([withoutSum, Buffer.alloc(4)]);
  out.writeInt32LE(out.length, 0);
  const sum = options.checksum === true ? crc32c(out, 0, out.length - 4) : options.checksum;
  out.writeUInt32LE(sum >>> 0, out.length - 4);
  return out;
}

/** A plain command as OP_MSG with one body section. */
export function command(requestId: number, doc: Document, flags = 0): Buffer {
  return opMsg(requestId, [{ kind: 0, doc }], { flags });
}

/** Legacy OP_QUERY, as drivers send the first hello on a socket. */
export function opQuery(requestId: number, collection: string, query: Document): Buffer {
  const flags = Buffer.alloc(4);
  const skipReturn = Buffer.alloc(8);
  skipReturn.writeInt32LE(-1, 4);
  return frame(
    OP_QUERY,
    requestId,
    Buffer.concat([
      flags,
      Buffer.from(`${collection}\0`),
      skipReturn,
      Buffer.from(serialize(query)),
    ]),
  );
}

function parseReply(buf: Buffer): RawReply {
  const responseTo = buf.readInt32LE(8);
  const opCode = buf.readInt32LE(12);
  if (opCode === OP_REPLY) {
    return { opCode, responseTo, flags: buf.readInt32LE(16), doc: deserialize(buf.subarray(36)) };
  }
  if (opCode !== OP_MSG || buf[20] !== 0) throw new Error(`unexpected reply opCode ${opCode}`);
  return { opCode, responseTo, flags: buf.readUInt32LE(16), doc: deserialize(buf.subarray(21)) };
}

export class RawClient {
  readonly closed: Promise<void>;
  /** Received bytes not yet parsed; joined only once a whole reply is there. */
  private parts: Buffer[] = [];
  private partBytes = 0;
  private replies: RawReply[] = [];
  private waiters: Array<() => void> = [];
  private isClosed = false;
  /** Set when the engine sent bytes that do not parse as a reply. */
  replyError: Error | null = null;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.parts.push(chunk);
      this.partBytes += chunk.length;
      try {
        while (this.partBytes >= 4) {
          if (this.parts[0].length < 4) this.parts = [Buffer.concat(this.parts)];
          const length = this.parts[0].readInt32LE(0);
          if (length < 16) throw new Error(`reply with invalid length ${length}`);
          if (this.partBytes < length) break;
          const all = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts);
          this.replies.push(parseReply(all.subarray(0, length)));
          const rest = all.subarray(length);
          this.parts = rest.length > 0 ? [rest] : [];
          this.partBytes = rest.length;
        }
      } catch (err) {
        // An unreadable reply is itself a finding: surface it as the socket's end.
        this.replyError = err as Error;
        socket.destroy();
      }
      this.wake();
    });
    socket.on('error', () => {});
    this.closed = new Promise((resolve) =>
      socket.on('close', () => {
        this.isClosed = true;
        this.wake();
        resolve();
      }),
    );
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  get isOpen(): boolean {
    return !this.isClosed;
  }

  write(bytes: Buffer): Promise<void> {
    return new Promise((resolve) => {
      if (this.isClosed || !this.socket.writable) return resolve();
      this.socket.write(bytes, () => resolve());
    });
  }

  /** Writes `bytes` in pieces of `size`, each its own TCP segment (no coalescing by Nagle). */
  async writeInPieces(bytes: Buffer, size: number): Promise<void> {
    this.socket.setNoDelay(true);
    for (let i = 0; i < bytes.length; i += size) {
      await this.write(bytes.subarray(i, i + size));
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** The next reply, the socket closing, or silence after `timeoutMs`. */
  async outcome(timeoutMs = 2000): Promise<Outcome> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const reply = this.replies.shift();
      if (reply) return { kind: 'reply', reply };
      if (this.replyError) throw this.replyError;
      if (this.isClosed) return { kind: 'closed' };
      const left = deadline - Date.now();
      if (left <= 0) return { kind: 'silent' };
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Sends one request and returns what came of it. */
  async request(bytes: Buffer, timeoutMs = 2000): Promise<Outcome> {
    await this.write(bytes);
    return this.outcome(timeoutMs);
  }

  /** Stops reading replies, as a client that never reads would (TCP then pushes back on the engine). */
  pauseReading(): void {
    this.socket.pause();
  }

  resumeReading(): void {
    this.socket.resume();
  }

  destroy(): void {
    this.socket.destroy();
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}

/** Asserts the engine closed the socket (and sent nothing first). */
export function expectClosed(outcome: Outcome): void {
  assert.equal(
    outcome.kind,
    'closed',
    `expected the connection to close, got ${JSON.stringify(outcome)}`,
  );
}

/** Asserts a reply in MongoDB's error shape, optionally with a given code; returns it. */
export function expectMongoError(outcome: Outcome, code?: number): Document {
  if (outcome.kind !== 'reply')
    assert.fail(`expected an error reply, got ${JSON.stringify(outcome)}`);
  const doc = outcome.reply.doc;
  assert.equal(doc.ok, 0, `expected ok: 0 in ${JSON.stringify(doc)}`);
  assert.equal(typeof doc.code, 'number', 'error reply without a numeric code');
  assert.ok(
    typeof doc.codeName === 'string' && doc.codeName.length > 0,
    'error reply without a codeName',
  );
  assert.ok(
    typeof doc.errmsg === 'string' && doc.errmsg.length > 0,
    'error reply without an errmsg',
  );
  if (code !== undefined)
    assert.equal(doc.code, code, `expected code ${code}: ${String(doc.errmsg)}`);
  return doc;
}

/** Either outcome the requirement allows: a MongoDB-shaped error or a closed socket. */
export function expectErrorOrClosed(outcome: Outcome): void {
  if (outcome.kind === 'reply') expectMongoError(outcome);
  else expectClosed(outcome);
}

/** Asserts an `ok: 1` reply (to `responseTo`, when given); returns its document. */
export function expectOk(outcome: Outcome, responseTo?: number): Document {
  if (outcome.kind !== 'reply') assert.fail(`expected a reply, got ${JSON.stringify(outcome)}`);
  assert.equal(outcome.reply.doc.ok, 1, JSON.stringify(outcome.reply.doc));
  if (responseTo !== undefined) assert.equal(outcome.reply.responseTo, responseTo);
  return outcome.reply.doc;
}

/**
 * The well-behaved client next to the offending one: seeds data once, then checks
 * after each bad input that it is still served and that the data is unchanged.
 */
export class Bystander {
  static readonly SEED: Document[] = [
    { _id: 1, name: 'alpha', tags: ['x', 'y'] },
    { _id: 2, name: 'beta', nested: { deep: { n: 2 } } },
  ];
  private rounds = 0;

  constructor(
    private readonly client: MongoClient,
    private readonly dbName = 'bad',
  ) {}

  async seed(): Promise<void> {
    await this.client
      .db(this.dbName)
      .collection('sentinel')
      .insertMany(Bystander.SEED.map((d) => ({ ...d })));
  }

  /** (a) an insert + find round trip still works, (b) everything written before is intact. */
  async stillServed(): Promise<void> {
    const db = this.client.db(this.dbName);
    const marker = `round-${++this.rounds}`;
    await db.collection('probe').insertOne({ marker });
    assert.deepEqual(await db.collection('probe').findOne({ marker }, { projection: { _id: 0 } }), {
      marker,
    });
    assert.equal(await db.collection('probe').countDocuments(), this.rounds);
    assert.deepEqual(
      await db.collection('sentinel').find().sort({ _id: 1 }).toArray(),
      Bystander.SEED,
    );
  }

  async connections(): Promise<number> {
    const status = await this.client.db('admin').command({ serverStatus: 1 });
    return (status.connections as { current: number }).current;
  }

  /** Waits until the engine holds at most `max` connections (closed sockets are released). */
  async connectionsAtMost(max: number, timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.connections()) > max && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    assert.ok((await this.connections()) <= max, `engine still holds more than ${max} connections`);
  }
}
