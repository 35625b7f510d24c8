import { expect } from 'chai';
import type { RestrictionListItemDto } from '../../../../shared/moderation.js';
import { RestrictionModel } from '../../models/restriction.js';
import type { UserDocument } from '../../models/user.js';
import { expectError } from '../../test/factories-accounts.js';
import { buildGroup, buildUser } from '../../test/factories.js';
import { startTestApp, type TestApp } from '../../test/harness.js';

describe('GET /api/moderation/site/suspensions (the site administrators)', () => {
  let app: TestApp;
  let admin: UserDocument;
  before(async () => {
    app = await startTestApp();
    admin = await buildUser({ isAdmin: true, name: 'Site Admin' });
  });
  after(() => app.close());

  const list = async () => {
    const res = await app.get<{ items: RestrictionListItemDto[] }>(
      '/api/moderation/site/suspensions',
      { as: admin },
    );
    expect(res.status).to.equal(200);
    return res.body.items;
  };

  it('answers 401 to a visitor and 403 to anyone but a site administrator', async () => {
    expectError(await app.get('/api/moderation/site/suspensions'), 401, 'authentication_required');
    const group = await buildGroup();
    for (const user of [group.coordinator, await buildUser()])
      expectError(
        await app.get('/api/moderation/site/suspensions', { as: user }),
        403,
        'authorization_error',
      );
  });

  it('lists the suspensions in force, newest first, naming the person without their email; a lifted one leaves', async () => {
    const first = await buildUser({ name: 'Fay First' });
    const second = await buildUser({ name: 'Sam Second' });
    const expired = await buildUser({ name: 'Eve Expired' });
    const muted = await buildUser({ name: 'Mo Muted' });
    const group = await buildGroup();
    expect(
      (
        await app.post(
          `/api/moderation/site/users/${String(first._id)}/suspension`,
          { reason: 'Spam across groups', minutes: 60 },
          { as: admin },
        )
      ).status,
    ).to.equal(204);
    expect(
      (
        await app.post(
          `/api/moderation/site/users/${String(second._id)}/suspension`,
          { reason: 'Threats' },
          { as: admin },
        )
      ).status,
    ).to.equal(204);
    await RestrictionModel.create({
      kind: 'suspension',
      userId: expired._id,
      until: new Date(Date.now() - 60_000),
      reason: 'Over already',
    });
    await RestrictionModel.create({
      kind: 'mute',
      groupId: group._id,
      userId: muted._id,
      until: new Date(Date.now() + 60_000),
      reason: 'A mute is not a suspension',
    });

    const items = await list();
    expect(items.map((i) => i.person.name)).to.deep.equal(['Sam Second', 'Fay First']);
    expect(items[0]).to.include({ kind: 'suspension', until: null, reason: 'Threats' });
    expect(Date.parse(items[1].until!)).to.be.greaterThan(Date.now());
    expect(items[1].person.id).to.equal(String(first._id));
    expect(JSON.stringify(items)).not.to.include('@');

    const lifted = await app.delete(`/api/moderation/site/users/${String(second._id)}/suspension`, {
      as: admin,
      body: { reason: 'Apologised' },
    });
    expect(lifted.status).to.equal(204);
    expect((await list()).map((i) => i.person.name)).to.deep.equal(['Fay First']);
  });
});
