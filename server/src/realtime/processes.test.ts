import { expect } from 'chai';
import { io as connect } from 'socket.io-client';
import type { PresenceDiff } from '../../../shared/events.js';
import type { TimelineEventDto } from '../../../shared/dto.js';
import { startEngine, type RunningEngine } from '../engine/index.js';
import { DiscussionModel } from '../models/discussion.js';
import type { UserDocument } from '../models/user.js';
import { addMember, buildDiscussion, buildGroup } from '../test/factories.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { freePort, QuorumChild, sharedSecret } from './test-process.js';
import { arrival, commentIn, record, TestClients, watch, type Client } from './test-clients.js';

/**
 * Quorum as it runs in production with several processes: the engine in this
 * test process (standing in for the replica set), process A (the test app, in
 * this process) and process B (`main.ts` in a child process) on it, each with
 * its own Socket.IO and change feed.
 */
describe('several Quorum processes on one database', function () {
  this.timeout(60_000);
  let engine: RunningEngine;
  let a: TestApp;
  let b: QuorumChild;
  let onB: TestClients;

  before(async () => {
    engine = await startEngine({ host: '127.0.0.1', port: 0, dataDir: null });
    const jwtSecret = sharedSecret();
    a = await startTestApp({ MONGODB_URI: engine.uri, JWT_SECRET: jwtSecret });
    await a.server.realtime.ready;
    b = new QuorumChild({ mongodbUri: engine.uri, port: await freePort(), jwtSecret });
    await b.start();
    onB = new TestClients({ ...a, url: b.url });
  });
  afterEach(() => onB.closeAll());
  after(async () => {
    await b?.stop();
    await a?.close();
    await engine?.close();
  });

  const comment = (discussionId: string, body: string, as: UserDocument) =>
    a.post(`/api/discussions/${discussionId}/comments`, { body }, { as });

  it('carries a comment written through A to a client of B, presence across, and a removal on A takes the member out of B’s rooms at once', async () => {
    const group = await buildGroup();
    const member = await addMember(group);
    const other = await addMember(group);
    const discussion = await buildDiscussion({ group });
    const id = String(discussion._id);
    const memberOnB = await onB.watching(member, id);
    const otherOnB = await onB.watching(other, id);
    const seen = record(memberOnB);
    const othersSeen = record(otherOnB);

    // Presence crosses: a coordinator watching on A is listed on B.
    const onA = new TestClients(a);
    try {
      const presence = arrival(
        seen,
        (e, p) =>
          e === 'presence:diff' &&
          (p as unknown as PresenceDiff).joined.some((v) => v.id === String(group.coordinator._id)),
      );
      await onA.watching(group.coordinator, id);
      await presence;
    } finally {
      onA.closeAll();
    }

    expect((await comment(id, 'Written on A', group.coordinator)).status).to.equal(201);
    const [, received] = await arrival(
      seen,
      (e, p) => e === 'timeline:event' && p.kind === 'comment_posted',
    );
    expect(received.comment).to.include({ body: 'Written on A', discussionId: id });

    const removed = await a.delete(
      `/api/groups/${String(group._id)}/members/${String(member._id)}`,
      { as: group.coordinator },
    );
    expect(removed.status).to.equal(204);
    const [, notice] = await arrival(seen, (e) => e === 'access:revoked');
    expect(notice).to.deep.equal({ discussionId: id, reason: 'access_removed' });
    const revokedAt = seen.length;
    await comment(id, 'After the removal', group.coordinator);
    // The other member on B receives it; the removed member, in the same fan-out, does not.
    await arrival(othersSeen, (e, p) => commentIn(e, p)?.body === 'After the removal');
    expect(seen.slice(revokedAt).map(([e]) => e)).not.to.include.members([
      'comment:upserted',
      'timeline:event',
    ]);
  });

  it('takes a visitor on B out of a discussion at once when its group turns closed on A', async () => {
    const group = await buildGroup({ privacy: 'open' });
    const discussion = await buildDiscussion({ group, private: false });
    const id = String(discussion._id);
    const visitor = await onB.connect(null);
    expect(await watch(visitor, id)).to.have.property('data');
    const seen = record(visitor);
    const changed = await a.patch(
      `/api/groups/${String(group._id)}`,
      { privacy: 'closed' },
      { as: group.coordinator },
    );
    expect(changed.status).to.equal(200);
    const [, notice] = await arrival(seen, (e) => e === 'access:revoked');
    expect(notice).to.deep.equal({ discussionId: id, reason: 'access_removed' });
  });

  it('loses nothing and repeats nothing when B is killed and restarted while writes continue', async () => {
    const group = await buildGroup({ privacy: 'open' });
    const member = await addMember(group);
    const discussion = await buildDiscussion({ group, private: false });
    const id = String(discussion._id);
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    /** A client that re-watches from the last sequence it saw whenever it (re)connects. */
    function client(user: UserDocument | null) {
      const sequences: number[] = [];
      let last = 0;
      const problems: string[] = [];
      const socket: Client = connect(b.url, {
        transports: ['websocket'],
        auth: user ? { token: a.tokenFor(user) } : {},
        reconnectionDelay: 50,
        reconnectionDelayMax: 200,
      });
      const take = (events: TimelineEventDto[]) => {
        for (const event of events) {
          sequences.push(event.sequence);
          last = Math.max(last, event.sequence);
        }
      };
      socket.on('timeline:event', (event) => take([event]));
      socket.on('connect', () => {
        // Taken in the acknowledgement's own callback, not a promise's: the server sends the reply
        // before the live events held behind it, and a live event that arrives in the same read
        // would otherwise be taken first, while the reply waits for the next microtask.
        socket.emit('discussion:watch', { discussionId: id, afterSequence: last }, (reply) => {
          if (!('data' in reply)) problems.push(`watch refused: ${reply.error.id}`);
          else if (reply.data.truncated) problems.push('catch-up truncated');
          else take(reply.data.events);
        });
      });
      return { socket, sequences, problems, last: () => last };
    }
    const clients = [client(group.coordinator), client(member), client(null)];
    try {
      let writing = true;
      let written = 0;
      // Many authors: each stays well inside the per-person posting rate (moderation/posting-limits.ts).
      const authors = [
        member,
        ...(await Promise.all(Array.from({ length: 19 }, () => addMember(group)))),
      ];
      const failed: { error?: Error } = {};
      const writer = (async () => {
        while (writing) {
          const author = authors[written % authors.length];
          const res = await comment(id, `Comment ${written + 1}`, author);
          if (res.status === 429) {
            // Paced as told, should a slow machine make even these authors meet the limit.
            const until = Date.parse(
              (res.body as { error?: { until?: string } }).error?.until ?? '',
            );
            await pause(Math.min(2000, Math.max(100, (until || 0) - Date.now())));
            continue;
          }
          expect(res.status, JSON.stringify(res.body)).to.equal(201);
          written += 1;
          // Fewer than CATCH_UP_LIMIT (100) writes while B restarts, even when that takes seconds.
          await pause(100);
        }
      })().catch((error: Error) => {
        failed.error = error;
      });
      const reach = async (n: number) => {
        const deadline = Date.now() + 10_000;
        while (clients.some((c) => c.last() < n)) {
          // A writer that stopped (a refused comment) or a failed catch-up: say so, not "did not reach".
          if (failed.error) throw failed.error;
          const problems = clients.flatMap((c) => c.problems);
          if (problems.length > 0) throw new Error(problems.join('; '));
          if (Date.now() > deadline)
            throw new Error(
              `clients did not reach sequence ${n} (at ${clients.map((c) => c.last()).join(', ')}; ${written} written)`,
            );
          await pause(20);
        }
      };
      await reach(5);
      await b.kill();
      const whileDown = written;
      await b.start({ feedOpen: false });
      expect(written, 'writes continued while B was down').to.be.above(whileDown);
      const afterRestart = written + 5;
      await reach(afterRestart);
      writing = false;
      await writer;
      if (failed.error) throw failed.error;
      const final = (await DiscussionModel.findById(id))!.lastSequence;
      await reach(final);
      // A moment for any late duplicate (the feed replays what it had not persisted) to show.
      const sentinel = await comment(id, 'last', member);
      expect(sentinel.status).to.equal(201);
      await reach(final + 1);
      const everything = Array.from({ length: final + 1 }, (_, i) => i + 1);
      for (const c of clients) expect(c.sequences).to.deep.equal(everything);
    } finally {
      for (const c of clients) c.socket.disconnect();
    }
  });
});
