import { expect } from 'chai';
import { once } from 'node:events';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { BinaryFramesAdapter } from './binary-frames.js';

type Received = Array<[string, unknown]>;

const bytes = (length: number, seed: number) =>
  Uint8Array.from({ length }, (_, i) => (i * 31 + seed) % 256);

/** What a client saw, with binary data as plain arrays (Buffers and ArrayBuffers alike). */
function plain(value: unknown): unknown {
  if (value instanceof ArrayBuffer) return [...new Uint8Array(value)];
  if (ArrayBuffer.isView(value))
    return [...new Uint8Array(value.buffer, value.byteOffset, value.byteLength)];
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

describe('realtime: binary broadcasts framed once', () => {
  let http: HttpServer;
  let io: Server;
  let url: string;
  const clients: Socket[] = [];

  before(async () => {
    http = createServer();
    io = new Server(http, { adapter: BinaryFramesAdapter });
    io.on('connection', (socket) => void socket.join('room'));
    http.listen(0, '127.0.0.1');
    await once(http, 'listening');
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const client of clients) client.disconnect();
    await io.close();
  });

  async function client(options: Parameters<typeof connect>[1]): Promise<{
    socket: Socket;
    received: Received;
  }> {
    const socket = connect(url, { forceNew: true, ...options });
    clients.push(socket);
    const received: Received = [];
    socket.onAny((event: string, payload: unknown) => received.push([event, plain(payload)]));
    await once(socket as never, 'connect');
    return { socket, received };
  }

  it('delivers text and binary packets, in order, to websocket, base64, polling and upgrading clients alike', async () => {
    const websocket = await client({ transports: ['websocket'] });
    const base64 = await client({ transports: ['websocket'], forceBase64: true });
    const polling = await client({ transports: ['polling'] });
    // Polling first, then upgrading to a WebSocket meanwhile.
    const upgrading = await client({});
    const excluded = await client({ transports: ['websocket'] });
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Frames whose length takes one byte, two bytes and eight bytes, and a packet of two attachments.
    const sent: Received = [
      ['text', { doc: 'a', n: 1 }],
      ['small', { doc: 'a', sync: bytes(40, 1) }],
      ['medium', { doc: 'a', sync: bytes(300, 2) }],
      ['large', { doc: 'a', sync: bytes(70_000, 3) }],
      ['two', { first: bytes(5, 4), nested: { second: bytes(126, 5) } }],
      ['views', { buffer: bytes(8, 6).buffer, slice: bytes(16, 7).subarray(4, 12) }],
      ['text', { doc: 'b', n: 2 }],
    ];
    const room = io.local.to('room').except(excluded.socket.id!);
    for (const [event, payload] of sent) room.emit(event, payload);
    const expected = sent.map(([event, payload]) => [event, plain(payload)]);
    // Everything arrives (a garbled frame would close the connection and stop the count short).
    for (let waited = 0; waited < 10_000; waited += 20) {
      if (
        [websocket, base64, polling, upgrading].every((c) => c.received.length >= expected.length)
      )
        break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(websocket.received).to.deep.equal(expected);
    expect(base64.received).to.deep.equal(expected);
    expect(polling.received).to.deep.equal(expected);
    expect(upgrading.received).to.deep.equal(expected);
    expect(excluded.received).to.deep.equal([]);
    // Still connected: no frame confused a client.
    for (const { socket } of [websocket, base64, polling, upgrading, excluded])
      expect(socket.connected).to.equal(true);
  });
});
