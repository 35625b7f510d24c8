import { expect } from 'chai';
import { once } from 'node:events';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connect } from 'socket.io-client';
import type { MeetingPatchDto } from '../../../shared/meeting-patch.js';
import type { QuorumServer } from './io.js';
import { emitInTurns, SHARE } from './room-turns.js';
import type { Client } from './test-clients.js';

const ROOM = 'meeting:0123456789abcdef01234567:participant';
const patch = (version: number) => ({ view: 'participant', version }) as unknown as MeetingPatchDto;

describe('realtime: emitting to a large room in turns', () => {
  let http: HttpServer;
  let io: QuorumServer;
  let clients: Client[];
  /** What each client received, in order (versions). */
  let received: number[][];

  beforeEach(async () => {
    http = createServer();
    io = new Server(http) as unknown as QuorumServer;
    http.listen(0, '127.0.0.1');
    await once(http, 'listening');
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    clients = [];
    received = [];
    // Two and a half shares in the room, and one socket outside it.
    const inRoom = Math.floor(SHARE * 2.5);
    let joined = 0;
    io.on('connection', (socket) => {
      if (joined++ < inRoom) void socket.join(ROOM);
    });
    for (let i = 0; i <= inRoom; i++) {
      const client: Client = connect(url, { transports: ['websocket'], forceNew: true });
      const mine: number[] = [];
      client.on('meeting:patch', (p) => void mine.push(p.version));
      await once(client as never, 'connect');
      clients.push(client);
      received.push(mine);
    }
  });

  afterEach(async () => {
    for (const client of clients) client.disconnect();
    await io.close();
  });

  /** Until every client of the room has `count` messages, then a moment for any extra one. */
  async function settle(count: (i: number) => number): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (received.slice(0, -1).some((mine, i) => mine.length < count(i))) {
      if (Date.now() > deadline) throw new Error('timed out waiting for the room');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  it('reaches every socket of the room once, in the order of emission, and none outside it', async () => {
    await emitInTurns(io, ROOM, 'meeting:patch', patch(1));
    await emitInTurns(io, ROOM, 'meeting:patch', patch(2));
    await settle(() => 2);
    const outside = received.at(-1)!;
    expect(outside).to.deep.equal([]);
    for (const mine of received.slice(0, -1)) expect(mine).to.deep.equal([1, 2]);
  });

  it('lets other work run between shares, and skips sockets that left the room meanwhile', async () => {
    const ids = [...io.of('/').adapter.rooms.get(ROOM)!];
    // Work waiting for the next turn: it runs once the first share is written, before the second.
    setImmediate(() => {
      // Moved to another view (or removed) while the room was being written.
      for (const id of ids.slice(SHARE)) void io.of('/').sockets.get(id)?.leave(ROOM);
    });
    await emitInTurns(io, ROOM, 'meeting:patch', patch(1));
    const byId = new Map(clients.map((client, i) => [client.id, received[i]]));
    const first = new Set(ids.slice(0, SHARE));
    await settle((i) => (first.has(clients[i].id!) ? 1 : 0));
    for (const id of ids.slice(0, SHARE)) expect(byId.get(id), id).to.deep.equal([1]);
    for (const id of ids.slice(SHARE)) expect(byId.get(id), id).to.deep.equal([]);
  });
});
