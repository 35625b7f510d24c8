import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import { freePort, QuorumChild, sharedSecret } from './realtime/test-process.js';

/**
 * Stopping Quorum while clients are connected, as an operator does: SIGTERM to
 * the real process on its embedded engine. Open WebSockets and long polls once
 * kept it from exiting for minutes, and the locked data directory kept the
 * next start from starting.
 */
describe('stopping Quorum with live clients open (SIGTERM to a real process)', function () {
  this.timeout(120_000);
  const TIMEOUT_MS = 4000;
  let dataDir: string;
  let quorum: QuorumChild;
  const sockets: Socket[] = [];

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'quorum-stop-'));
    quorum = new QuorumChild({
      port: await freePort(),
      jwtSecret: sharedSecret(),
      dataDir,
      env: { SHUTDOWN_TIMEOUT_MS: String(TIMEOUT_MS) },
    });
    await quorum.start();
  });
  after(async () => {
    for (const socket of sockets) socket.disconnect();
    await quorum.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** The next `event` of a socket, with its first argument. */
  const next = (socket: Socket, event: string) =>
    new Promise<unknown>((resolve) => socket.once(event, resolve));

  /** A client as the web client connects: reconnecting by itself (quickly, for the test). */
  async function client(transport: 'websocket' | 'polling'): Promise<Socket> {
    const socket = connect(quorum.url, {
      transports: [transport],
      reconnectionDelay: 100,
      reconnectionDelayMax: 300,
    });
    sockets.push(socket);
    await next(socket, 'connect');
    return socket;
  }

  it('exits within SHUTDOWN_TIMEOUT_MS; its WebSocket and polling clients see the transport close and come back when it starts again on the same data', async () => {
    const clients = [await client('websocket'), await client('polling')];
    // A long poll is held open by the server until there is something to send.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const reasons = Promise.all(clients.map((socket) => next(socket, 'disconnect')));

    const stopped = await quorum.terminate(TIMEOUT_MS + 20_000);
    expect(stopped.code, quorum.errors).to.equal(0);
    expect(stopped.ms).to.be.below(TIMEOUT_MS);
    // Not `io server disconnect`, after which a client would not reconnect by itself.
    expect(await reasons).to.deep.equal(['transport close', 'transport close']);

    // The engine released its lock: the same data directory starts again, on the same port.
    const back = Promise.all(clients.map((socket) => next(socket, 'connect')));
    await quorum.start();
    await back;
    expect(clients.map((socket) => socket.connected)).to.deep.equal([true, true]);
  });
});
