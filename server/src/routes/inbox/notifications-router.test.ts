import { expect } from 'chai';
import { MembershipModel } from '../../models/membership.js';
import { NotificationModel } from '../../models/notification.js';
import type { NotificationDto } from '../../presenters/notification.js';
import { buildComment, buildNotification } from '../../test/factories-discussions.js';
import { addMember, buildDiscussion, buildUser } from '../../test/factories.js';
import { startTestApp, type TestApp } from '../../test/harness.js';

type List = { items: NotificationDto[]; nextCursor: string | null; unreadCount: number };
type Err = { error: { id: string; field?: string } };

describe('/api/notifications', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  it('lists one’s own notifications newest first, naming the discussion only while it is readable', async () => {
    const discussion = await buildDiscussion();
    const person = await addMember(discussion.group);
    const writer = await addMember(discussion.group);
    await buildNotification(await buildUser()); // someone else's
    const old = await buildNotification(person, { createdAt: new Date('2024-01-01') });
    const comment = await buildComment({
      discussion,
      author: writer,
      body: `look @${person.handle}`,
    });

    const res = await app.get<List>('/api/notifications?limit=1', { as: person });
    expect(res.status).to.equal(200);
    expect(res.body.unreadCount).to.equal(2);
    expect(res.body.items).to.have.length(1);
    expect(res.body.items[0]).to.deep.include({
      kind: 'mention',
      discussion: { id: String(discussion._id), title: discussion.title },
      commentId: String(comment._id),
      read: false,
    });
    expect(res.body.items[0].actor).to.deep.include({ id: String(writer._id) });
    const rest = await app.get<List>(`/api/notifications?cursor=${res.body.nextCursor}`, {
      as: person,
    });
    expect(rest.body.items.map((n) => n.id)).to.deep.equal([String(old._id)]);

    await MembershipModel.deleteOne({ userId: person._id, groupId: discussion.group._id });
    const after = await app.get<List>('/api/notifications', { as: person });
    expect(after.body.items[0]).to.deep.include({ discussion: null, actor: null, commentId: null });
    expect(JSON.stringify(after.body)).not.to.contain(discussion.title);
  });

  it('marks chosen or all of one’s own notifications read, never someone else’s', async () => {
    const person = await buildUser();
    const other = await buildUser();
    const [a, b] = [await buildNotification(person), await buildNotification(person)];
    const theirs = await buildNotification(other);
    const one = await app.post<{ updated: number }>(
      '/api/notifications/read',
      { ids: [String(a._id), String(theirs._id)] },
      { as: person },
    );
    expect(one.body).to.deep.equal({ updated: 1 });
    expect((await NotificationModel.findById(theirs._id))!.readAt).to.equal(null);
    expect(
      (await app.post('/api/notifications/read', { all: true }, { as: person })).body,
    ).to.deep.equal({ updated: 1 });
    expect((await NotificationModel.findById(b._id))!.readAt).to.be.instanceOf(Date);
    expect((await app.get<List>('/api/notifications', { as: person })).body.unreadCount).to.equal(
      0,
    );
  });

  it('answers 400 for bad input (operators too) and 401 to visitors', async () => {
    const person = await buildUser();
    for (const body of [
      {},
      { ids: [] },
      { ids: ['x'] },
      { all: false },
      { ids: { $in: [] } },
      { all: true, ids: [] },
    ]) {
      const res = await app.post<Err>('/api/notifications/read', body, { as: person });
      expect(res.status, JSON.stringify(body)).to.equal(400);
    }
    expect((await app.get('/api/notifications?limit=x', { as: person })).status).to.equal(400);
    expect((await app.get('/api/notifications')).status).to.equal(401);
    expect((await app.post('/api/notifications/read', { all: true })).status).to.equal(401);
  });
});
