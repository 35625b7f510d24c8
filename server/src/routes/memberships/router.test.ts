import { expect } from 'chai';
import { MembershipModel } from '../../models/membership.js';
import type { GroupDetailDto } from '../../presenters/group.js';
import type { MemberDto } from '../../presenters/membership.js';
import { addMember, buildGroup, buildUser } from '../../test/factories.js';
import { startTestApp, type TestApp } from '../../test/harness.js';
import { expectError, roleOf } from '../groups/test-helpers.js';

describe('member routes', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  describe('POST /api/groups/:id/members/:userId/promote and /demote', () => {
    it('answers 401, 403 and 404 as appropriate, changing nothing', async () => {
      const group = await buildGroup();
      const member = await addMember(group);
      const path = `/api/groups/${String(group._id)}/members/${String(member._id)}/promote`;
      expectError(await app.post(path), 401, 'authentication_required');
      expectError(await app.post(path, {}, { as: member }), 403, 'authorization_error');
      const secret = await buildGroup({ privacy: 'secret' });
      expectError(
        await app.post(
          `/api/groups/${String(secret._id)}/members/${String(secret.coordinator._id)}/demote`,
          {},
          { as: member },
        ),
        404,
        'not_found',
      );
      const stranger = await buildUser();
      expectError(
        await app.post(
          `/api/groups/${String(group._id)}/members/${String(stranger._id)}/promote`,
          {},
          { as: group.coordinator },
        ),
        404,
        'not_found',
      );
      expectError(
        await app.post(
          `/api/groups/${String(group._id)}/members/nope/promote`,
          {},
          { as: group.coordinator },
        ),
        404,
        'not_found',
      );
      expect(await roleOf(group._id, member)).to.equal('member');
    });

    it('rejects a body, operators included', async () => {
      const group = await buildGroup();
      const member = await addMember(group);
      const path = `/api/groups/${String(group._id)}/members/${String(member._id)}/promote`;
      expectError(
        await app.post(path, { role: { $ne: 'x' } }, { as: group.coordinator }),
        400,
        'validation_error',
        'role.$ne',
      );
      expectError(
        await app.post(path, { role: 'coordinator' }, { as: group.coordinator }),
        400,
        'validation_error',
      );
    });

    it('promotes and demotes, as coordinators say', async () => {
      const group = await buildGroup();
      const member = await addMember(group);
      const base = `/api/groups/${String(group._id)}/members/${String(member._id)}`;
      const promoted = await app.post<{ member: MemberDto }>(
        `${base}/promote`,
        {},
        { as: group.coordinator },
      );
      expect(promoted.status).to.equal(200);
      expect(promoted.body.member).to.include({
        id: String(member._id),
        role: 'coordinator',
        email: member.email,
      });
      expect(await roleOf(group._id, member)).to.equal('coordinator');
      // The new coordinator may now demote the one who promoted them.
      const demoted = await app.post<{ member: MemberDto }>(
        `/api/groups/${String(group._id)}/members/${String(group.coordinator._id)}/demote`,
        {},
        { as: member },
      );
      expect(demoted.body.member.role).to.equal('member');
      expect(await roleOf(group._id, group.coordinator)).to.equal('member');
    });

    it('never demotes the last coordinator, even when two demote each other at once', async () => {
      const group = await buildGroup();
      expectError(
        await app.post(
          `/api/groups/${String(group._id)}/members/${String(group.coordinator._id)}/demote`,
          {},
          { as: group.coordinator },
        ),
        409,
        'last_coordinator',
      );
      const second = await addMember(group, undefined, 'coordinator');
      const [a, b] = await Promise.all([
        app.post(
          `/api/groups/${String(group._id)}/members/${String(second._id)}/demote`,
          {},
          { as: group.coordinator },
        ),
        app.post(
          `/api/groups/${String(group._id)}/members/${String(group.coordinator._id)}/demote`,
          {},
          { as: second },
        ),
      ]);
      expect([a.status, b.status].sort()).to.deep.equal([200, 409]);
      expect(
        await MembershipModel.countDocuments({ groupId: group._id, role: 'coordinator' }),
      ).to.equal(1);
    });
  });

  describe('DELETE /api/groups/:id/members/:userId', () => {
    it('answers 401, 403, 404 and 409 as appropriate', async () => {
      const group = await buildGroup();
      const member = await addMember(group);
      const path = `/api/groups/${String(group._id)}/members/${String(member._id)}`;
      expectError(await app.delete(path), 401, 'authentication_required');
      expectError(await app.delete(path, { as: member }), 403, 'authorization_error');
      expectError(
        await app.delete(
          `/api/groups/${String(group._id)}/members/${String((await buildUser())._id)}`,
          { as: group.coordinator },
        ),
        404,
        'not_found',
      );
      expectError(
        await app.delete(
          `/api/groups/${String(group._id)}/members/${String(group.coordinator._id)}`,
          { as: group.coordinator },
        ),
        409,
        'last_coordinator',
      );
      expectError(
        await app.delete(`${path}?x[$ne]=1`, { as: group.coordinator }),
        400,
        'validation_error',
      );
      expect(await roleOf(group._id, member)).to.equal('member');
    });

    it('removes a member, whose access ends at once (403 for a closed group, 404 for a secret one)', async () => {
      for (const [privacy, status] of [
        ['closed', 403],
        ['secret', 404],
      ] as const) {
        const group = await buildGroup({ privacy });
        const member = await addMember(group);
        const members = `/api/groups/${String(group._id)}/members`;
        expect((await app.get(members, { as: member })).status).to.equal(200);
        expect(
          (await app.delete(`${members}/${String(member._id)}`, { as: group.coordinator })).status,
        ).to.equal(204);
        expect(await roleOf(group._id, member)).to.equal(null);
        expect((await app.get(members, { as: member })).status).to.equal(status);
        expect((await app.get(`/api/groups/${String(group._id)}`, { as: member })).status).to.equal(
          privacy === 'secret' ? 404 : 200,
        );
      }
    });
  });

  describe('POST /api/groups/:id/leave', () => {
    it('answers 401, 400 and 404 as appropriate', async () => {
      const group = await buildGroup({ privacy: 'open' });
      const path = `/api/groups/${String(group._id)}/leave`;
      expectError(await app.post(path), 401, 'authentication_required');
      expectError(
        await app.post(path, { now: true }, { as: group.coordinator }),
        400,
        'validation_error',
      );
      expectError(
        await app.post(path, { $where: '1' }, { as: group.coordinator }),
        400,
        'validation_error',
        '$where',
      );
      expectError(await app.post(path, {}, { as: await buildUser() }), 404, 'not_found');
      const secret = await buildGroup({ privacy: 'secret' });
      expectError(
        await app.post(`/api/groups/${String(secret._id)}/leave`, {}, { as: await buildUser() }),
        404,
        'not_found',
      );
    });

    it('lets a member leave', async () => {
      const group = await buildGroup();
      const member = await addMember(group);
      expect(
        (await app.post(`/api/groups/${String(group._id)}/leave`, {}, { as: member })).status,
      ).to.equal(204);
      expect(await roleOf(group._id, member)).to.equal(null);
    });

    it('keeps the last coordinator, alone or not, until someone else coordinates', async () => {
      const group = await buildGroup();
      const path = `/api/groups/${String(group._id)}/leave`;
      expectError(await app.post(path, {}, { as: group.coordinator }), 409, 'last_coordinator');
      const member = await addMember(group);
      expectError(await app.post(path, {}, { as: group.coordinator }), 409, 'last_coordinator');
      await MembershipModel.updateOne(
        { groupId: group._id, userId: member._id },
        { role: 'coordinator' },
      );
      expect((await app.post(path, {}, { as: group.coordinator })).status).to.equal(204);
    });
  });

  describe('POST /api/groups/:id/join', () => {
    it('lets anyone signed in join an open group that allows it', async () => {
      const group = await buildGroup({ privacy: 'open', membershipPolicy: 'open' });
      const user = await buildUser();
      const path = `/api/groups/${String(group._id)}/join`;
      expectError(await app.post(path), 401, 'authentication_required');
      expectError(
        await app.post(path, { role: 'coordinator' }, { as: user }),
        400,
        'validation_error',
      );
      const res = await app.post<{ group: GroupDetailDto }>(path, {}, { as: user });
      expect(res.status).to.equal(201);
      expect(res.body.group).to.include({ role: 'member', memberCount: 2 });
      expect(res.body.group.abilities).to.include({ canJoin: false, canLeave: true });
      expect(await roleOf(group._id, user)).to.equal('member');
      expectError(await app.post(path, {}, { as: user }), 409, 'conflict');
    });

    it('refuses groups that do not take members directly (403), and hides secret ones (404)', async () => {
      const user = await buildUser();
      for (const group of [
        await buildGroup({ privacy: 'open', membershipPolicy: 'request' }),
        await buildGroup({ privacy: 'closed' }),
      ]) {
        expectError(
          await app.post(`/api/groups/${String(group._id)}/join`, {}, { as: user }),
          403,
          'authorization_error',
        );
        expect(await roleOf(group._id, user)).to.equal(null);
      }
      const secret = await buildGroup({ privacy: 'secret' });
      expectError(
        await app.post(`/api/groups/${String(secret._id)}/join`, {}, { as: user }),
        404,
        'not_found',
      );
    });
  });
});
