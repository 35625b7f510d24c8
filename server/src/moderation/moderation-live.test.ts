import { expect } from 'chai';
import type { CommentDto } from '../../../shared/dto.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { arrival, commentIn, record, TestClients, watch } from '../realtime/test-clients.js';
import { act, moderationWorld, postAs } from './test-support.js';
import { buildUser } from '../test/factories.js';
import { RestrictionModel } from '../models/restriction.js';

describe('live moderation over real sockets', () => {
  let app: TestApp;
  let clients: TestClients;

  before(async () => {
    app = await startTestApp();
    await app.server.realtime.ready;
    clients = new TestClients(app);
  });
  afterEach(() => clients.closeAll());
  after(() => app.close());

  const isComment =
    (id: string, test: (c: CommentDto) => boolean) => (event: string, p: unknown) => {
      const comment = commentIn(event, p);
      return comment !== null && comment.id === id && test(comment);
    };

  it("a report reaches the coordinator's queue live, with the reporter; the reported person and members hear nothing of it", async () => {
    const w = await moderationWorld();
    const commentId = await postAs(app, w.author, w.discussionId, 'You are all fools');
    const coordinator = await clients.connect(w.coordinator);
    const queueWatch = await new Promise<unknown>((resolve) =>
      coordinator.emit('moderation:watch', { groupId: w.groupId }, resolve),
    );
    expect(queueWatch).to.deep.equal({ data: { groupId: w.groupId, open: 0 } });
    const authorSocket = await clients.watching(w.author, w.discussionId);
    const reporterSocket = await clients.connect(w.reporter);
    const [coordinatorSeen, authorSeen, reporterSeen] = [
      coordinator,
      authorSocket,
      reporterSocket,
    ].map(record);
    // A member may not watch the queue.
    const refused = await new Promise<unknown>((resolve) =>
      authorSocket.emit('moderation:watch', { groupId: w.groupId }, resolve),
    );
    expect(refused).to.have.nested.property('error.id', 'authorization_error');

    const res = await app.post(
      '/api/moderation/reports',
      { target: { kind: 'comment', id: commentId }, reason: 'harassment', note: 'secret note 41' },
      { as: w.reporter },
    );
    expect(res.status).to.equal(201);
    expect(res.body).to.have.nested.property('report.status', 'received');
    await arrival(coordinatorSeen, (e, p) => e === 'moderation:queue' && p.open === 1);
    await arrival(reporterSeen, (e, p) => e === 'report:updated' && p.status === 'received');

    const queue = await app.get<{ items: Array<Record<string, unknown>> }>(
      `/api/groups/${w.groupId}/moderation/queue`,
      { as: w.coordinator },
    );
    expect(queue.body.items).to.have.length(1);
    expect(JSON.stringify(queue.body.items[0]))
      .to.include('secret note 41')
      .and.include(w.reporter.name);
    for (const who of [w.author, w.reporter]) {
      const denied = await app.get(`/api/groups/${w.groupId}/moderation/queue`, { as: who });
      expect(denied.status).to.equal(403);
    }
    await app.server.realtime.barrier();
    const leaked = JSON.stringify(authorSeen);
    expect(leaked).not.to.include('secret note 41');
    expect(leaked).not.to.include(String(w.reporter._id));
  });

  it('hide shows a placeholder to members and visitors at once, the content marked hidden to coordinators and the author; restore brings it back', async () => {
    const w = await moderationWorld();
    const commentId = await postAs(app, w.author, w.discussionId, 'Spam spam spam');
    const sockets = {
      member: await clients.watching(w.reporter, w.discussionId),
      coordinator: await clients.watching(w.coordinator, w.discussionId),
      author: await clients.watching(w.author, w.discussionId),
      visitor: await clients.connect(null),
    };
    expect(await watch(sockets.visitor, w.discussionId)).to.have.property('data');
    const seen = Object.fromEntries(Object.entries(sockets).map(([k, s]) => [k, record(s)]));

    await act(app, w.coordinator, w.groupId, {
      target: { kind: 'comment', id: commentId },
      action: 'hide',
      reason: 'Looks like spam',
    });
    const hidden = (c: CommentDto) => c.moderation === 'hidden';
    for (const who of ['member', 'visitor'])
      await arrival(
        seen[who],
        isComment(commentId, (c) => hidden(c) && c.body === ''),
      );
    await arrival(
      seen.coordinator,
      isComment(commentId, (c) => hidden(c) && c.body === 'Spam spam spam'),
    );
    await arrival(
      seen.author,
      isComment(commentId, (c) => hidden(c) && c.body === 'Spam spam spam'),
    );
    await arrival(
      seen.author,
      (e, p) => e === 'moderation:notice' && p.action === 'hide' && p.reason === 'Looks like spam',
    );

    // REST and catch-up agree.
    const listed = await app.get<{ items: CommentDto[] }>(
      `/api/discussions/${w.discussionId}/comments`,
      { as: w.reporter },
    );
    expect(listed.body.items.find((c) => c.id === commentId)).to.include({
      body: '',
      moderation: 'hidden',
    });
    const caughtUp = await watch(await clients.connect(null), w.discussionId, 0);
    expect(JSON.stringify(caughtUp)).not.to.include('Spam spam spam');

    await act(app, w.coordinator, w.groupId, {
      target: { kind: 'comment', id: commentId },
      action: 'restore',
      reason: 'Not spam after all',
    });
    for (const who of ['member', 'visitor'])
      await arrival(
        seen[who],
        isComment(commentId, (c) => !c.moderation && c.body === 'Spam spam spam'),
      );
  });

  it('mute refuses comments, reactions and votes with `muted` and the end time, tells the author live, and lifts by itself', async () => {
    const w = await moderationWorld();
    const authorSocket = await clients.connect(w.author);
    const authorSeen = record(authorSocket);
    await act(app, w.coordinator, w.groupId, {
      target: { kind: 'person', id: String(w.author._id) },
      action: 'mute',
      reason: 'Cool down',
      minutes: 10,
    });
    const [, change] = await arrival(
      authorSeen,
      (e, p) => e === 'restriction:changed' && Array.isArray(p) && p.length === 1,
    );
    const [restriction] = change as unknown as Array<{
      kind: string;
      until: string;
      reason: string;
    }>;
    expect(restriction).to.include({ kind: 'mute', reason: 'Cool down' });
    const refused = await app.post(
      `/api/discussions/${w.discussionId}/comments`,
      { body: 'hi' },
      { as: w.author },
    );
    expect(refused.status).to.equal(403);
    expect(refused.body).to.have.nested.property('error.id', 'muted');
    expect(refused.body).to.have.nested.property('error.until', restriction.until);
    const minutes = (Date.parse(restriction.until) - Date.now()) / 60_000;
    expect(minutes).to.be.within(9, 10.1);
    const other = await postAs(app, w.reporter, w.discussionId, 'hello');
    const reaction = await app.request(
      'PUT',
      `/api/comments/${other}/reactions/${encodeURIComponent('👍')}`,
      { as: w.author },
    );
    expect(reaction.body).to.have.nested.property('error.id', 'muted');
    const started = await app.post(
      '/api/discussions',
      { groupId: w.groupId, title: 'New', context: '' },
      { as: w.author },
    );
    expect(started.body).to.have.nested.property('error.id', 'muted');
    // Others are not affected; the mute ends by itself at its time (moved into the past here).
    await RestrictionModel.updateMany(
      { userId: w.author._id },
      { $set: { until: new Date(Date.now() - 1000) } },
    );
    await postAs(app, w.author, w.discussionId, 'back again');
  });

  it('slow mode reaches everyone watching live and refuses a second comment with `slow_mode` and the retry time; moderators are exempt', async () => {
    const w = await moderationWorld();
    const member = record(await clients.watching(w.reporter, w.discussionId));
    const visitor = await clients.connect(null);
    await watch(visitor, w.discussionId);
    const visitorSeen = record(visitor);
    const res = await app.request(
      'PUT',
      `/api/moderation/discussions/${w.discussionId}/slow-mode`,
      {
        body: { seconds: 60, reason: 'Heated' },
        as: w.coordinator,
      },
    );
    expect(res.status).to.equal(200);
    for (const seen of [member, visitorSeen])
      await arrival(seen, (e, p) => e === 'discussion:upserted' && p.slowModeSeconds === 60);
    await postAs(app, w.reporter, w.discussionId, 'first');
    const second = await app.post(
      `/api/discussions/${w.discussionId}/comments`,
      { body: 'second' },
      { as: w.reporter },
    );
    expect(second.status).to.equal(429);
    expect(second.body).to.have.nested.property('error.id', 'slow_mode');
    const wait =
      (Date.parse((second.body as { error: { until: string } }).error.until) - Date.now()) / 1000;
    expect(wait).to.be.within(50, 61);
    await postAs(app, w.coordinator, w.discussionId, 'one');
    await postAs(app, w.coordinator, w.discussionId, 'two');
    const denied = await app.request(
      'PUT',
      `/api/moderation/discussions/${w.discussionId}/slow-mode`,
      {
        body: { seconds: 5, reason: 'x' },
        as: w.reporter,
      },
    );
    expect(denied.status).to.equal(403);
  });

  it("hold first posts: a new member's comment reaches only them and the coordinators until approved, then everyone", async () => {
    const w = await moderationWorld({ moderation: { holdPosts: 'first', holdDays: 3 } });
    const member = record(await clients.watching(w.reporter, w.discussionId));
    const visitor = await clients.connect(null);
    await watch(visitor, w.discussionId);
    const visitorSeen = record(visitor);
    const coordinator = record(await clients.watching(w.coordinator, w.discussionId));
    const commentId = await postAs(app, w.author, w.discussionId, 'my very first words');
    await arrival(
      coordinator,
      isComment(commentId, (c) => c.moderation === 'held'),
    );
    await app.server.realtime.barrier();
    for (const seen of [member, visitorSeen])
      expect(JSON.stringify(seen)).not.to.include(commentId);
    const listed = await app.get(`/api/discussions/${w.discussionId}/comments`, { as: w.reporter });
    expect(JSON.stringify(listed.body)).not.to.include(commentId);
    const events = await app.get(`/api/discussions/${w.discussionId}/events`, { as: null });
    expect(JSON.stringify(events.body)).not.to.include(commentId);
    const queue = await app.get<{ items: Array<{ held: boolean }> }>(
      `/api/groups/${w.groupId}/moderation/queue`,
      { as: w.coordinator },
    );
    expect(queue.body.items[0]).to.include({ held: true });

    await act(app, w.coordinator, w.groupId, {
      target: { kind: 'comment', id: commentId },
      action: 'approve',
      reason: 'Welcome',
    });
    for (const seen of [member, visitorSeen])
      await arrival(
        seen,
        isComment(commentId, (c) => c.body === 'my very first words' && !c.moderation),
      );
    // Approved once: the next comment is not held.
    const next = await postAs(app, w.author, w.discussionId, 'second words');
    await arrival(
      member,
      isComment(next, () => true),
    );
  });

  it('ban removes the member and refuses their join requests and invitations until lifted', async () => {
    const w = await moderationWorld({ membershipPolicy: 'request' });
    await act(app, w.coordinator, w.groupId, {
      target: { kind: 'person', id: String(w.author._id) },
      action: 'ban',
      reason: 'Repeated harassment',
    });
    const read = await app.get(`/api/groups/${w.groupId}`, { as: w.author });
    expect(read.body).to.have.nested.property('group.role', null);
    const asked = await app.post(
      `/api/groups/${w.groupId}/join-requests`,
      { introduction: 'please' },
      { as: w.author },
    );
    expect(asked.status).to.equal(403);
    expect(asked.body).to.have.nested.property('error.id', 'banned');
    const restrictions = await app.get<{ items: Array<{ id: string; kind: string }> }>(
      `/api/groups/${w.groupId}/moderation/restrictions`,
      { as: w.coordinator },
    );
    const ban = restrictions.body.items.find((r) => r.kind === 'ban')!;
    const lifted = await app.request(
      'DELETE',
      `/api/groups/${w.groupId}/moderation/restrictions/${ban.id}`,
      {
        body: { reason: 'Second chance' },
        as: w.coordinator,
      },
    );
    expect(lifted.status).to.equal(204);
    const again = await app.post(
      `/api/groups/${w.groupId}/join-requests`,
      { introduction: 'please' },
      { as: w.author },
    );
    expect(again.status).to.equal(201);
    const audit = await app.get<{ items: Array<{ action: string; reason?: string }> }>(
      `/api/groups/${w.groupId}/audit`,
      { as: w.coordinator },
    );
    expect(audit.body.items.map((e) => e.action)).to.include.members([
      'moderation_ban',
      'moderation_unban',
    ]);
    expect(audit.body.items.find((e) => e.action === 'moderation_ban')).to.include({
      reason: 'Repeated harassment',
    });
  });

  it('a per-person rate limit answers a burst with `rate_limited` and a retry time', async () => {
    const w = await moderationWorld();
    let limited: Record<string, unknown> | null = null;
    for (let i = 0; i < 20 && !limited; i++) {
      const res = await app.post(
        `/api/discussions/${w.discussionId}/comments`,
        { body: `fast ${i}` },
        { as: w.reporter },
      );
      if (res.status === 429) limited = res.body;
    }
    expect(limited).to.have.nested.property('error.id', 'rate_limited');
    expect(limited).to.have.nested.property('error.until');
  });

  it('validates input: unknown reasons, missing reasons and outsiders', async () => {
    const w = await moderationWorld();
    const commentId = await postAs(app, w.author, w.discussionId, 'x');
    const bad = await app.post(
      '/api/moderation/reports',
      { target: { kind: 'comment', id: commentId }, reason: 'rude' },
      { as: w.reporter },
    );
    expect(bad.status).to.equal(400);
    expect(bad.body).to.have.nested.property('error.field', 'reason');
    const anon = await app.post('/api/moderation/reports', {
      target: { kind: 'comment', id: commentId },
      reason: 'spam',
    });
    expect(anon.status).to.equal(401);
    const noReason = await app.post(
      `/api/groups/${w.groupId}/moderation/actions`,
      { target: { kind: 'comment', id: commentId }, action: 'hide' },
      { as: w.coordinator },
    );
    expect(noReason.body).to.have.nested.property('error.field', 'reason');
    const outsider = await app.post(
      `/api/groups/${w.groupId}/moderation/actions`,
      { target: { kind: 'comment', id: commentId }, action: 'hide', reason: 'r' },
      { as: await buildUser() },
    );
    expect(outsider.status).to.equal(403);
  });
});
