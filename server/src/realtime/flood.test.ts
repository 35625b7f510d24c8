import { expect } from 'chai';
import type {
  AckResponse,
  ClientToServerEvents,
  DiscussionCatchUp,
} from '../../../shared/events.js';
import { appendTimelineEvent } from '../commands/timeline.js';
import { PresenceModel } from '../models/presence.js';
import { addMember, buildDiscussion, buildGroup } from '../test/factories.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { MAX_CLIENT_MESSAGE_BYTES } from './io.js';
import { DEFAULT_SOCKET_LIMITS } from './socket-limits.js';
import { CATCH_UP_LIMIT } from './watch.js';
import { nextComment, nextEvent, TestClients, watch, type Client } from './test-clients.js';

type Reply = AckResponse<unknown>;

/** Emits anything, as a misbehaving client would (no contract, no acknowledgement unless given). */
function emitRaw(socket: Client, event: string, ...args: unknown[]): void {
  (socket.emit as (event: string, ...args: unknown[]) => void).call(socket, event, ...args);
}

/** One event and its acknowledgement; waits and tries again while the socket is rate limited. */
async function paced(socket: Client, event: keyof ClientToServerEvents, request: unknown) {
  for (;;) {
    const reply = await new Promise<Reply>((resolve) =>
      socket.emit(event as 'group:watch', request as never, resolve),
    );
    if (!('error' in reply) || reply.error.id !== 'rate_limited') return reply;
    await new Promise((resolve) => setTimeout(resolve, reply.error.retryAfterMs));
  }
}

async function eventually(check: () => Promise<boolean> | boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('client events: rate limits, watch caps and bounded catch-up', function () {
  this.timeout(60_000);
  let app: TestApp;
  let clients: TestClients;

  before(async () => {
    app = await startTestApp();
    await app.server.realtime.ready;
    clients = new TestClients(app);
  });
  afterEach(() => clients.closeAll());
  after(() => app.close());

  async function publicDiscussion() {
    const group = await buildGroup({ privacy: 'open' });
    const discussion = await buildDiscussion({ group, private: false });
    return { group, id: String(discussion._id) };
  }

  const disconnected = (socket: Client) =>
    new Promise<string>((resolve) => socket.once('disconnect', resolve));

  it('answers a flood of watches with rate_limited, then disconnects the flooder, while health and other sockets carry on', async () => {
    const { group, id } = await publicDiscussion();
    const reader = await clients.watching(await addMember(group), id);
    const flooder = await clients.connect(null);
    const flooderId = flooder.id!;
    const closing = nextEvent(flooder, 'connection:closing', 20_000);
    const gone = disconnected(flooder);
    const replies: Reply[] = [];
    for (let i = 0; i < 3000; i++)
      flooder.emit('discussion:watch', { discussionId: id, afterSequence: 0 }, (reply) =>
        replies.push(reply),
      );

    // While the flood is being handled: health answers, and a comment reaches the other socket.
    const delivered = nextComment(reader, () => true, 10_000);
    const [health, posted] = await Promise.all([
      app.get('/api/health'),
      app.post(
        `/api/discussions/${id}/comments`,
        { body: 'Still here' },
        { as: group.coordinator },
      ),
    ]);
    expect(health.status).to.equal(200);
    expect(posted.status).to.equal(201);
    expect((await delivered).body).to.equal('Still here');

    expect(await closing).to.deep.equal({
      reason: 'rate_limited',
      retryAfterMs: (DEFAULT_SOCKET_LIMITS.burst / DEFAULT_SOCKET_LIMITS.perSecond) * 1000,
    });
    expect(await gone).to.equal('io server disconnect');
    const refused = replies.filter((reply) => 'error' in reply);
    expect(refused.length).to.be.greaterThan(0);
    for (const reply of refused) {
      expect(reply).to.have.nested.property('error.id', 'rate_limited');
      expect(reply).to.have.nested.property('error.retryAfterMs').that.is.above(0);
    }
    // Handled: the burst, and the strikes that ran out before the rest was even read.
    const { burst, costs, strikes } = DEFAULT_SOCKET_LIMITS;
    expect(replies.length - refused.length).to.be.at.most(burst / costs['discussion:watch'] + 5);
    expect(replies.length).to.be.below(burst + strikes.burst + 20);

    expect((await app.get('/api/health')).status).to.equal(200);
    const again = nextComment(reader);
    await app.post(`/api/discussions/${id}/comments`, { body: 'After' }, { as: group.coordinator });
    expect((await again).body).to.equal('After');
    // Nothing of the flooder stays behind: no room, no presence.
    const adapter = app.server.realtime.io.of('/').adapter;
    await eventually(() => !adapter.sids.has(flooderId));
    await eventually(
      async () =>
        (await PresenceModel.countDocuments({ discussionId: id, anonymous: { $gt: 0 } })) === 0,
    );
  });

  it('disconnects a flood sent without acknowledgements, of known and unknown events alike', async () => {
    const { group, id } = await publicDiscussion();
    const reader = await clients.watching(await addMember(group), id);
    const flooder = await clients.connect(null);
    const closing = nextEvent(flooder, 'connection:closing', 20_000);
    const gone = disconnected(flooder);
    for (let i = 0; i < 5000; i++) {
      if (i % 2 === 0) emitRaw(flooder, 'discussion:watch', { discussionId: id });
      else emitRaw(flooder, 'no:such:event', { i });
    }
    const delivered = nextComment(reader, () => true, 10_000);
    expect((await app.get('/api/health')).status).to.equal(200);
    await app.post(`/api/discussions/${id}/comments`, { body: 'Hello' }, { as: group.coordinator });
    expect((await delivered).body).to.equal('Hello');
    expect(await closing).to.have.property('reason', 'rate_limited');
    expect(await gone).to.equal('io server disconnect');
  });

  it('refuses an event outside the contract with invalid_request, and a bad payload before any work', async () => {
    const socket = await clients.connect(null);
    const unknown = await new Promise<Reply>((resolve) =>
      emitRaw(socket, 'discussion:delete', {}, resolve),
    );
    expect(unknown).to.have.nested.property('error.id', 'invalid_request');
    expect(await paced(socket, 'group:watch', { groupId: 'nope' })).to.have.nested.property(
      'error.field',
      'groupId',
    );
  });

  it('lets one socket watch a bounded number of discussions and groups (watch_limit)', async () => {
    const { maxWatchedDiscussions, maxWatchedGroups } = DEFAULT_SOCKET_LIMITS;
    const group = await buildGroup({ privacy: 'open' });
    const discussions: string[] = [];
    for (let i = 0; i <= maxWatchedDiscussions; i++)
      discussions.push(String((await buildDiscussion({ group, private: false }))._id));
    const socket = await clients.connect(null);
    const watchOne = (discussionId: string) => paced(socket, 'discussion:watch', { discussionId });
    for (const discussionId of discussions.slice(0, -1))
      expect(await watchOne(discussionId)).to.have.property('data');
    const over = await watchOne(discussions.at(-1)!);
    expect(over).to.have.nested.property('error.id', 'watch_limit');
    expect(over).to.have.nested.property(
      'error.message',
      `This connection already watches ${maxWatchedDiscussions} discussions; stop watching one first`,
    );
    // Watching again what is watched is no new watch; unwatching makes room.
    expect(await watchOne(discussions[0])).to.have.property('data');
    expect(
      await paced(socket, 'discussion:unwatch', { discussionId: discussions[0] }),
    ).to.have.property('data');
    expect(await watchOne(discussions.at(-1)!)).to.have.property('data');
    const rooms = app.server.realtime.io.of('/').adapter.socketRooms(socket.id!) ?? new Set();
    expect([...rooms].filter((room) => room.startsWith('discussion:'))).to.have.length(
      maxWatchedDiscussions,
    );

    const groups: string[] = [];
    for (let i = 0; i <= maxWatchedGroups; i++)
      groups.push(String((await buildGroup({ privacy: 'open' }))._id));
    for (const groupId of groups.slice(0, -1))
      expect(await paced(socket, 'group:watch', { groupId })).to.have.property('data');
    expect(await paced(socket, 'group:watch', { groupId: groups.at(-1) })).to.have.nested.property(
      'error.id',
      'watch_limit',
    );
  });

  it('answers a catch-up of more than the limit with truncated and nothing else, and caps a position from the future', async () => {
    const { id } = await publicDiscussion();
    const discussionId = (
      await buildDiscussion({ group: await buildGroup({ privacy: 'open' }), private: false })
    )._id;
    for (let i = 0; i < CATCH_UP_LIMIT + 5; i++)
      await appendTimelineEvent({ discussionId, kind: 'discussion_edited' });
    const last = CATCH_UP_LIMIT + 5;
    const socket = await clients.connect(null);
    const far = (await watch(socket, String(discussionId), 0)) as { data: DiscussionCatchUp };
    expect(far.data).to.deep.include({
      events: [],
      comments: [],
      lastSequence: last,
      truncated: true,
    });
    const near = (await watch(socket, String(discussionId), last - 3)) as {
      data: DiscussionCatchUp;
    };
    expect(near.data.events.map((event) => event.sequence)).to.deep.equal([
      last - 2,
      last - 1,
      last,
    ]);
    expect(near.data.truncated).to.equal(false);
    const ahead = (await watch(socket, id, 1_000_000)) as { data: DiscussionCatchUp };
    expect(ahead.data).to.deep.include({ events: [], lastSequence: 0, truncated: false });
  });

  it(`closes a connection that sends a message over ${MAX_CLIENT_MESSAGE_BYTES} bytes`, async () => {
    const socket = await clients.connect(null);
    const gone = disconnected(socket);
    emitRaw(socket, 'discussion:watch', { discussionId: 'x'.repeat(MAX_CLIENT_MESSAGE_BYTES) });
    expect(await gone).to.equal('transport close');
  });
});
