import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { GroupModel } from '../../models/group.js';
import { InvitationModel } from '../../models/invitation.js';
import type { InvitationDto } from '../../presenters/invitation.js';
import { addMember, buildGroup, buildUser } from '../../test/factories.js';
import { buildInvitation } from '../../test/factories-groups.js';
import { expectError } from '../groups/test-helpers.js';
import { startTestApp, type TestApp } from '../../test/harness.js';

type ListBody = { items: InvitationDto[]; nextCursor: string | null };

let n = 0;
const address = () => `friend${Date.now().toString(36)}${n++}@example.org`;

describe('group invitation routes', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ PUBLIC_URL: 'https://quorum.example/' });
  });
  after(() => app.close());

  describe('POST /api/groups/:id/invitations', () => {
    it('answers 401 to a visitor and 404 to outsiders of a secret group', async () => {
      const group = await buildGroup();
      expectError(
        await app.post(`/api/groups/${String(group._id)}/invitations`, { emails: [address()] }),
        401,
        'authentication_required',
      );
      const secret = await buildGroup({ privacy: 'secret' });
      expectError(
        await app.post(
          `/api/groups/${String(secret._id)}/invitations`,
          { emails: [address()] },
          { as: await buildUser() },
        ),
        404,
        'not_found',
      );
      expectError(
        await app.post(`/api/groups/${String(secret._id)}/invitations`, { emails: [address()] }),
        404,
        'not_found',
      );
    });

    it('rejects bad input with the offending field', async () => {
      const group = await buildGroup();
      const path = `/api/groups/${String(group._id)}/invitations`;
      const as = { as: group.coordinator };
      const cases: [unknown, string][] = [
        [{ emails: [] }, 'emails'],
        [{ emails: Array.from({ length: 51 }, address) }, 'emails'],
        [{ emails: ['not an address'] }, 'emails.0'],
        [{ emails: [address()], role: 'owner' }, 'role'],
        [{ emails: [address()], message: 'x'.repeat(2001) }, 'message'],
        [{ emails: { $in: ['a@b.org'] } }, 'emails.$in'],
      ];
      for (const [body, field] of cases)
        expectError(await app.post(path, body, as), 400, 'validation_error', field);
      expectError(
        await app.post(path, { emails: [address()], token: 'mine' }, as),
        400,
        'validation_error',
      );
      expect(await InvitationModel.countDocuments({ groupId: group._id })).to.equal(0);
    });

    it('refuses members without the permission, and coordinator invitations from non-coordinators (403)', async () => {
      const group = await buildGroup();
      const member = await addMember(group);
      const path = `/api/groups/${String(group._id)}/invitations`;
      expectError(
        await app.post(path, { emails: [address()] }, { as: member }),
        403,
        'authorization_error',
      );
      await GroupModel.updateOne({ _id: group._id }, { 'permissions.membersCanAddMembers': true });
      expectError(
        await app.post(path, { emails: [address()], role: 'coordinator' }, { as: member }),
        403,
        'authorization_error',
      );
      expect(await InvitationModel.countDocuments({ groupId: group._id })).to.equal(0);
      const ok = await app.post<{ invitations: InvitationDto[] }>(
        path,
        { emails: [address()] },
        { as: member },
      );
      expect(ok.status).to.equal(201);
    });

    it('stores only a hash of each single-use token and emails the link', async () => {
      const group = await buildGroup();
      const [a, b] = [address(), address()];
      const res = await app.post<{ invitations: InvitationDto[] }>(
        `/api/groups/${String(group._id)}/invitations`,
        {
          emails: [a.toUpperCase(), b, ` ${a} `],
          role: 'coordinator',
          message: 'Come and help us decide.',
        },
        { as: group.coordinator },
      );
      expect(res.status).to.equal(201);
      expect(res.body.invitations.map((i) => i.email)).to.deep.equal([a, b]);
      expect(res.body.invitations[0]).to.include({
        role: 'coordinator',
        status: 'pending',
        groupId: String(group._id),
      });
      const days = (Date.parse(res.body.invitations[0].expiresAt) - Date.now()) / 86_400_000;
      expect(days).to.be.within(13.9, 14.01);
      const text = JSON.stringify(res.body);
      expect(text).not.to.match(/token/i);

      const mail = app.server.mailer.to(a).at(-1)!;
      expect(mail.subject).to.include(group.name);
      expect(mail.text).to.include('Come and help us decide.');
      const token = /https:\/\/quorum\.example\/invitations\/([A-Za-z0-9_-]{43})\b/.exec(
        mail.text,
      )?.[1];
      expect(token, mail.text).to.be.a('string');
      const stored = await InvitationModel.findOne({ email: a }).lean();
      expect(stored?.tokenHash).to.equal(createHash('sha256').update(token!).digest('hex'));
      expect(JSON.stringify(stored)).not.to.include(token!);
      expect(text).not.to.include(token!);
      expect(app.server.mailer.to(b)).to.have.length(1);
    });
  });

  describe('GET /api/groups/:id/invitations', () => {
    it('answers 401, 403 to members and 404 to outsiders of a secret group', async () => {
      const group = await buildGroup();
      const member = await addMember(group);
      expectError(
        await app.get(`/api/groups/${String(group._id)}/invitations`),
        401,
        'authentication_required',
      );
      expectError(
        await app.get(`/api/groups/${String(group._id)}/invitations`, { as: member }),
        403,
        'authorization_error',
      );
      const secret = await buildGroup({ privacy: 'secret' });
      expectError(
        await app.get(`/api/groups/${String(secret._id)}/invitations`, { as: member }),
        404,
        'not_found',
      );
    });

    it('rejects a bad status or operators', async () => {
      const group = await buildGroup();
      const as = { as: group.coordinator };
      expectError(
        await app.get(`/api/groups/${String(group._id)}/invitations?status=lost`, as),
        400,
        'validation_error',
        'status',
      );
      expectError(
        await app.get(`/api/groups/${String(group._id)}/invitations?status[$ne]=x`, as),
        400,
        'validation_error',
      );
    });

    it('lists invitations newest first, with addresses, by status, in pages', async () => {
      const group = await buildGroup();
      const expired = await buildInvitation({ group, expiresAt: new Date(Date.now() - 1000) });
      const accepted = await buildInvitation({ group, acceptedAt: new Date() });
      const revoked = await buildInvitation({ group, revokedAt: new Date() });
      const pending = await buildInvitation({ group });
      const as = { as: group.coordinator };
      const all = await app.get<ListBody>(
        `/api/groups/${String(group._id)}/invitations?limit=3`,
        as,
      );
      expect(all.body.items.map((i) => i.status)).to.deep.equal(['pending', 'revoked', 'accepted']);
      expect(all.body.items[0]).to.include({ email: pending.invitation.email });
      expect(all.body.items[0].invitedBy).to.include({ id: String(group.coordinator._id) });
      expect(all.body.items[0]).not.to.have.property('tokenHash');
      const rest = await app.get<ListBody>(
        `/api/groups/${String(group._id)}/invitations?limit=3&cursor=${all.body.nextCursor}`,
        as,
      );
      expect(rest.body.items.map((i) => i.email)).to.deep.equal([expired.invitation.email]);
      for (const [status, inv] of [
        ['pending', pending],
        ['expired', expired],
        ['accepted', accepted],
        ['revoked', revoked],
      ] as const) {
        const res = await app.get<ListBody>(
          `/api/groups/${String(group._id)}/invitations?status=${status}`,
          as,
        );
        expect(res.body.items.map((i) => i.id)).to.deep.equal([String(inv.invitation._id)]);
      }
    });
  });
});
