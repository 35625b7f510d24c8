import { expect } from 'chai';
import { GroupModel } from '../../models/group.js';
import { MembershipModel } from '../../models/membership.js';
import type { GroupDetailDto } from '../../presenters/group.js';
import { addMember, buildGroup, buildUser } from '../../test/factories.js';
import { startTestApp, type TestApp } from '../../test/harness.js';
import { expectError } from './test-helpers.js';

type GroupBody = { group: GroupDetailDto };

let n = 0;
const handle = () => `team-${Date.now().toString(36)}-${n++}`;

describe('creating groups', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  describe('POST /api/groups', () => {
    it('answers 401 to a visitor', async () => {
      expectError(
        await app.post('/api/groups', { handle: handle(), name: 'Team' }),
        401,
        'authentication_required',
      );
    });

    it('rejects bad input with the offending field, including operators and unknown keys', async () => {
      const user = await buildUser();
      const cases: [unknown, string][] = [
        [{ handle: 'ab', name: 'Team' }, 'handle'],
        [{ handle: 'no spaces', name: 'Team' }, 'handle'],
        [{ handle: 'x'.repeat(41), name: 'Team' }, 'handle'],
        [{ handle: 'a'.repeat(24), name: 'Team' }, 'handle'],
        [{ handle: handle(), name: '' }, 'name'],
        [{ handle: handle(), name: 'Team', privacy: 'hidden' }, 'privacy'],
        [
          { handle: handle(), name: 'Team', privacy: 'closed', membershipPolicy: 'open' },
          'membershipPolicy',
        ],
        [
          { handle: handle(), name: 'Team', privacy: 'secret', membershipPolicy: 'request' },
          'membershipPolicy',
        ],
        [
          { handle: handle(), name: 'Team', permissions: { membersCanVote: 'yes' } },
          'permissions.membersCanVote',
        ],
        [{ handle: handle(), name: 'Team', parentId: 'nope' }, 'parentId'],
        [{ handle: { $ne: null }, name: 'Team' }, 'handle.$ne'],
      ];
      for (const [body, field] of cases) {
        expectError(
          await app.post('/api/groups', body, { as: user }),
          400,
          'validation_error',
          field,
        );
      }
      expectError(
        await app.post(
          '/api/groups',
          { handle: handle(), name: 'Team', owner: 'me' },
          { as: user },
        ),
        400,
        'validation_error',
      );
      expect(await GroupModel.countDocuments({ createdById: user._id })).to.equal(0);
    });

    it('creates a group with its creator as coordinator', async () => {
      const user = await buildUser();
      const wanted = handle();
      const res = await app.post<GroupBody>(
        '/api/groups',
        {
          handle: `  ${wanted.toUpperCase()} `,
          name: 'Gardeners',
          description: 'We grow things',
          privacy: 'open',
          membershipPolicy: 'open',
        },
        { as: user },
      );
      expect(res.status).to.equal(201);
      const group = res.body.group;
      expect(group).to.include({
        handle: wanted,
        name: 'Gardeners',
        privacy: 'open',
        membershipPolicy: 'open',
        role: 'coordinator',
        memberCount: 1,
      });
      expect(group.abilities).to.include({
        canManage: true,
        canLeave: true,
        canSeeMembers: true,
        canCreateSubgroup: true,
        canJoin: false,
      });
      expect(group.parent).to.equal(null);
      expect(group).not.to.have.property('createdById');
      expect(group).not.to.have.property('rosterVersion');
      const membership = await MembershipModel.findOne({
        groupId: group.id,
        userId: user._id,
      }).lean();
      expect(membership?.role).to.equal('coordinator');
    });

    it('defaults to closed with requests, and makes secret groups invitation-only', async () => {
      const user = await buildUser();
      const closed = await app.post<GroupBody>(
        '/api/groups',
        { handle: handle(), name: 'A' },
        { as: user },
      );
      expect(closed.body.group).to.include({ privacy: 'closed', membershipPolicy: 'request' });
      const secret = await app.post<GroupBody>(
        '/api/groups',
        { name: 'B', privacy: 'secret' },
        { as: user },
      );
      expect(secret.body.group).to.include({ privacy: 'secret', membershipPolicy: 'invitation' });
    });

    it('answers 409 on the handle when it is taken, whatever its case', async () => {
      const user = await buildUser();
      const taken = handle();
      expect(
        (await app.post('/api/groups', { handle: taken, name: 'First' }, { as: user })).status,
      ).to.equal(201);
      expectError(
        await app.post(
          '/api/groups',
          { handle: taken.toUpperCase(), name: 'Second' },
          { as: user },
        ),
        409,
        'conflict',
        'handle',
      );
      expect(await GroupModel.countDocuments({ handle: taken })).to.equal(1);
    });

    describe('subgroups', () => {
      it('lets a coordinator of the parent create one, shown with its parent', async () => {
        const parent = await buildGroup({ privacy: 'closed' });
        const res = await app.post<GroupBody>(
          '/api/groups',
          {
            name: 'Sub',
            privacy: 'secret',
            parentId: String(parent._id),
            parentMembersCanSee: false,
          },
          { as: parent.coordinator },
        );
        expect(res.status).to.equal(201);
        expect(res.body.group.parent).to.deep.equal({
          id: String(parent._id),
          handle: parent.handle,
          name: parent.name,
          privacy: 'closed',
        });
        expect(res.body.group.parentMembersCanSee).to.equal(false);
        expect(res.body.group.abilities.canCreateSubgroup).to.equal(false);
      });

      it('refuses a member of the parent who does not coordinate it (403)', async () => {
        const parent = await buildGroup({ privacy: 'open' });
        const member = await addMember(parent);
        expectError(
          await app.post(
            '/api/groups',
            { handle: handle(), name: 'Sub', parentId: String(parent._id) },
            { as: member },
          ),
          403,
          'authorization_error',
        );
      });

      it('answers a secret parent the viewer may not see exactly like a missing one', async () => {
        const secret = await buildGroup({ privacy: 'secret' });
        const outsider = await buildUser();
        const hidden = await app.post(
          '/api/groups',
          { handle: handle(), name: 'Sub', parentId: String(secret._id) },
          { as: outsider },
        );
        const missing = await app.post(
          '/api/groups',
          { handle: handle(), name: 'Sub', parentId: '0123456789abcdef01234567' },
          { as: outsider },
        );
        expectError(hidden, 400, 'validation_error', 'parentId');
        expect(hidden.body).to.deep.equal(missing.body);
      });

      it('keeps subgroups of a secret parent secret, and one level deep', async () => {
        const parent = await buildGroup({ privacy: 'secret' });
        const as = { as: parent.coordinator };
        expectError(
          await app.post(
            '/api/groups',
            { handle: handle(), name: 'Sub', privacy: 'closed', parentId: String(parent._id) },
            as,
          ),
          400,
          'validation_error',
          'privacy',
        );
        const sub = await app.post<GroupBody>(
          '/api/groups',
          { name: 'Sub', privacy: 'secret', parentId: String(parent._id) },
          as,
        );
        expect(sub.status).to.equal(201);
        expectError(
          await app.post(
            '/api/groups',
            { name: 'Subsub', privacy: 'secret', parentId: sub.body.group.id },
            as,
          ),
          400,
          'validation_error',
          'parentId',
        );
      });
    });
  });
});
