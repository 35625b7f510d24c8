import { expect } from 'chai';
import type { GroupDetailDto, JoinLinkDto, JoinLinkPreviewDto } from '../../../../shared/dto.js';
import { AuditEntryModel } from '../../models/audit-entry.js';
import { JoinLinkModel } from '../../models/join-link.js';
import { MembershipModel } from '../../models/membership.js';
import { addMember, buildGroup, buildUser } from '../../test/factories.js';
import { startTestApp, type TestApp } from '../../test/harness.js';
import { expectError, roleOf } from '../groups/test-helpers.js';

type Created = { joinLink: JoinLinkDto; token: string; url: string };
type Joined = { group: GroupDetailDto; joined: boolean };
type Group = Awaited<ReturnType<typeof buildGroup>>;

const unknownToken = 'A'.repeat(43);

describe('join links', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ PUBLIC_URL: 'https://quorum.example/' });
  });
  after(() => app.close());

  const create = async (group: Group, body: object = { expiresInDays: 7, maxUses: 5 }) => {
    const res = await app.post<Created>(`/api/groups/${String(group._id)}/join-links`, body, {
      as: group.coordinator,
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body;
  };
  const join = (token: string, as: Parameters<typeof addMember>[1]) =>
    app.post<Joined>(`/api/join-links/${token}/join`, {}, { as });

  describe('POST /api/groups/:group/join-links', () => {
    it('creates a link for coordinators, shown once, storing only its hash', async () => {
      const group = await buildGroup({ privacy: 'secret', membershipPolicy: 'invitation' });
      const before = Date.now();
      const { joinLink, token, url } = await create(group, { expiresInDays: 3, maxUses: 2 });
      expect(url).to.equal(`https://quorum.example/join/${token}`);
      expect(token).to.match(/^[A-Za-z0-9_-]{43}$/);
      expect(joinLink).to.include({
        status: 'active',
        uses: 0,
        maxUses: 2,
        groupId: String(group._id),
      });
      const days = (Date.parse(joinLink.expiresAt) - before) / 86_400_000;
      expect(days).to.be.within(2.99, 3.01);
      const stored = await JoinLinkModel.findById(joinLink.id).lean();
      expect(JSON.stringify(stored)).not.to.include(token);
      expect(
        await AuditEntryModel.exists({ groupId: group._id, action: 'join_link_created' }),
      ).not.to.equal(null);
    });

    it('answers 401 signed out, 404 to outsiders of a secret group, 403 to members, 400 on bad input', async () => {
      const secret = await buildGroup({ privacy: 'secret' });
      const path = `/api/groups/${String(secret._id)}/join-links`;
      const closed = await buildGroup({ privacy: 'closed' });
      expectError(
        await app.post(`/api/groups/${String(closed._id)}/join-links`, {}),
        401,
        'authentication_required',
      );
      expectError(await app.post(path, {}), 404, 'not_found');
      expectError(await app.post(path, {}, { as: await buildUser() }), 404, 'not_found');
      expectError(
        await app.post(path, {}, { as: await addMember(secret) }),
        403,
        'authorization_error',
      );
      const as = { as: secret.coordinator };
      const cases: [object, string][] = [
        [{ expiresInDays: 0 }, 'expiresInDays'],
        [{ expiresInDays: 91 }, 'expiresInDays'],
        [{ expiresInDays: 1.5 }, 'expiresInDays'],
        [{ maxUses: 0 }, 'maxUses'],
        [{ maxUses: 1001 }, 'maxUses'],
        [{ maxUses: '5' }, 'maxUses'],
        [{ maxUses: { $gt: 1 } }, 'maxUses.$gt'],
      ];
      for (const [body, field] of cases)
        expectError(await app.post(path, body, as), 400, 'validation_error', field);
      expectError(await app.post(path, { role: 'coordinator' }, as), 400, 'validation_error');
      expect(await JoinLinkModel.countDocuments({ groupId: secret._id })).to.equal(0);
    });
  });

  describe('GET /api/groups/:group/join-links', () => {
    it('lists the links newest first for coordinators; 403 for members, 401 signed out', async () => {
      const group = await buildGroup();
      const first = await create(group);
      const second = await create(group);
      const path = `/api/groups/${String(group._id)}/join-links`;
      const res = await app.get<{ items: JoinLinkDto[] }>(path, { as: group.coordinator });
      expect(res.status).to.equal(200);
      expect(res.body.items.map((l) => l.id)).to.deep.equal([
        second.joinLink.id,
        first.joinLink.id,
      ]);
      expect(JSON.stringify(res.body)).not.to.include(first.token);
      expectError(await app.get(path, { as: await addMember(group) }), 403, 'authorization_error');
      expectError(await app.get(path), 401, 'authentication_required');
      expectError(
        await app.get(`${path}?cursor=nope`, { as: group.coordinator }),
        400,
        'validation_error',
        'cursor',
      );
    });
  });

  describe('DELETE /api/groups/:group/join-links/:id', () => {
    it('withdraws a link so it admits nobody more; 404 for another group’s link', async () => {
      const group = await buildGroup();
      const { joinLink, token } = await create(group);
      const path = `/api/groups/${String(group._id)}/join-links/${joinLink.id}`;
      expectError(await app.delete(path), 401, 'authentication_required');
      expectError(
        await app.delete(path, { as: await addMember(group) }),
        403,
        'authorization_error',
      );
      const other = await buildGroup();
      expectError(
        await app.delete(`/api/groups/${String(other._id)}/join-links/${joinLink.id}`, {
          as: other.coordinator,
        }),
        404,
        'not_found',
      );
      expectError(
        await app.delete(`/api/groups/${String(group._id)}/join-links/nope`, {
          as: group.coordinator,
        }),
        404,
        'not_found',
      );
      const res = await app.delete<{ joinLink: JoinLinkDto }>(path, { as: group.coordinator });
      expect(res.status).to.equal(200);
      expect(res.body.joinLink.status).to.equal('revoked');
      expectError(await app.get(`/api/join-links/${token}`), 410, 'join_link_revoked');
      const newcomer = await buildUser();
      expectError(await join(token, newcomer), 410, 'join_link_revoked');
      expect(await roleOf(group._id, newcomer)).to.equal(null);
      expect(
        await AuditEntryModel.exists({ groupId: group._id, action: 'join_link_revoked' }),
      ).not.to.equal(null);
    });
  });

  describe('GET /api/join-links/:token', () => {
    it('shows anyone holding the link the group it leads to, and whether they are in it', async () => {
      const group = await buildGroup({ privacy: 'secret' });
      const { token } = await create(group);
      type Body = { joinLink: JoinLinkPreviewDto };
      const res = await app.get<Body>(`/api/join-links/${token}`);
      expect(res.status).to.equal(200);
      expect(res.body.joinLink.group).to.include({ id: String(group._id), name: group.name });
      expect(res.body.joinLink.alreadyMember).to.equal(null);
      const mine = await app.get<Body>(`/api/join-links/${token}`, { as: group.coordinator });
      expect(mine.body.joinLink.alreadyMember).to.equal(true);
      expectError(await app.get(`/api/join-links/${unknownToken}`), 404, 'not_found');
      expectError(await app.get('/api/join-links/short'), 404, 'not_found');
    });
  });

  describe('POST /api/join-links/:token/join', () => {
    it('makes the holder a member of even a secret, invitation-only group, counting one use', async () => {
      const group = await buildGroup({ privacy: 'secret', membershipPolicy: 'invitation' });
      const { joinLink, token } = await create(group);
      const newcomer = await buildUser();
      expectError(await app.post(`/api/join-links/${token}/join`), 401, 'authentication_required');
      expectError(
        await app.post(`/api/join-links/${token}/join`, { role: 'coordinator' }, { as: newcomer }),
        400,
        'validation_error',
      );
      const res = await join(token, newcomer);
      expect(res.status).to.equal(201);
      expect(res.body.joined).to.equal(true);
      expect(res.body.group).to.include({ id: String(group._id), role: 'member' });
      expect(await roleOf(group._id, newcomer)).to.equal('member');
      expect((await JoinLinkModel.findById(joinLink.id).lean())?.uses).to.equal(1);
      // Joining again, or as the coordinator, uses nothing and lowers nobody.
      expect((await join(token, newcomer)).body.joined).to.equal(false);
      expect((await join(token, group.coordinator)).status).to.equal(200);
      expect(await roleOf(group._id, group.coordinator)).to.equal('coordinator');
      expect((await JoinLinkModel.findById(joinLink.id).lean())?.uses).to.equal(1);
      expect(
        await AuditEntryModel.exists({
          groupId: group._id,
          action: 'joined_through_link',
          subjectUserId: newcomer._id,
        }),
      ).not.to.equal(null);
      expectError(await join(unknownToken, newcomer), 404, 'not_found');
    });

    it('admits no more people than the use limit, even at the same moment', async () => {
      const group = await buildGroup();
      const { token } = await create(group, { expiresInDays: 1, maxUses: 2 });
      const people = [await buildUser(), await buildUser(), await buildUser()];
      const results = await Promise.all(people.map((p) => join(token, p)));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 201)).to.have.length(2);
      const refused = results.filter((r) => r.status !== 201);
      expect(refused).to.have.length(1);
      expectError(refused[0], 410, 'join_link_used_up');
      expect(await MembershipModel.countDocuments({ groupId: group._id })).to.equal(3);
      expectError(await app.get(`/api/join-links/${token}`), 410, 'join_link_used_up');
    });

    it('refuses an expired link with 410 join_link_expired', async () => {
      const group = await buildGroup();
      const { joinLink, token } = await create(group);
      await JoinLinkModel.updateOne({ _id: joinLink.id }, { expiresAt: new Date(Date.now() - 1) });
      const newcomer = await buildUser();
      expectError(await app.get(`/api/join-links/${token}`), 410, 'join_link_expired');
      expectError(await join(token, newcomer), 410, 'join_link_expired');
      expect(await roleOf(group._id, newcomer)).to.equal(null);
    });

    it('keeps a suspended member suspended (403)', async () => {
      const group = await buildGroup();
      const { token } = await create(group);
      const member = await addMember(group);
      await MembershipModel.updateOne(
        { groupId: group._id, userId: member._id },
        { suspendedAt: new Date() },
      );
      expectError(await join(token, member), 403, 'authorization_error');
    });
  });
});
