import { expect } from 'chai';
import type { GroupDetailDto, GroupDto } from '../../presenters/group.js';
import { addMember, buildGroup, buildUser } from '../../test/factories.js';
import { buildJoinRequest, buildSubgroup } from '../../test/factories-groups.js';
import { startTestApp, type ApiResponse, type TestApp } from '../../test/harness.js';
import { expectError } from './test-helpers.js';

type GroupBody = { group: GroupDetailDto };
type ListBody = { items: GroupDto[]; nextCursor: string | null };

describe('reading groups', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  describe('GET /api/groups', () => {
    it('answers 401 to a visitor asking for their own groups', async () => {
      expectError(await app.get('/api/groups'), 401, 'authentication_required');
    });

    it('rejects a bad limit, a bad cursor and operators in the query', async () => {
      const user = await buildUser();
      expectError(
        await app.get('/api/groups?limit=0', { as: user }),
        400,
        'validation_error',
        'limit',
      );
      expectError(
        await app.get('/api/groups?cursor=nope', { as: user }),
        400,
        'validation_error',
        'cursor',
      );
      expectError(
        await app.get('/api/groups?cursor[$gt]=a', { as: user }),
        400,
        'validation_error',
      );
    });

    it("pages through the viewer's own groups and nobody else's", async () => {
      const user = await buildUser();
      const mine = [
        await buildGroup({ coordinator: user }),
        await buildGroup({ privacy: 'secret' }),
        await buildGroup({ privacy: 'open' }),
      ];
      await addMember(mine[1], user);
      await addMember(mine[2], user);
      await buildGroup({ privacy: 'open' });
      const first = await app.get<ListBody>('/api/groups?limit=2', { as: user });
      expect(first.status).to.equal(200);
      expect(first.body.items.map((g) => g.id)).to.deep.equal(
        mine.slice(0, 2).map((g) => String(g._id)),
      );
      expect(first.body.items.map((g) => g.role)).to.deep.equal(['coordinator', 'member']);
      const second = await app.get<ListBody>(
        `/api/groups?limit=2&cursor=${first.body.nextCursor}`,
        { as: user },
      );
      expect(second.body.items.map((g) => g.id)).to.deep.equal([String(mine[2]._id)]);
      expect(second.body.nextCursor).to.equal(null);
    });

    it('lists open groups for discovery, to visitors too, without closed or secret ones', async () => {
      const open = await buildGroup({ privacy: 'open' });
      const closed = await buildGroup({ privacy: 'closed' });
      const secret = await buildGroup({ privacy: 'secret' });
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: ApiResponse<ListBody> = await app.get<ListBody>(
          `/api/groups?public=1&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(res.status).to.equal(200);
        expect(res.body.items.every((g) => g.privacy === 'open' && g.role === null)).to.equal(true);
        seen.push(...res.body.items.map((g) => g.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen).to.include(String(open._id));
      expect(seen).not.to.include(String(closed._id));
      expect(seen).not.to.include(String(secret._id));
    });

    it("lists a group's subgroups as the viewer may see them", async () => {
      const parent = await buildGroup({ privacy: 'closed' });
      const member = await addMember(parent);
      const shown = await buildSubgroup(parent, { privacy: 'secret', parentMembersCanSee: true });
      const hidden = await buildSubgroup(parent, { privacy: 'secret', parentMembersCanSee: false });
      const closed = await buildSubgroup(parent, { privacy: 'closed', parentMembersCanSee: false });
      const ids = async (as?: typeof member) =>
        (
          await app.get<ListBody>(`/api/groups?parentId=${String(parent._id)}`, { as })
        ).body.items.map((g) => g.id);
      expect(await ids(member)).to.deep.equal([String(shown._id), String(closed._id)]);
      expect(await ids()).to.deep.equal([String(closed._id)]);
      expect(await ids(parent.coordinator)).to.deep.equal(
        [shown, hidden, closed].map((g) => String(g._id)),
      );
    });
  });

  describe('GET /api/groups/:handleOrId', () => {
    it('shows a group by handle or id, with abilities, count and role', async () => {
      const group = await buildGroup({ privacy: 'closed', membershipPolicy: 'request' });
      const member = await addMember(group);
      const byHandle = await app.get<GroupBody>(
        `/api/groups/${String(group.handle).toUpperCase()}`,
        {
          as: member,
        },
      );
      expect(byHandle.status).to.equal(200);
      expect(byHandle.body.group).to.include({
        id: String(group._id),
        role: 'member',
        memberCount: 2,
      });
      expect(byHandle.body.group.abilities).to.include({
        canManage: false,
        canLeave: true,
        canSeeMembers: true,
      });
      const visitor = await app.get<GroupBody>(`/api/groups/${String(group._id)}`);
      expect(visitor.body.group).to.include({ role: null });
      expect(visitor.body.group.abilities).to.include({
        canSeeMembers: false,
        canRequestToJoin: false,
      });
    });

    it('tells a requester their request is pending', async () => {
      const group = await buildGroup({ privacy: 'closed', membershipPolicy: 'request' });
      const user = await buildUser();
      const before = await app.get<GroupBody>(`/api/groups/${String(group._id)}`, { as: user });
      expect(before.body.group.abilities.canRequestToJoin).to.equal(true);
      expect(before.body.group.joinRequest).to.equal(null);
      const request = await buildJoinRequest({ group, user });
      const after = await app.get<GroupBody>(`/api/groups/${String(group._id)}`, { as: user });
      expect(after.body.group.joinRequest).to.include({
        id: String(request._id),
        status: 'pending',
      });
    });

    it('answers 404, like a missing group, for a secret group to visitors and non-members', async () => {
      const secret = await buildGroup({ privacy: 'secret' });
      const outsider = await buildUser();
      const missing = await app.get('/api/groups/0123456789abcdef01234567', { as: outsider });
      expectError(missing, 404, 'not_found');
      expect(secret.handle).to.equal(null);
      for (const path of [`/api/groups/${String(secret._id)}`]) {
        for (const as of [undefined, outsider]) {
          const res = await app.get(path, { as });
          expectError(res, 404, 'not_found');
          expect(res.body).to.deep.equal(missing.body);
        }
      }
      expectError(await app.get('/api/groups/not-a-handle-or-id!'), 404, 'not_found');
      expect(
        (await app.get(`/api/groups/${String(secret._id)}`, { as: secret.coordinator })).status,
      ).to.equal(200);
    });

    it("shows a secret subgroup to the parent's members only when the parent's members may see it", async () => {
      const parent = await buildGroup({ privacy: 'secret' });
      const member = await addMember(parent);
      const visible = await buildSubgroup(parent, { privacy: 'secret', parentMembersCanSee: true });
      const hidden = await buildSubgroup(parent, { privacy: 'secret', parentMembersCanSee: false });
      expect((await app.get(`/api/groups/${String(visible._id)}`, { as: member })).status).to.equal(
        200,
      );
      expectError(
        await app.get(`/api/groups/${String(hidden._id)}`, { as: member }),
        404,
        'not_found',
      );
      const detail = await app.get<GroupBody>(`/api/groups/${String(parent._id)}`, { as: member });
      expect(detail.body.group.subgroups.map((s) => s.id)).to.deep.equal([String(visible._id)]);
    });

    it('does not reveal a secret parent to a subgroup member who may not see it', async () => {
      const parent = await buildGroup({ privacy: 'secret' });
      const sub = await buildSubgroup(parent, { privacy: 'secret' });
      const subMember = await addMember(sub);
      const res = await app.get<GroupBody>(`/api/groups/${String(sub._id)}`, { as: subMember });
      expect(res.body.group.parent).to.equal(null);
      expect(JSON.stringify(res.body)).not.to.include(String(parent._id));
    });
  });
});
