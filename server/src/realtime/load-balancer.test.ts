import { expect } from 'chai';
import { io as connect } from 'socket.io-client';
import type { TimelineEventDto } from '../../../shared/dto.js';
import { startEngine, type RunningEngine } from '../engine/index.js';
import type { UserDocument } from '../models/user.js';
import { addMember, buildDiscussion, buildGroup } from '../test/factories.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { freePort, QuorumChild, sharedSecret } from './test-process.js';
import { startTestProxy, type TestProxy } from './test-proxy.js';
import { commentIn, watch, type Client } from './test-clients.js';

/**
 * The production shape README describes: several Quorum processes behind a
 * load balancer on one database (the engine here stands in for the replica
 * set). Process A is the test app, process B `main.ts` in a child; the
 * balancer is test-proxy.ts, round-robin, sticky by cookie or not at all.
 */
describe('Quorum behind a round-robin load balancer', function () {
  this.timeout(60_000);
  let engine: RunningEngine;
  let a: TestApp;
  let b: QuorumChild;
  let proxy: TestProxy | null = null;
  const clients: Client[] = [];

  before(async () => {
    engine = await startEngine({ host: '127.0.0.1', port: 0, dataDir: null });
    const jwtSecret = sharedSecret();
    a = await startTestApp({ MONGODB_URI: engine.uri, JWT_SECRET: jwtSecret });
    await a.server.realtime.ready;
    b = new QuorumChild({ mongodbUri: engine.uri, port: await freePort(), jwtSecret });
    await b.start();
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.disconnect();
    await proxy?.close();
    proxy = null;
  });
  after(async () => {
    await b?.stop();
    await a?.close();
    await engine?.close();
  });

  async function meeting() {
    const group = await buildGroup({ privacy: 'open' });
    const member = await addMember(group);
    const discussion = await buildDiscussion({ group, private: false });
    return { group, member, id: String(discussion._id) };
  }

  const comment = (id: string, body: string, as: UserDocument) =>
    a.post(`/api/discussions/${id}/comments`, { body }, { as });

  /** A client through the proxy; `withCredentials` gives it a cookie jar, as a browser has. */
  function client(user: UserDocument, transports: Array<'polling' | 'websocket'>): Client {
    const socket: Client = connect(proxy!.url, {
      transports,
      withCredentials: true,
      auth: { token: a.tokenFor(user) },
      reconnection: false,
      forceNew: true,
    });
    clients.push(socket);
    return socket;
  }

  const connected = (socket: Client) =>
    new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });

  /** The backend that answered the handshake of the latest session (a request without `sid`). */
  const lastHandshake = () =>
    [...proxy!.log].reverse().find((entry) => !/[?&]sid=/.test(entry.path))?.backend;

  it('breaks long-polling when each request is balanced on its own (why sessions must be sticky)', async () => {
    proxy = await startTestProxy({ targets: [a.url, b.url], sticky: false });
    const { member, id } = await meeting();
    const socket = client(member, ['polling']);
    const outcome = await Promise.race([
      connected(socket).then(async () => {
        const reply = await Promise.race([
          watch(socket, id),
          new Promise<'lost'>((resolve) => socket.once('disconnect', () => resolve('lost'))),
        ]);
        return reply === 'lost' ? 'lost' : 'working';
      }),
      new Promise<'lost'>((resolve) => socket.once('connect_error', () => resolve('lost'))),
      new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 10_000)),
    ]).catch(() => 'lost' as const);
    expect(outcome).to.equal('lost');
    // The session's requests really were spread over both processes.
    expect(new Set(proxy.log.map((entry) => entry.backend))).to.deep.equal(new Set([0, 1]));
  });

  it('keeps a client forced onto long-polling working when the balancer is sticky by cookie', async () => {
    proxy = await startTestProxy({ targets: [a.url, b.url], sticky: true });
    const { group, member, id } = await meeting();
    const socket = client(member, ['polling']);
    const bodies: string[] = [];
    socket.onAny((event: string, payload: unknown) => {
      const comment = commentIn(event, payload);
      if (comment) bodies.push(comment.body);
    });
    await connected(socket);
    const reply = await watch(socket, id);
    expect(reply).to.have.property('data');
    for (const body of ['First', 'Second', 'Third']) {
      expect((await comment(id, body, group.coordinator)).status).to.equal(201);
    }
    const deadline = Date.now() + 10_000;
    while (bodies.length < 3 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(bodies).to.deep.equal(['First', 'Second', 'Third']);
    // Many requests, one process: the cookie pinned the session.
    const session = proxy.log.filter((entry) => entry.path.startsWith('/socket.io/'));
    expect(session.length).to.be.above(3);
    expect(new Set(session.map((entry) => entry.backend)).size).to.equal(1);
  });

  it('lets a WebSocket client reconnect onto either process and catch up on what it missed, exactly once', async () => {
    proxy = await startTestProxy({ targets: [a.url, b.url], sticky: true });
    const { group, member, id } = await meeting();
    const sequences: number[] = [];
    let last = 0;
    const take = (events: TimelineEventDto[]) => {
      for (const event of events) {
        sequences.push(event.sequence);
        last = Math.max(last, event.sequence);
      }
    };
    const landed: number[] = [];
    const session = async () => {
      // A new connection has a new cookie jar: it is balanced afresh, like a reconnecting page.
      const socket = client(member, ['websocket']);
      socket.on('timeline:event', (event) => take([event]));
      await connected(socket);
      landed.push(lastHandshake()!);
      // Taken in the acknowledgement's own callback (see processes.test.ts): a live event read in
      // the same frame batch would otherwise be taken before the reply's catch-up.
      await new Promise<void>((resolve, reject) =>
        socket.emit('discussion:watch', { discussionId: id, afterSequence: last }, (reply) => {
          if (!('data' in reply)) return reject(new Error(reply.error.id));
          take(reply.data.events);
          resolve();
        }),
      );
      return socket;
    };
    const until = async (sequence: number) => {
      const deadline = Date.now() + 10_000;
      while (last < sequence && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(last).to.be.at.least(sequence);
    };

    let written = 0;
    const write = async (count: number) => {
      for (let i = 0; i < count; i++)
        expect((await comment(id, `Comment ${++written}`, group.coordinator)).status).to.equal(201);
    };
    let socket = await session();
    await write(2);
    await until(2);
    for (let round = 0; round < 3; round++) {
      // The connection is cut; writes go on meanwhile; the client comes back through the balancer.
      proxy.dropAll();
      await new Promise((resolve) => setTimeout(resolve, 100));
      socket.disconnect();
      await write(2);
      socket = await session();
      await write(1);
      await until(written);
    }
    expect(new Set(landed), 'sessions landed on both processes').to.deep.equal(new Set([0, 1]));
    expect(sequences).to.deep.equal(Array.from({ length: written }, (_, i) => i + 1));
  });
});
