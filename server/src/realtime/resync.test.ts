import { expect } from 'chai';
import mongoose from 'mongoose';
import type { CommentDto } from '../../../shared/dto.js';
import { startEngine, type RunningEngine } from '../engine/index.js';
import { addMember, buildDiscussion, buildGroup } from '../test/factories.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { arrival, commentIn, record, TestClients } from './test-clients.js';

/** How many change events the engine keeps: a burst larger than this outruns any stream. */
const HISTORY = 40;

/**
 * `feed:resync` end to end on the server: the app's own change feed falls
 * behind the history the database keeps (an engine with a tiny retention, and
 * a burst of writes bigger than it), so it cannot cover the gap; it restarts
 * from now, and every socket connected to this process is told to reload what
 * it shows (change-feed.ts onResync -> realtime/index.ts).
 */
describe('realtime: feed:resync when the change history no longer covers the feed', function () {
  this.timeout(30_000);
  let engine: RunningEngine;
  let app: TestApp;
  let clients: TestClients;

  before(async () => {
    engine = await startEngine({
      host: '127.0.0.1',
      port: 0,
      dataDir: null,
      historyMaxEvents: HISTORY,
    });
    app = await startTestApp({ MONGODB_URI: engine.uri });
    await app.server.realtime.ready;
    clients = new TestClients(app);
  });
  afterEach(() => clients.closeAll());
  after(async () => {
    await app?.close();
    await engine?.close();
  });

  /** Writes more events than the engine keeps, in one command, to a collection nobody watches. */
  async function outrunTheHistory(): Promise<void> {
    const filler = Array.from({ length: HISTORY * 3 }, (_, i) => ({ i }));
    await mongoose.connection.collection('resync_filler').insertMany(filler);
  }

  it('tells every connected socket (member, coordinator, visitor) once, and live updates go on', async () => {
    const group = await buildGroup({ privacy: 'open' });
    const member = await addMember(group);
    const discussion = await buildDiscussion({ group });
    const id = String(discussion._id);

    const memberSocket = await clients.watching(member, id);
    const coordinatorSocket = await clients.connect(group.coordinator);
    const visitorSocket = await clients.connect(null);
    const memberSeen = record(memberSocket);
    const coordinatorSeen = record(coordinatorSocket);
    const visitorSeen = record(visitorSocket);

    await outrunTheHistory();

    const isResync = (event: string) => event === 'feed:resync';
    for (const seen of [memberSeen, coordinatorSeen, visitorSeen]) {
      const [, notice] = await arrival(seen, isResync, 10_000);
      expect(notice).to.deep.equal({ reason: 'history_lost' });
    }

    // The feed restarted from now: a new comment still reaches the watching member, live.
    const posted = await app.post<{ comment: CommentDto }>(
      `/api/discussions/${id}/comments`,
      { body: 'After the gap' },
      { as: group.coordinator },
    );
    expect(posted.status).to.equal(201);
    const [event, payload] = await arrival(
      memberSeen,
      (event, payload) => commentIn(event, payload)?.id === posted.body.comment.id,
      10_000,
    );
    expect(commentIn(event, payload)?.body).to.equal('After the gap');
    await app.server.realtime.barrier();

    // One gap, one notice: nothing repeats it.
    for (const seen of [memberSeen, coordinatorSeen, visitorSeen])
      expect(seen.filter(([event]) => isResync(event))).to.have.length(1);
  });

  it('a feed resumed from a position the history no longer holds resynchronises instead of replaying', async () => {
    const group = await buildGroup();
    const member = await addMember(group);
    const discussion = await buildDiscussion({ group });
    const id = String(discussion._id);
    const socket = await clients.watching(member, id);
    const seen = record(socket);

    await app.server.realtime.pauseFeed();
    const missed = await app.post<{ comment: CommentDto }>(
      `/api/discussions/${id}/comments`,
      { body: 'Written while the feed was away' },
      { as: group.coordinator },
    );
    expect(missed.status).to.equal(201);
    await outrunTheHistory();
    await app.server.realtime.resumeFeed();

    const [, notice] = await arrival(seen, (event) => event === 'feed:resync');
    expect(notice).to.deep.equal({ reason: 'history_lost' });
    // The gap is not replayed (it cannot be): the client reloads it through the API.
    await app.server.realtime.barrier();
    expect(seen.filter(([event, payload]) => commentIn(event, payload))).to.deep.equal([]);
    const reloaded = await app.get<{ items: CommentDto[] }>(`/api/discussions/${id}/comments`, {
      as: member,
    });
    expect(reloaded.body.items.map((c) => c.body)).to.include('Written while the feed was away');
  });

  it('a feed resumed within the history replays what it missed and says nothing', async () => {
    const group = await buildGroup();
    const member = await addMember(group);
    const discussion = await buildDiscussion({ group });
    const id = String(discussion._id);
    const socket = await clients.watching(member, id);
    const seen = record(socket);

    await app.server.realtime.pauseFeed();
    const missed = await app.post<{ comment: CommentDto }>(
      `/api/discussions/${id}/comments`,
      { body: 'Caught up on resume' },
      { as: group.coordinator },
    );
    expect(missed.status).to.equal(201);
    await app.server.realtime.resumeFeed();

    await arrival(
      seen,
      (event, payload) => commentIn(event, payload)?.id === missed.body.comment.id,
    );
    await app.server.realtime.barrier();
    expect(seen.filter(([event]) => event === 'feed:resync')).to.deep.equal([]);
  });

  it('says nothing while the feed keeps up', async () => {
    const group = await buildGroup();
    const member = await addMember(group);
    const discussion = await buildDiscussion({ group });
    const id = String(discussion._id);
    const socket = await clients.watching(member, id);
    const seen = record(socket);

    // Writes spread out, each fewer than the history holds: the feed follows them all.
    for (let n = 0; n < 5; n++) {
      const res = await app.post(
        `/api/discussions/${id}/comments`,
        { body: `Steady ${n}` },
        { as: member },
      );
      expect(res.status).to.equal(201);
      await app.server.realtime.barrier();
    }
    await arrival(seen, (event, payload) => commentIn(event, payload)?.body === 'Steady 4');
    expect(seen.filter(([event]) => event === 'feed:resync')).to.deep.equal([]);
  });
});
