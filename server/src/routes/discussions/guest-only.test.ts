import { expect } from 'chai';
import { buildUser } from '../../test/factories.js';
import { startTestApp, type TestApp } from '../../test/harness.js';

interface DiscussionBody {
  discussion: { id: string; private: boolean; group: unknown; abilities: Record<string, boolean> };
}

/** The invitation token from the last link mailed to an address. */
function tokenMailedTo(app: TestApp, email: string): string {
  const mail = app.server.mailer.to(email).at(-1);
  const match = mail?.text.match(/\/invitations\/([A-Za-z0-9_-]+)/);
  if (!match) throw new Error(`no invitation mailed to ${email}`);
  return match[1];
}

describe('discussions among invited guests only (no group)', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  it('lets the author start one, invite a guest who then reads and comments, and hides it from everyone else', async () => {
    const author = await buildUser();
    const started = await app.post<DiscussionBody>(
      '/api/discussions',
      { title: 'Planning the street party', context: 'Just us for now' },
      { as: author },
    );
    expect(started.status).to.equal(201);
    const { id, private: isPrivate, abilities } = started.body.discussion;
    expect(isPrivate).to.equal(true);
    expect(abilities.canComment).to.equal(true);
    expect(abilities.canInviteGuests).to.equal(true);

    const outsider = await buildUser();
    expect((await app.get(`/api/discussions/${id}`)).status).to.equal(404);
    expect((await app.get(`/api/discussions/${id}`, { as: outsider })).status).to.equal(404);
    expect(
      (await app.post(`/api/discussions/${id}/comments`, { body: 'hi' }, { as: outsider })).status,
    ).to.equal(404);

    const guest = await buildUser();
    const invited = await app.post(
      '/api/invitations',
      { discussionId: id, emails: [guest.email] },
      { as: author },
    );
    expect(invited.status).to.equal(201);
    const accepted = await app.post(
      `/api/invitations/${tokenMailedTo(app, guest.email)}/accept`,
      {},
      { as: guest },
    );
    expect(accepted.status).to.equal(200);

    expect((await app.get(`/api/discussions/${id}`, { as: guest })).status).to.equal(200);
    const comment = await app.post(
      `/api/discussions/${id}/comments`,
      { body: 'Count me in' },
      { as: guest },
    );
    expect(comment.status).to.equal(201);
    expect((await app.get(`/api/discussions/${id}`, { as: outsider })).status).to.equal(404);
  });

  it('refuses a public discussion outside a group: it is always private', async () => {
    const author = await buildUser();
    const res = await app.post<DiscussionBody>(
      '/api/discussions',
      { title: 'Open letter', private: false },
      { as: author },
    );
    expect(res.status).to.equal(201);
    expect(res.body.discussion.private).to.equal(true);
    expect((await app.get(`/api/discussions/${res.body.discussion.id}`)).status).to.equal(404);
  });
});
