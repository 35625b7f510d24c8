/**
 * The TCP side of the engine: one reader per socket splitting frames, requests on
 * a socket answered strictly in order, and every malformed input answered with an
 * error or a closed socket, never with a crash.
 */
import net from 'node:net';
import type { Document } from 'bson';
import { FrameReader, ProtocolError, decodeRequest, encodeMsg, encodeReply, OP_QUERY, OP_MSG } from './wire/protocol.js';
import { runCommand } from './commands/dispatch.js';
import type { EngineState } from './commands/context.js';

let nextConnectionId = 1;

export function createWireServer(engine: EngineState, sockets: Set<net.Socket>): net.Server {
  return net.createServer((socket) => {
    const connectionId = nextConnectionId++;
    const reader = new FrameReader();
    const closed = new AbortController();
    let queue: Promise<void> = Promise.resolve();
    sockets.add(socket);
    socket.setNoDelay(true);

    const send = (buffer: Buffer) => {
      if (!socket.destroyed) socket.write(buffer);
    };

    const handle = async (frame: Buffer) => {
      let opCode = OP_MSG;
      let requestId = 0;
      try {
        requestId = frame.readInt32LE(4);
        opCode = frame.readInt32LE(12);
        const request = decodeRequest(frame);
        const defaultDb = request.fullCollectionName?.split('.')[0] ?? 'admin';
        const reply = await runCommand(engine, { command: request.command, defaultDb, connectionId, signal: closed.signal });
        if (request.noReply) return;
        send(encode(request.opCode, requestId, reply));
      } catch (err) {
        if (err instanceof ProtocolError && err.fatal) {
          socket.destroy();
          return;
        }
        const message = err instanceof Error ? err.message : String(err);
        const code = err instanceof ProtocolError ? 22 : 10334;
        const codeName = err instanceof ProtocolError ? 'InvalidBSON' : 'BSONObjectTooLarge';
        send(encode(opCode, requestId, { ok: 0, errmsg: message, code, codeName }));
      }
    };

    socket.on('data', (chunk: Buffer) => {
      let frames: Buffer[];
      try {
        frames = reader.push(chunk);
      } catch {
        socket.destroy();
        return;
      }
      for (const frame of frames) queue = queue.then(() => handle(frame));
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      closed.abort();
      sockets.delete(socket);
    });
  });
}

function encode(opCode: number, requestId: number, reply: Document): Buffer {
  try {
    return opCode === OP_QUERY ? encodeReply(requestId, reply) : encodeMsg(requestId, reply);
  } catch (err) {
    const fallback = { ok: 0, errmsg: `reply could not be encoded: ${(err as Error).message}`, code: 10334, codeName: 'BSONObjectTooLarge' };
    return opCode === OP_QUERY ? encodeReply(requestId, fallback) : encodeMsg(requestId, fallback);
  }
}
