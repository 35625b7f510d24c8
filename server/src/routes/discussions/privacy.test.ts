/**
 * P5, P6, P10 across every discussion, comment, timeline, inbox and
 * notification route: no response carries an email address, whoever asks
 * (coordinators included: these records name people by summary only), and a
 * private discussion does not exist for visitors and outsiders on any route.
 */
import { expect } from 'chai';
import { UserModel, type UserDocument } from '../../models/user.js';
import type { CommentDto } from '../../presenters/comment.js';
import { buildComment, buildReaction } from '../../test/factories-discussions.js';
import {
  addGuest,
  addMember,
  buildDiscussion,
  buildGroup,
  buildUser,
} from '../../test/factories.js';
import { startTestApp, type TestApp } from '../../test/harness.js';

const EMAIL = /[^\s"@<>]+@[^\s"@<>]+\.[a-z]{2,}/i;

describe('discussions and comments: privacy (P5, P6, P10)', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  it('never sends an email address in any discussion, comment, event, inbox or notification response', async () => {
    const group = await buildGroup({ privacy: 'open' });
    const member = await addMember(group);
    const discussion = await buildDiscussion({ group, private: false });
    const guest = await addGuest(discussion);
    const gone = await addMember(group);
    const parent = await buildComment({
      discussion,
      author: member,
      body: `hello @${guest.handle} @${gone.handle}`,
    });
    const reply = await buildComment({
      discussion,
      author: gone,
      parent,
      body: `hi @${member.handle}`,
    });
    await buildReaction(parent, guest);
    await UserModel.updateOne({ _id: gone._id }, { deactivatedAt: new Date() });
    const d = String(discussion._id);
    expect(member.email).to.match(EMAIL); // the pattern does catch the addresses these people have
    const routes = [
      `/api/discussions/${d}`,
      `/api/discussions?groupId=${String(group._id)}`,
      `/api/discussions/${d}/comments`,
      `/api/discussions/${d}/events`,
      `/api/comments/${String(parent._id)}/history`,
      '/api/inbox',
      '/api/notifications',
    ];
    const viewers: (UserDocument | undefined)[] = [
      undefined,
      group.coordinator,
      member,
      guest,
      await buildUser(),
    ];
    let checked = 0;
    for (const viewer of viewers) {
      for (const route of routes) {
        const res = await app.get(route, { as: viewer });
        if (res.status !== 200) continue;
        checked++;
        expect(JSON.stringify(res.body), `${route} as ${viewer?.handle ?? 'visitor'}`).not.to.match(
          EMAIL,
        );
      }
    }
    expect(checked).to.be.greaterThan(25);
    const writes = [
      await app.post(`/api/discussions/${d}/comments`, { body: 'x' }, { as: group.coordinator }),
      await app.patch(`/api/comments/${String(parent._id)}`, { body: 'edited' }, { as: member }),
      await app.request('PUT', `/api/comments/${String(parent._id)}/reactions/:ok:`, {
        as: member,
      }),
      await app.delete(`/api/comments/${String(reply._id)}`, { as: group.coordinator }),
      await app.post(`/api/discussions/${d}/pin`, {}, { as: group.coordinator }),
      await app.post(
        '/api/discussions',
        { groupId: String(group._id), title: 'New' },
        { as: member },
      ),
    ];
    for (const res of writes) {
      expect(res.status).to.be.within(200, 201);
      expect(JSON.stringify(res.body)).not.to.match(EMAIL);
    }
  });

  it('shows a deactivated author as such, without name or handle (P8)', async () => {
    const discussion = await buildDiscussion({
      group: await buildGroup({ privacy: 'open' }),
      private: false,
    });
    const author = await addMember(discussion.group);
    await buildComment({ discussion, author });
    await UserModel.updateOne({ _id: author._id }, { deactivatedAt: new Date() });
    const res = await app.get<{ items: CommentDto[] }>(
      `/api/discussions/${String(discussion._id)}/comments`,
    );
    expect(res.body.items[0].author).to.deep.equal({
      id: String(author._id),
      name: 'Deactivated account',
      handle: null,
      avatarUrl: null,
      status: 'deactivated',
    });
    expect(JSON.stringify(res.body)).not.to.contain(author.name);
  });

  it('answers 404 on every route of a private discussion to visitors and outsiders, 200 to a guest', async () => {
    const discussion = await buildDiscussion({
      group: await buildGroup({ privacy: 'open' }),
      private: true,
    });
    const comment = await buildComment({ discussion });
    const guest = await addGuest(discussion);
    const outsider = await buildUser();
    const d = `/api/discussions/${String(discussion._id)}`;
    const c = `/api/comments/${String(comment._id)}`;
    const requests: [string, string, unknown][] = [
      ['GET', d, undefined],
      ['GET', `${d}/comments`, undefined],
      ['GET', `${d}/events`, undefined],
      ['GET', `${c}/history`, undefined],
      ['PATCH', d, { title: 'x' }],
      ['POST', `${d}/comments`, { body: 'x' }],
      ['POST', `${d}/read`, { sequence: 1 }],
      ['POST', `${d}/close`, {}],
      ['POST', `${d}/pin`, {}],
      ['PATCH', c, { body: 'x' }],
      ['DELETE', c, undefined],
      ['PUT', `${c}/reactions/:ok:`, undefined],
    ];
    for (const [method, path, body] of requests) {
      const asOutsider = await app.request(method, path, { as: outsider, body });
      expect(asOutsider.status, `${method} ${path} as outsider`).to.equal(404);
      if (method === 'GET') {
        expect((await app.request(method, path)).status, `${method} ${path} as visitor`).to.equal(
          404,
        );
        expect(
          (await app.request(method, path, { as: guest })).status,
          `${method} ${path} as guest`,
        ).to.equal(200);
      }
    }
  });
});
