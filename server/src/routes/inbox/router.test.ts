import { expect } from 'chai';
import type { DiscussionDto } from '../../presenters/discussion.js';
import { buildComment } from '../../test/factories-discussions.js';
import {
  addGuest,
  addMember,
  buildDiscussion,
  buildGroup,
  buildUser,
} from '../../test/factories.js';
import { startTestApp, type TestApp } from '../../test/harness.js';

type List = { items: DiscussionDto[]; nextCursor: string | null };

describe('GET /api/inbox', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  it('lists the discussions one takes part in, newest activity first, with unread counts, across pages', async () => {
    const person = await buildUser();
    const mine = await buildGroup({ privacy: 'closed' });
    await addMember(mine, person);
    const older = await buildDiscussion({ group: mine, lastActivityAt: new Date('2024-01-01') });
    const invited = await buildDiscussion({
      group: await buildGroup({ privacy: 'secret' }),
      lastActivityAt: new Date('2024-01-02'),
    });
    await addGuest(invited, person);
    await buildDiscussion({ group: await buildGroup({ privacy: 'open' }), private: false }); // readable, not taking part
    const active = await buildDiscussion({ group: mine });
    await buildComment({ discussion: active });
    await buildComment({ discussion: active });
    await app.post(`/api/discussions/${String(active._id)}/read`, { sequence: 1 }, { as: person });

    const first = await app.get<List>('/api/inbox?limit=2', { as: person });
    expect(first.status).to.equal(200);
    expect(first.body.items.map((d) => [d.id, d.readState])).to.deep.equal([
      [String(active._id), { lastReadSequence: 1, unreadCount: 1 }],
      [String(invited._id), { lastReadSequence: 0, unreadCount: 0 }],
    ]);
    expect(first.body.items[1].group!.privacy).to.equal('secret');
    const rest = await app.get<List>(`/api/inbox?limit=2&cursor=${first.body.nextCursor}`, {
      as: person,
    });
    expect(rest.body.items.map((d) => d.id)).to.deep.equal([String(older._id)]);
    expect(rest.body.nextCursor).to.equal(null);
  });

  it('answers 401 to visitors and 400 for bad paging, including operators', async () => {
    expect((await app.get('/api/inbox')).status).to.equal(401);
    const person = await buildUser();
    expect((await app.get('/api/inbox?limit=0', { as: person })).status).to.equal(400);
    expect((await app.get('/api/inbox?cursor=bogus', { as: person })).status).to.equal(400);
    expect((await app.get('/api/inbox?cursor[$gt]=a', { as: person })).status).to.equal(400);
    expect((await app.get<List>('/api/inbox', { as: person })).body).to.deep.equal({
      items: [],
      nextCursor: null,
    });
  });
});
