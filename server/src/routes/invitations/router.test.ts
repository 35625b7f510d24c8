import { expect } from 'chai';
import { InvitationModel } from '../../models/invitation.js';
import { MembershipModel } from '../../models/membership.js';
import type { GroupDetailDto } from '../../presenters/group.js';
import type { InvitationPreviewDto } from '../../presenters/invitation.js';
import { addMember, buildGroup, buildUser } from '../../test/factories.js';
import { buildInvitation } from '../../test/factories-groups.js';
import { startTestApp, type TestApp } from '../../test/harness.js';
import { expectError, roleOf } from '../groups/test-helpers.js';

type AcceptBody = {
  group: GroupDetailDto | null;
  discussion: { id: string; title: string } | null;
};

const unknownToken = 'A'.repeat(43);

describe('invitation routes', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  describe('GET /api/invitations/:token', () => {
    it('shows anyone holding the token the group and who invited them, and no address', async () => {
      const group = await buildGroup({ privacy: 'secret' });
      const { token } = await buildInvitation({ group, role: 'coordinator' });
      const res = await app.get<{ invitation: InvitationPreviewDto }>(`/api/invitations/${token}`);
      expect(res.status).to.equal(200);
      expect(res.body.invitation).to.include({ role: 'coordinator', status: 'pending' });
      expect(res.body.invitation.group).to.include({ id: String(group._id), name: group.name });
      expect(res.body.invitation.invitedBy).to.include({ name: group.coordinator.name });
      expect(JSON.stringify(res.body)).not.to.match(/@/);
    });

    it('answers 404 for unknown or malformed tokens and operators, 410 for spent ones', async () => {
      expectError(await app.get(`/api/invitations/${unknownToken}`), 404, 'not_found');
      expectError(await app.get('/api/invitations/short'), 404, 'not_found');
      expectError(
        await app.get(`/api/invitations/${unknownToken}?t[$ne]=1`),
        400,
        'validation_error',
      );
      const used = await buildInvitation({ acceptedAt: new Date() });
      expectError(await app.get(`/api/invitations/${used.token}`), 410, 'invitation_used');
      const expired = await buildInvitation({ expiresAt: new Date(Date.now() - 1) });
      expectError(await app.get(`/api/invitations/${expired.token}`), 410, 'invitation_expired');
      const revoked = await buildInvitation({ revokedAt: new Date() });
      expectError(await app.get(`/api/invitations/${revoked.token}`), 410, 'invitation_revoked');
    });
  });

  describe('POST /api/invitations/:token/accept', () => {
    it('answers 401 to a visitor and 400 to a body, accepting nothing', async () => {
      const { invitation, token } = await buildInvitation();
      expectError(
        await app.post(`/api/invitations/${token}/accept`),
        401,
        'authentication_required',
      );
      const user = await buildUser();
      expectError(
        await app.post(
          `/api/invitations/${token}/accept`,
          { $set: { role: 'coordinator' } },
          { as: user },
        ),
        400,
        'validation_error',
        '$set',
      );
      expectError(
        await app.post(`/api/invitations/${token}/accept`, { role: 'coordinator' }, { as: user }),
        400,
        'validation_error',
      );
      expectError(
        await app.post(`/api/invitations/${unknownToken}/accept`, {}, { as: user }),
        404,
        'not_found',
      );
      expect((await InvitationModel.findById(invitation._id).lean())?.acceptedAt).to.equal(null);
    });

    it('makes the invited account a member with the invited role, once', async () => {
      const group = await buildGroup({ privacy: 'secret' });
      const { invitation, token } = await buildInvitation({ group, role: 'coordinator' });
      const user = await buildUser({ email: invitation.email });
      const res = await app.post<AcceptBody>(`/api/invitations/${token}/accept`, {}, { as: user });
      expect(res.status).to.equal(200);
      expect(res.body.group).to.include({ id: String(group._id), role: 'coordinator' });
      expect(res.body.group?.abilities.canManage).to.equal(true);
      expect(await roleOf(group._id, user)).to.equal('coordinator');
      const stored = await InvitationModel.findById(invitation._id).lean();
      expect(String(stored?.acceptedById)).to.equal(String(user._id));
      expectError(
        await app.post(`/api/invitations/${token}/accept`, {}, { as: user }),
        410,
        'invitation_used',
      );
      expectError(
        await app.post(`/api/invitations/${token}/accept`, {}, { as: await buildUser() }),
        410,
        'invitation_used',
      );
      expect(await MembershipModel.countDocuments({ groupId: group._id })).to.equal(2);
    });

    it('works exactly once when the invited account accepts twice at the same moment', async () => {
      const group = await buildGroup();
      const { invitation, token } = await buildInvitation({ group });
      const as = await buildUser({ email: invitation.email });
      const results = await Promise.all(
        [1, 2].map(() => app.post(`/api/invitations/${token}/accept`, {}, { as })),
      );
      expect(results.map((r) => r.status).sort()).to.deep.equal([200, 410]);
      expect(await MembershipModel.countDocuments({ groupId: group._id })).to.equal(2);
    });

    it('refuses expired and revoked invitations with 410', async () => {
      const user = await buildUser();
      const expired = await buildInvitation({ expiresAt: new Date(Date.now() - 1) });
      expectError(
        await app.post(`/api/invitations/${expired.token}/accept`, {}, { as: user }),
        410,
        'invitation_expired',
      );
      const revoked = await buildInvitation({ revokedAt: new Date() });
      expectError(
        await app.post(`/api/invitations/${revoked.token}/accept`, {}, { as: user }),
        410,
        'invitation_revoked',
      );
      expect(await MembershipModel.countDocuments({ userId: user._id })).to.equal(0);
    });

    it('raises an existing member invited as coordinator, and never lowers a coordinator', async () => {
      const group = await buildGroup();
      const member = await addMember(group);
      const { email } = member;
      await app.post(
        `/api/invitations/${(await buildInvitation({ group, role: 'coordinator', email })).token}/accept`,
        {},
        { as: member },
      );
      expect(await roleOf(group._id, member)).to.equal('coordinator');
      await app.post(
        `/api/invitations/${(await buildInvitation({ group, role: 'member', email })).token}/accept`,
        {},
        { as: member },
      );
      expect(await roleOf(group._id, member)).to.equal('coordinator');
    });
  });

  describe('DELETE /api/invitations/:id', () => {
    it('answers 401 to visitors and 404 to anyone but coordinators', async () => {
      const group = await buildGroup();
      const member = await addMember(group);
      const { invitation } = await buildInvitation({ group, inviter: member });
      expectError(
        await app.delete(`/api/invitations/${String(invitation._id)}`),
        401,
        'authentication_required',
      );
      expectError(
        await app.delete(`/api/invitations/${String(invitation._id)}`, { as: member }),
        404,
        'not_found',
      );
      expectError(
        await app.delete(`/api/invitations/${String(invitation._id)}`, { as: await buildUser() }),
        404,
        'not_found',
      );
      expectError(
        await app.delete('/api/invitations/nope', { as: group.coordinator }),
        404,
        'not_found',
      );
      expectError(
        await app.delete(`/api/invitations/${String(invitation._id)}?x[$gt]=1`, {
          as: group.coordinator,
        }),
        400,
        'validation_error',
      );
      expect((await InvitationModel.findById(invitation._id).lean())?.revokedAt).to.equal(null);
    });

    it('withdraws an invitation so its link no longer works; an accepted one cannot be withdrawn', async () => {
      const group = await buildGroup();
      const { invitation, token } = await buildInvitation({ group });
      expect(
        (await app.delete(`/api/invitations/${String(invitation._id)}`, { as: group.coordinator }))
          .status,
      ).to.equal(204);
      expect((await InvitationModel.findById(invitation._id).lean())?.revokedAt).to.be.instanceOf(
        Date,
      );
      expectError(
        await app.post(`/api/invitations/${token}/accept`, {}, { as: await buildUser() }),
        410,
        'invitation_revoked',
      );
      const accepted = await buildInvitation({ group, acceptedAt: new Date() });
      expectError(
        await app.delete(`/api/invitations/${String(accepted.invitation._id)}`, {
          as: group.coordinator,
        }),
        409,
        'conflict',
      );
    });
  });
});
