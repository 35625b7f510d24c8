import { expect } from 'chai';
import type { CommentDto } from '../../../shared/dto.js';
import type { RestrictionDto, SiteQueueItemDto } from '../../../shared/moderation.js';
import { RestrictionModel } from '../models/restriction.js';
import type { UserDocument } from '../models/user.js';
import { addMember, buildDiscussion, buildGroup, buildUser } from '../test/factories.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { arrival, record, TestClients } from '../realtime/test-clients.js';
import { discussionRoom } from '../realtime/rooms.js';
import { buildMeeting, clientId, watchMeeting } from '../meetings/test-meetings.js';
import { act, moderationWorld, postAs, reportAs } from './test-support.js';

/**
 * The site's administrators: a queue of illegal-content reports and
 * escalations that shows only what was reported, removing content, and
 * suspending accounts across the site, told to the person, lifted early or
 * by itself.
 */
describe('site moderation by administrators', () => {
  let app: TestApp;
  let clients: TestClients;
  let admin: UserDocument;

  before(async () => {
    app = await startTestApp();
    await app.server.realtime.ready;
    clients = new TestClients(app);
    admin = await buildUser({ isAdmin: true });
  });
  afterEach(() => clients.closeAll());
  after(() => app.close());

  const siteQueue = async () =>
    (await app.get<{ items: SiteQueueItemDto[] }>('/api/moderation/site/reports', { as: admin }))
      .body.items;
  const suspend = (user: UserDocument, body: Record<string, unknown>, as = admin) =>
    app.post(`/api/moderation/site/users/${String(user._id)}/suspension`, body, { as });

  it('queues illegal and escalated reports only, and shows only what was reported of a private group', async () => {
    const group = await buildGroup({ privacy: 'secret' });
    const [author, reporter] = [await addMember(group), await addMember(group)];
    const discussion = await buildDiscussion({
      group,
      title: 'Secret plans 19',
      context: 'Private context 19',
    });
    const id = String(discussion._id);
    await postAs(app, reporter, id, 'An innocent private reply 19');
    const illegal = await postAs(app, author, id, 'Illegal offer 19');
    const rude = await postAs(app, author, id, 'Rude private words 19');
    const escalated = await postAs(app, author, id, 'Escalated private words 19');
    await reportAs(
      app,
      reporter,
      { kind: 'comment', id: illegal },
      { reason: 'illegal', note: 'n1' },
    );
    await reportAs(app, reporter, { kind: 'comment', id: rude }, { reason: 'harassment' });
    await reportAs(app, reporter, { kind: 'comment', id: escalated }, { reason: 'off_topic' });
    await act(app, group.coordinator, String(group._id), {
      target: { kind: 'comment', id: escalated },
      action: 'escalate',
      reason: 'Beyond us',
    });

    const items = (await siteQueue()).filter((i) => i.groupId === String(group._id));
    expect(items.map((i) => i.target.id).sort()).to.deep.equal([illegal, escalated].sort());
    const byId = new Map(items.map((i) => [i.target.id, i]));
    expect(byId.get(illegal)!.target).to.include({ text: 'Illegal offer 19', kind: 'comment' });
    expect(byId.get(illegal)!.reasons).to.deep.equal({ illegal: 1 });
    expect(byId.get(escalated)).to.include({ escalated: true });
    // The administrators learn what was reported and by whom (to judge it), nothing else of the group.
    const text = JSON.stringify(items);
    for (const other of [
      'Secret plans 19',
      'Private context 19',
      'An innocent private reply 19',
      'Rude private words 19',
    ])
      expect(text).not.to.include(other);
    for (const item of items) {
      expect(item.target.discussion).to.equal(null);
      expect(item).not.to.have.property('authorHistory');
    }
    // Without support access the rest stays closed to them.
    const read = await app.get(`/api/discussions/${id}/comments`, { as: admin });
    expect(read.status).to.equal(404);

    // A public discussion is named: anyone may read it anyway.
    const w = await moderationWorld();
    const open = await postAs(app, w.author, w.discussionId, 'Public illegal thing');
    await reportAs(app, w.reporter, { kind: 'comment', id: open }, { reason: 'illegal' });
    const publicItem = (await siteQueue()).find((i) => i.target.id === open)!;
    expect(publicItem.target.discussion).to.deep.equal({
      id: w.discussionId,
      title: w.discussion.title,
    });
  });

  it('refuses everyone but administrators with 403 `authorization_error`, and visitors with 401', async () => {
    const w = await moderationWorld();
    const commentId = await postAs(app, w.author, w.discussionId, 'x');
    await reportAs(app, w.reporter, { kind: 'comment', id: commentId }, { reason: 'illegal' });
    for (const as of [w.coordinator, w.reporter, w.author]) {
      for (const res of [
        await app.get('/api/moderation/site/reports', { as }),
        await app.post(
          '/api/moderation/site/actions',
          { target: { kind: 'comment', id: commentId }, action: 'remove_content', reason: 'r' },
          { as },
        ),
        await suspend(w.author, { reason: 'r' }, as),
        await app.request(
          'DELETE',
          `/api/moderation/site/users/${String(w.author._id)}/suspension`,
          {
            body: { reason: 'r' },
            as,
          },
        ),
      ]) {
        expect(res.status, JSON.stringify(res.body)).to.equal(403);
        expect(res.body).to.have.nested.property('error.id', 'authorization_error');
      }
    }
    expect((await app.get('/api/moderation/site/reports')).status).to.equal(401);
    // Nothing outside the site queue can be acted on from it.
    const unreported = await postAs(app, w.author, w.discussionId, 'never reported');
    const res = await app.post(
      '/api/moderation/site/actions',
      { target: { kind: 'comment', id: unreported }, action: 'remove_content', reason: 'r' },
      { as: admin },
    );
    expect(res.status).to.equal(404);
  });

  it('remove takes the content down for everyone live, closes the reports and tells the author why', async () => {
    const w = await moderationWorld();
    const commentId = await postAs(app, w.author, w.discussionId, 'Pirated film link');
    await reportAs(app, w.reporter, { kind: 'comment', id: commentId }, { reason: 'illegal' });
    const member = record(await clients.watching(w.reporter, w.discussionId));
    const author = record(await clients.watching(w.author, w.discussionId));
    const res = await app.post(
      '/api/moderation/site/actions',
      { target: { kind: 'comment', id: commentId }, action: 'remove_content', reason: 'Copyright' },
      { as: admin },
    );
    expect(res.status).to.equal(204);
    const gone = (e: string, p: Record<string, unknown>) =>
      e === 'comment:upserted' &&
      (p as unknown as CommentDto).id === commentId &&
      (p as unknown as CommentDto).deleted;
    await arrival(member, gone);
    await arrival(member, (e, p) => e === 'report:updated' && p.status === 'handled');
    await arrival(
      author,
      (e, p) => e === 'moderation:notice' && p.action === 'site_remove' && p.reason === 'Copyright',
    );
    expect((await siteQueue()).map((i) => i.target.id)).not.to.include(commentId);
    const audit = await app.get<{ items: Array<{ action: string }> }>(
      `/api/groups/${w.groupId}/audit`,
      { as: w.coordinator },
    );
    expect(audit.body.items.map((e) => e.action)).to.include('moderation_site_remove');
  });

  it('a suspension refuses every write across the site (REST and socket), is told to the person live, keeps them reading, and lifts early', async () => {
    const w = await moderationWorld();
    const elsewhere = await buildGroup({ privacy: 'open' });
    await addMember(elsewhere, w.author);
    const otherDiscussion = await buildDiscussion({ group: elsewhere, private: false });
    const theirOwn = await buildGroup({ coordinator: w.author });
    const asking = await buildGroup({ membershipPolicy: 'request' });
    const meeting = await buildMeeting(app, { group: w.group, as: w.coordinator });
    await app.post(
      `/api/meetings/${meeting.id}/actions`,
      { action: { type: 'meeting.start' } },
      { as: w.coordinator },
    );
    const socket = await clients.watching(w.author, w.discussionId);
    expect(await watchMeeting(socket, meeting.id)).to.have.property('data');
    const seen = record(socket);

    const res = await suspend(w.author, { reason: 'Spamming many groups', minutes: 60 * 24 });
    expect(res.status).to.equal(204);
    const [, change] = await arrival(
      seen,
      (e, p) => e === 'restriction:changed' && Array.isArray(p) && p.length === 1,
    );
    const [suspension] = change as unknown as RestrictionDto[];
    expect(suspension).to.include({
      kind: 'suspension',
      groupId: null,
      reason: 'Spamming many groups',
    });
    await arrival(
      seen,
      (e, p) =>
        e === 'moderation:notice' &&
        p.action === 'suspend' &&
        p.reason === 'Spamming many groups' &&
        p.until === suspension.until,
    );
    await app.server.realtime.barrier();

    const refused = [
      await app.post(
        `/api/discussions/${w.discussionId}/comments`,
        { body: 'a' },
        { as: w.author },
      ),
      await app.post(
        `/api/discussions/${String(otherDiscussion._id)}/comments`,
        { body: 'b' },
        { as: w.author },
      ),
      await app.post('/api/discussions', { groupId: w.groupId, title: 't' }, { as: w.author }),
      await app.post('/api/groups', { name: 'Spam Central', privacy: 'open' }, { as: w.author }),
      await app.post(
        `/api/groups/${String(theirOwn._id)}/invitations`,
        { emails: ['spam.target@example.org'] },
        { as: w.author },
      ),
      await app.post(
        `/api/groups/${String(asking._id)}/join-requests`,
        { introduction: 'let me in' },
        { as: w.author },
      ),
      await app.post(
        `/api/meetings/${meeting.id}/actions`,
        { action: { type: 'hand.raise', kind: 'speak', clientId: clientId() } },
        { as: w.author },
      ),
    ];
    for (const r of refused) {
      expect(r.status, JSON.stringify(r.body)).to.equal(403);
      expect(r.body).to.have.nested.property('error.id', 'suspended');
      expect(r.body).to.have.nested.property('error.until', suspension.until);
    }
    const byHand = await new Promise<unknown>((resolve) =>
      socket.emit(
        'meeting:act',
        {
          meetingId: meeting.id,
          action: { type: 'hand.raise', kind: 'speak', clientId: clientId() },
        },
        resolve,
      ),
    );
    expect(byHand).to.have.nested.property('error.id', 'suspended');
    // They still read, live: their sessions and rooms stay as they were.
    expect(socket.connected).to.equal(true);
    const rooms = app.server.realtime.io.of('/').adapter.rooms;
    expect(rooms.get(discussionRoom(w.discussionId, 'member'))?.has(socket.id ?? '')).to.equal(
      true,
    );
    const other = await postAs(app, w.reporter, w.discussionId, 'life goes on');
    // A new comment arrives inside its timeline entry.
    await arrival(
      seen,
      (e, p) => e === 'timeline:event' && (p as { comment?: { id: string } }).comment?.id === other,
    );
    expect((await app.get('/api/me', { as: w.author })).status).to.equal(200);

    const lifted = await app.request(
      'DELETE',
      `/api/moderation/site/users/${String(w.author._id)}/suspension`,
      { body: { reason: 'Appeal upheld' }, as: admin },
    );
    expect(lifted.status).to.equal(204);
    await arrival(
      seen,
      (e, p) => e === 'restriction:changed' && Array.isArray(p) && p.length === 0,
    );
    await arrival(
      seen,
      (e, p) =>
        e === 'moderation:notice' && p.action === 'unsuspend' && p.reason === 'Appeal upheld',
    );
    await postAs(app, w.author, w.discussionId, 'back');
    const again = await app.request(
      'DELETE',
      `/api/moderation/site/users/${String(w.author._id)}/suspension`,
      { body: { reason: 'twice' }, as: admin },
    );
    expect(again.status).to.equal(404);
  });

  it('a suspension ends by itself at its time; one until lifted has no end', async () => {
    const w = await moderationWorld();
    expect((await suspend(w.author, { reason: 'Cooling off', minutes: 5 })).status).to.equal(204);
    const [stored] = await RestrictionModel.find({ userId: w.author._id, kind: 'suspension' });
    expect(stored.until!.getTime() - stored.createdAt.getTime()).to.be.closeTo(5 * 60_000, 2000);
    const refused = await app.post(
      `/api/discussions/${w.discussionId}/comments`,
      { body: 'now?' },
      { as: w.author },
    );
    expect(refused.body).to.have.nested.property('error.id', 'suspended');
    // Its time comes (moved into the past here): nothing needs to lift it.
    await RestrictionModel.updateOne(
      { _id: stored._id },
      { $set: { until: new Date(Date.now() - 1000) } },
    );
    await postAs(app, w.author, w.discussionId, 'free');
    const mine = await app.get<{ restrictions: unknown[] }>('/api/moderation/me', { as: w.author });
    expect(mine.body.restrictions).to.deep.equal([]);

    expect((await suspend(w.reporter, { reason: 'Indefinitely' })).status).to.equal(204);
    const res = await app.post(
      `/api/discussions/${w.discussionId}/comments`,
      { body: 'x' },
      { as: w.reporter },
    );
    expect(res.body).to.have.nested.property('error.id', 'suspended');
    expect(res.body).not.to.have.nested.property('error.until');
    const bad = await suspend(w.reporter, { reason: '' });
    expect(bad.status).to.equal(400);
    expect(bad.body).to.have.nested.property('error.field', 'reason');
  });
});
