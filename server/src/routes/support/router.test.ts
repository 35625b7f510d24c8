/**
 * P12: a site administrator reads a private group's discussions, member
 * emails and votes only while its coordinators' support grant is in force,
 * and every such read is in the audit the coordinators can read.
 */
import { expect } from 'chai';
import type { SupportAuditEntryDto, SupportGrantDto } from '../../../../shared/dto.js';
import { AuditEntryModel } from '../../models/audit-entry.js';
import { SupportGrantModel } from '../../models/support-grant.js';
import { addMember, buildDiscussion, buildGroup, buildUser } from '../../test/factories.js';
import { buildPoll, buildVote } from '../../test/factories-polls.js';
import { expectError } from '../../test/factories-accounts.js';
import { startTestApp, type TestApp } from '../../test/harness.js';

interface SupportAccessBody {
  grant: SupportGrantDto | null;
  audit: SupportAuditEntryDto[];
}

describe('support access with consent (P12)', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app?.close());

  async function scene(privacy: 'closed' | 'secret' = 'closed') {
    const group = await buildGroup({ privacy });
    const member = await addMember(group);
    const discussion = await buildDiscussion({ group });
    const poll = await buildPoll({ discussion });
    await buildVote(poll, member, [{ optionId: 'agree', value: 1 }]);
    const admin = await buildUser({ isAdmin: true });
    return { group, member, discussion, poll, admin, coordinator: group.coordinator };
  }

  /** Every content route an administrator might try, as `[path, what]`. */
  const reads = (s: Awaited<ReturnType<typeof scene>>) => [
    `/api/discussions/${String(s.discussion._id)}`,
    `/api/discussions?groupId=${String(s.group._id)}`,
    `/api/discussions/${String(s.discussion._id)}/comments`,
    `/api/polls/${String(s.poll._id)}/votes`,
    `/api/groups/${String(s.group._id)}/members`,
  ];

  it('P12: an administrator is refused without a grant, allowed with one, and the read is audited', async () => {
    const s = await scene();
    const discussionPath = `/api/discussions/${String(s.discussion._id)}`;
    const membersPath = `/api/groups/${String(s.group._id)}/members`;

    // Without a grant, being an administrator gives nothing.
    expectError(await app.get(discussionPath, { as: s.admin }), 404, 'not_found');
    expectError(await app.get(membersPath, { as: s.admin }), 403, 'authorization_error');
    const listed = await app.get<{ items: unknown[] }>(
      `/api/discussions?groupId=${String(s.group._id)}`,
      { as: s.admin },
    );
    expect(listed.body.items).to.deep.equal([]);
    expect(await AuditEntryModel.countDocuments({ action: 'support_read' })).to.equal(0);

    // The coordinators grant a day.
    const granted = await app.post<{ grant: SupportGrantDto }>(
      `/api/groups/${String(s.group._id)}/support-access`,
      { hours: 24 },
      { as: s.coordinator },
    );
    expect(granted.status).to.equal(201);
    expect(granted.body.grant.grantedBy.id).to.equal(String(s.coordinator._id));
    const hours = (Date.parse(granted.body.grant.expiresAt) - Date.now()) / 3600_000;
    expect(hours).to.be.within(23.9, 24);

    // Now the ordinary routes answer the administrator: discussions, emails, votes.
    for (const path of reads(s)) {
      const res = await app.get(path, { as: s.admin });
      expect(res.status, path).to.equal(200);
    }
    const members = await app.get<{ items: { id: string; email?: string }[] }>(membersPath, {
      as: s.admin,
    });
    expect(members.body.items.find((m) => m.id === String(s.member._id))?.email).to.equal(
      s.member.email,
    );
    const discussions = await app.get<{ items: { id: string }[] }>(
      `/api/discussions?groupId=${String(s.group._id)}`,
      { as: s.admin },
    );
    expect(discussions.body.items.map((d) => d.id)).to.include(String(s.discussion._id));

    // ...read only: the grant gives no right to act.
    expect(
      (await app.post(`${discussionPath}/comments`, { body: 'Support was here' }, { as: s.admin }))
        .status,
    ).to.be.oneOf([403, 404]);

    // Every read is in the coordinators' audit, naming the route and the administrator.
    const history = await app.get<SupportAccessBody>(
      `/api/groups/${String(s.group._id)}/support-access`,
      { as: s.coordinator },
    );
    expect(history.status).to.equal(200);
    expect(history.body.grant?.id).to.equal(granted.body.grant.id);
    const readsAudited = history.body.audit.filter((e) => e.action === 'support_read');
    expect(readsAudited.length).to.be.at.least(reads(s).length + 2);
    expect(readsAudited.every((e) => e.actor?.id === String(s.admin._id))).to.equal(true);
    expect(readsAudited.map((e) => e.read)).to.include.members([
      'GET /api/discussions/:id',
      'GET /api/discussions',
      'GET /api/polls/:id/votes',
      'GET /api/groups/:group/members',
    ]);
    expect(history.body.audit.at(-1)?.action).to.equal('support_access_granted');

    // Members and the administrator themselves reading as usual leave no support trace.
    const before = await AuditEntryModel.countDocuments({ action: 'support_read' });
    await app.get(discussionPath, { as: s.member });
    expect(await AuditEntryModel.countDocuments({ action: 'support_read' })).to.equal(before);
  });

  it('expiry and revocation end access at once', async () => {
    const s = await scene('secret');
    const groupPath = `/api/groups/${String(s.group._id)}`;
    const discussionPath = `/api/discussions/${String(s.discussion._id)}`;
    expectError(await app.get(groupPath, { as: s.admin }), 404, 'not_found');

    await app.post(`${groupPath}/support-access`, { hours: 1 }, { as: s.coordinator });
    expect((await app.get(groupPath, { as: s.admin })).status).to.equal(200);
    expect((await app.get(discussionPath, { as: s.admin })).status).to.equal(200);

    await SupportGrantModel.updateMany(
      { groupId: s.group._id },
      { $set: { expiresAt: new Date(Date.now() - 1000) } },
    );
    expectError(await app.get(discussionPath, { as: s.admin }), 404, 'not_found');
    expectError(await app.get(groupPath, { as: s.admin }), 404, 'not_found');

    await app.post(`${groupPath}/support-access`, { hours: 2 }, { as: s.coordinator });
    expect((await app.get(discussionPath, { as: s.admin })).status).to.equal(200);
    const revoked = await app.delete(`${groupPath}/support-access`, { as: s.coordinator });
    expect(revoked.status).to.equal(204);
    expectError(await app.get(discussionPath, { as: s.admin }), 404, 'not_found');

    const history = await app.get<SupportAccessBody>(`${groupPath}/support-access`, {
      as: s.coordinator,
    });
    expect(history.body.grant).to.equal(null);
    expect(history.body.audit[0]?.action).to.equal('support_access_revoked');
  });

  it('only coordinators manage support access; hours are 1 to 168', async () => {
    const s = await scene();
    const path = `/api/groups/${String(s.group._id)}/support-access`;
    expectError(await app.post(path, { hours: 2 }), 401, 'authentication_required');
    expectError(await app.post(path, { hours: 2 }, { as: s.member }), 403, 'authorization_error');
    expectError(await app.get(path, { as: s.member }), 403, 'authorization_error');
    expectError(await app.delete(path, { as: s.member }), 403, 'authorization_error');
    expectError(await app.get(path, { as: s.admin }), 403, 'authorization_error');
    for (const hours of [0, 169, 1.5, '3', -1]) {
      expectError(
        await app.post(path, { hours }, { as: s.coordinator }),
        400,
        'validation_error',
        'hours',
      );
    }
    expectError(
      await app.post(path, { hours: 3, groupId: 'x' }, { as: s.coordinator }),
      400,
      'validation_error',
    );
    expect((await app.post(path, { hours: 168 }, { as: s.coordinator })).status).to.equal(201);
    // Granting again replaces the grant: one in force.
    expect((await app.post(path, { hours: 1 }, { as: s.coordinator })).status).to.equal(201);
    expect(
      await SupportGrantModel.countDocuments({
        groupId: s.group._id,
        revokedAt: null,
        expiresAt: { $gt: new Date() },
      }),
    ).to.equal(1);
  });

  it('tells administrators which groups granted access, and no one else', async () => {
    const s = await scene();
    await app.post(
      `/api/groups/${String(s.group._id)}/support-access`,
      { hours: 5 },
      { as: s.coordinator },
    );
    const listed = await app.get<{ items: { group: { id: string } }[] }>('/api/support/grants', {
      as: s.admin,
    });
    expect(listed.status).to.equal(200);
    expect(listed.body.items.map((i) => i.group.id)).to.include(String(s.group._id));
    expectError(await app.get('/api/support/grants', { as: s.member }), 403, 'authorization_error');
    expectError(await app.get('/api/support/grants'), 401, 'authentication_required');
  });
});
