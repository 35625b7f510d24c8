import { expect } from 'chai';
import type { DocVersionDto } from '../../../shared/dto.js';
import { UserModel } from '../models/user.js';
import { addMember, buildDiscussion, buildGroup, buildUser } from '../test/factories.js';
import { buildPoll, buildPollScene } from '../test/factories-polls.js';
import { startTestApp, type TestApp } from '../test/harness.js';

type Page = { items: DocVersionDto[]; nextCursor: string | null; error?: { id: string } };

describe('collaborative documents: version history over REST', function () {
  this.timeout(30_000);
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  it('lists a context’s versions newest first, naming who took part, deactivated accounts hidden', async () => {
    const group = await buildGroup({ privacy: 'closed' });
    const member = await addMember(group);
    const discussion = await buildDiscussion({ group, context: 'First' });
    const id = String(discussion._id);
    const edit = async (context: string) =>
      expect(
        (await app.patch(`/api/discussions/${id}`, { context }, { as: group.coordinator })).status,
      ).to.equal(200);
    await edit('Second');
    await edit('Third');
    await UserModel.updateOne({ _id: group.coordinator._id }, { deactivatedAt: new Date() });

    const res = await app.get<Page>(`/api/discussions/${id}/context/versions`, { as: member });
    expect(res.status).to.equal(200);
    expect(res.body.items.map((v) => v.text)).to.deep.equal(['Third', 'Second']);
    expect(res.body.items[0].editors).to.deep.equal([
      {
        id: String(group.coordinator._id),
        name: 'Deactivated account',
        handle: null,
        avatarUrl: null,
        status: 'deactivated',
      },
    ]);
    expect(JSON.stringify(res.body)).not.to.include(group.coordinator.name);

    const page = await app.get<Page>(`/api/discussions/${id}/context/versions?limit=1`, {
      as: member,
    });
    expect(page.body.items.map((v) => v.text)).to.deep.equal(['Third']);
    const rest = await app.get<Page>(
      `/api/discussions/${id}/context/versions?limit=1&before=${String(page.body.nextCursor)}`,
      { as: member },
    );
    expect(rest.body.items.map((v) => v.text)).to.deep.equal(['Second']);
    expect(rest.body.nextCursor).to.equal(null);

    // 400 bad query; 404 for those who may not read (visitors too: a private discussion) and for missing records.
    const bad = await app.get<Page>(`/api/discussions/${id}/context/versions?limit=0`, {
      as: member,
    });
    expect(bad.status).to.equal(400);
    expect(bad.body.error?.id).to.equal('validation_error');
    expect((await app.get(`/api/discussions/${id}/context/versions`)).status).to.equal(404);
    const outsider = await buildUser();
    expect(
      (await app.get(`/api/discussions/${id}/context/versions`, { as: outsider })).status,
    ).to.equal(404);
    expect(
      (await app.get('/api/discussions/0123456789abcdef01234567/context/versions', { as: member }))
        .status,
    ).to.equal(404);
  });

  it('lists a poll’s details versions to readers of its discussion', async () => {
    const scene = await buildPollScene();
    const poll = await buildPoll({ discussion: scene.discussion, author: scene.member });
    const path = `/api/polls/${String(poll._id)}/details/versions`;
    await app.patch(`/api/polls/${String(poll._id)}`, { details: 'Why' }, { as: scene.member });
    const res = await app.get<Page>(path, { as: scene.coordinator });
    expect(res.status).to.equal(200);
    expect(res.body.items.map((v) => [v.text, v.editors.map((e) => e.name)])).to.deep.equal([
      ['Why', [scene.member.name]],
    ]);
    expect(
      (await app.get('/api/polls/0123456789abcdef01234567/details/versions', { as: scene.member }))
        .status,
    ).to.equal(404);
    // A public discussion: visitors are told to sign in.
    expect((await app.get(path)).status).to.equal(401);
  });
});
