/**
 * The TCP side of the engine: one reader per socket splitting frames, requests on
 * a socket answered strictly in order, and every malformed input answered with an
 * error or a closed socket, never with a crash. Each socket is isolated: whatever
 * goes wrong while handling one of its frames ends at most that socket.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { Document } from 'bson';
import {
  FrameReader,
  ProtocolError,
  decodeRequest,
  encodeMsg,
  encodeReply,
  wantsNoReply,
  OP_QUERY,
  type Request,
} from './wire/protocol.js';
import { runCommand } from './commands/dispatch.js';
import type { EngineState } from './commands/context.js';

/** Reading from a socket pauses while this many of its frames (or bytes) wait to be handled. */
const MAX_QUEUED_FRAMES = 64;
const MAX_QUEUED_BYTES = 64 * 1024 * 1024;
/** The only commands a legacy OP_QUERY may carry, as on mongod 6+: the connection handshake. */
const OP_QUERY_COMMANDS = new Set(['hello', 'isMaster', 'ismaster']);

let nextConnectionId = 1;

/** A certificate and its private key (PEM): the engine then speaks only TLS. */
export interface TlsFiles {
  cert: string | Buffer;
  key: string | Buffer;
}

export function createWireServer(
  engine: EngineState,
  sockets: Set<net.Socket>,
  tlsFiles?: TlsFiles,
): net.Server {
  const serve = (socket: net.Socket) => serveConnection(engine, sockets, socket);
  const server = tlsFiles
    ? tls.createServer({ cert: tlsFiles.cert, key: tlsFiles.key, minVersion: 'TLSv1.2' }, serve)
    : net.createServer(serve);
  // Accept failures (EMFILE and the like) are emitted here; without a listener they would end the process.
  server.on('error', () => {});
  // A client that fails the TLS handshake (plain TCP, bad version) is simply dropped.
  server.on('tlsClientError', (_err: Error, socket: tls.TLSSocket) => socket.destroy());
  return server;
}

function serveConnection(engine: EngineState, sockets: Set<net.Socket>, socket: net.Socket): void {
  const connectionId = nextConnectionId++;
  const reader = new FrameReader();
  const closed = new AbortController();
  let queue: Promise<void> = Promise.resolve();
  let queuedFrames = 0;
  let queuedBytes = 0;
  /** Set once the engine itself gives up on the stream: nothing queued behind the fault runs. */
  let killed = false;
  sockets.add(socket);
  const connection = {
    id: connectionId,
    client: `${socket.remoteAddress ?? ''}:${socket.remotePort ?? 0}`,
    connectedAt: new Date(),
  };
  engine.activity.connected(connection);
  socket.setNoDelay(true);
  // A peer that vanished without FIN or RST is noticed eventually, releasing what its socket holds.
  socket.setKeepAlive(true, 120_000);

  const kill = () => {
    killed = true;
    socket.destroy();
  };

  /** Writes a reply; while the client is not reading, waits (stalling this socket's queue, not others). */
  const send = async (buffer: Buffer) => {
    if (socket.destroyed || !socket.writable) return;
    if (socket.write(buffer)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        socket.off('drain', done);
        socket.off('close', done);
        resolve();
      };
      socket.on('drain', done);
      socket.on('close', done);
      if (socket.destroyed) done();
    });
  };

  const handle = async (frame: Buffer) => {
    const noReply = wantsNoReply(frame);
    // Nothing runs after a fatal fault; a request whose reply can no longer be delivered is skipped too.
    if (killed || (!noReply && socket.destroyed)) return;
    const requestId = frame.readInt32LE(4);
    const opCode = frame.readInt32LE(12);
    let reply: Document;
    try {
      const request = decodeRequest(frame);
      checkLegacyQuery(request);
      const defaultDb = request.fullCollectionName?.split('.')[0] || 'admin';
      reply = await runCommand(engine, {
        command: request.command,
        defaultDb,
        connectionId,
        connection,
        signal: closed.signal,
      });
    } catch (err) {
      // A malformed fire-and-forget message cannot be answered: closing is the only way to tell the client.
      if (err instanceof ProtocolError && (err.fatal || noReply)) return kill();
      reply = err instanceof ProtocolError ? err.toReply() : internalError(err);
    }
    if (noReply) return;
    await send(encode(opCode, requestId, reply));
  };

  const enqueue = (frame: Buffer) => {
    queuedFrames++;
    queuedBytes += frame.length;
    queue = queue
      .then(() => handle(frame))
      .catch(kill)
      .finally(() => {
        queuedFrames--;
        queuedBytes -= frame.length;
        if (
          socket.isPaused() &&
          queuedFrames <= MAX_QUEUED_FRAMES / 2 &&
          queuedBytes <= MAX_QUEUED_BYTES / 2
        )
          socket.resume();
      });
  };

  socket.on('data', (chunk: Buffer) => {
    let frames: Buffer[];
    try {
      frames = reader.push(chunk);
    } catch {
      kill();
      return;
    }
    for (const frame of frames) enqueue(frame);
    // Backpressure: a client that sends faster than it is served waits in TCP, not in engine memory.
    if (queuedFrames >= MAX_QUEUED_FRAMES || queuedBytes >= MAX_QUEUED_BYTES) socket.pause();
  });
  socket.on('error', () => socket.destroy());
  socket.on('close', () => {
    closed.abort();
    sockets.delete(socket);
    engine.activity.disconnected(connectionId);
  });
}

/** mongod 6+ answers legacy OP_QUERY only for the handshake; anything else gets UnsupportedOpQueryCommand. */
function checkLegacyQuery(request: Request): void {
  if (request.opCode !== OP_QUERY) return;
  const name = Object.keys(request.command)[0];
  if (
    request.fullCollectionName?.endsWith('.$cmd') &&
    name !== undefined &&
    OP_QUERY_COMMANDS.has(name)
  )
    return;
  const what = request.fullCollectionName?.endsWith('.$cmd')
    ? `command: ${name ?? '(empty)'}`
    : `query on ${request.fullCollectionName}`;
  throw new ProtocolError(
    `Unsupported OP_QUERY ${what}. The client driver may require an upgrade.`,
    false,
    352,
    'UnsupportedOpQueryCommand',
  );
}

function internalError(err: unknown): Document {
  const message = err instanceof Error ? err.message : String(err);
  return { ok: 0, errmsg: `internal error: ${message}`, code: 1, codeName: 'InternalError' };
}

function encode(opCode: number, requestId: number, reply: Document): Buffer {
  const wrap = opCode === OP_QUERY ? encodeReply : encodeMsg;
  try {
    return wrap(requestId, reply);
  } catch (err) {
    const fallback = {
      ok: 0,
      errmsg: `reply could not be encoded: ${(err as Error).message}`,
      code: 10334,
      codeName: 'BSONObjectTooLarge',
    };
    return wrap(requestId, fallback);
  }
}
