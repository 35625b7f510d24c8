/**
 * Test support for retryable writes: a TCP proxy in front of the engine that
 * forwards everything but can swallow the reply to one command and cut the
 * connection instead, which is what a lost reply looks like to the driver (it
 * then retries the write on a new connection). The engine in a child process,
 * killed and restarted, is test-engine-process.ts.
 */
import net from 'node:net';
import { deserialize } from 'bson';
import { expect } from 'chai';
import { Long, MongoClient, type ClientSession, type Db, type Document } from 'mongodb';
import { OP_MSG } from './wire/protocol.js';

/** Test documents with ids of any type. */
export interface Loose extends Document {
  _id: number | string;
}

/** Sends `command` as a retryable write of `session` with an explicit txnNumber. */
export function send(db: Db, session: ClientSession, txnNumber: number, command: Document) {
  return db.command({ ...command, txnNumber: Long.fromNumber(txnNumber) }, { session });
}

/** What a test writes through: a client of its own, an emptied database and a session. */
export interface RetrySession {
  client: MongoClient;
  db: Db;
  session: ClientSession;
}

/**
 * A client of its own per test (its pooled sessions never meet another test's
 * txnNumbers), the database emptied, and the session's lsid taken first, so
 * implicit sessions (and their own txnNumbers) use other ones.
 */
export async function openRetrySession(uri: string, dbName: string): Promise<RetrySession> {
  const client = await new MongoClient(uri, { serverSelectionTimeoutMS: 5000 }).connect();
  const db = client.db(dbName);
  const session = client.startSession();
  expect(session.id).to.have.property('id');
  await db.dropDatabase();
  return { client, db, session };
}

export async function closeRetrySession({ client, session }: RetrySession): Promise<void> {
  await session.endSession();
  await client.close();
}

/** Splits a byte stream into wire-protocol frames (int32 length prefix). */
function framer(onFrame: (frame: Buffer) => void): (chunk: Buffer) => void {
  let pending = Buffer.alloc(0);
  return (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 4 && pending.length >= pending.readInt32LE(0)) {
      const length = pending.readInt32LE(0);
      onFrame(pending.subarray(0, length));
      pending = pending.subarray(length);
    }
  };
}

/** The command name of an OP_MSG request (its body's first field), if it is one. */
function commandOf(frame: Buffer): string | undefined {
  if (frame.readInt32LE(12) !== OP_MSG || frame[20] !== 0) return undefined;
  const body = deserialize(frame.subarray(21, 21 + frame.readInt32LE(21)));
  return Object.keys(body)[0];
}

export interface LossyProxy {
  uri: string;
  /** The next `name` command's reply is dropped and its connection closed (once per call). */
  loseNextReply(name: string): void;
  /** How many replies were dropped so far. */
  readonly dropped: number;
  /** The names of the commands clients sent through the proxy, in order. */
  readonly commands: readonly string[];
  close(): Promise<void>;
}

/** Starts a proxy to the engine listening on 127.0.0.1:`targetPort`. */
export async function startLossyProxy(targetPort: number): Promise<LossyProxy> {
  let armed: string | null = null;
  let dropped = 0;
  const commands: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    const doomed = new Set<number>();
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    const fromClient = framer((frame) => {
      const name = commandOf(frame);
      if (name !== undefined) commands.push(name);
      if (armed !== null && name === armed) {
        armed = null;
        doomed.add(frame.readInt32LE(4));
      }
    });
    client.on('data', (chunk: Buffer) => {
      fromClient(chunk);
      upstream.write(chunk);
    });
    const fromUpstream = framer((frame) => {
      if (doomed.has(frame.readInt32LE(8))) {
        dropped++;
        cut();
        return;
      }
      if (!client.destroyed) client.write(frame);
    });
    upstream.on('data', fromUpstream);
    for (const socket of [client, upstream]) {
      socket.on('error', cut);
      socket.on('close', () => {
        sockets.delete(socket);
        cut();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    uri: `mongodb://127.0.0.1:${port}/?directConnection=true`,
    loseNextReply(name) {
      armed = name;
    },
    get dropped() {
      return dropped;
    },
    get commands() {
      return commands;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
