/**
 * The two yardsticks the fan-out benchmark runs beside Quorum, speaking the
 * same events so one client harness drives all three:
 *   bare   one Socket.IO room; each write is one broadcast of one payload
 *          (Socket.IO encodes it once): the floor for this machine;
 *   naive  the same room, but each write serializes and emits a payload per
 *          socket: what a per-recipient design costs.
 * A write is `POST /emit {kind: 'comment' | 'vote', mark, bytes}`; the payload
 * carries the mark where Quorum's does (comment body; for votes the count so
 * far as the poll's voterCount).
 *
 *   node --import tsx baseline-server.ts bare|naive   (a child of the benchmark, with IPC)
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { collectGarbage, serve, serverSampler } from './ipc.js';

const mode = process.argv[2];
if (mode !== 'bare' && mode !== 'naive') throw new Error('usage: baseline-server.ts bare|naive');

const ROOM = 'discussion';
const http = createServer();
const io = new Server(http, { serveClient: false });

io.on('connection', (socket) => {
  socket.on('discussion:watch', (_request: unknown, ack: unknown) => {
    void socket.join(ROOM);
    if (typeof ack === 'function') (ack as (r: unknown) => void)({ data: { events: [] } });
  });
});

/** Votes counted so far: like Quorum's poll, a payload carries the count, whatever order requests arrive in. */
let voterCount = 0;

/** A payload about the size of Quorum's, with the mark where the harness looks for it. */
function payload(kind: string, mark: number, bytes: number): Record<string, unknown> {
  const filler = 'x'.repeat(Math.max(0, bytes - 200));
  return kind === 'comment'
    ? { id: `c${mark}`, body: `bench c${mark}`, sentAt: new Date().toISOString(), filler }
    : { id: 'poll', voterCount, sentAt: new Date().toISOString(), filler };
}

http.on('request', (req, res) => {
  if (req.method !== 'POST' || req.url !== '/emit') {
    res.writeHead(404).end();
    return;
  }
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString()));
  req.on('end', () => {
    const { kind, mark, bytes } = JSON.parse(body) as { kind: string; mark: number; bytes: number };
    const event = kind === 'comment' ? 'comment:upserted' : 'poll:upserted';
    if (kind === 'vote') voterCount += 1;
    if (mode === 'bare') {
      io.to(ROOM).emit(event, payload(kind, mark, bytes));
    } else {
      for (const id of io.of('/').adapter.rooms.get(ROOM) ?? []) {
        io.of('/')
          .sockets.get(id)
          ?.emit(event, { ...payload(kind, mark, bytes), socket: id });
      }
    }
    res.writeHead(201, { 'content-type': 'application/json' }).end('{}');
  });
});

http.listen(0, '127.0.0.1', () => {
  const { port } = http.address() as AddressInfo;
  const sample = serverSampler(() => ({ commands: {}, sockets: io.engine.clientsCount }));
  serve({
    sample,
    gc: () => {
      collectGarbage();
      return sample();
    },
    stop: () => {
      void io.close();
      setImmediate(() => process.exit(0));
      return null;
    },
  });
  process.send?.({ ready: true, url: `http://127.0.0.1:${port}`, pid: process.pid });
});
