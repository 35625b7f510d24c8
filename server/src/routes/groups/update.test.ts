import { expect } from 'chai';
import { GroupModel } from '../../models/group.js';
import type { GroupDetailDto } from '../../presenters/group.js';
import { addMember, buildGroup } from '../../test/factories.js';
import { buildSubgroup } from '../../test/factories-groups.js';
import { startTestApp, type TestApp } from '../../test/harness.js';
import { expectError } from './test-helpers.js';

type GroupBody = { group: GroupDetailDto };

describe('editing groups', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  describe('PATCH /api/groups/:id', () => {
    it('answers 401 to a visitor, 403 to a member, 404 to outsiders of a secret group', async () => {
      const closed = await buildGroup({ privacy: 'closed' });
      const member = await addMember(closed);
      expectError(
        await app.patch(`/api/groups/${String(closed._id)}`, { name: 'X' }),
        401,
        'authentication_required',
      );
      expectError(
        await app.patch(`/api/groups/${String(closed._id)}`, { name: 'X' }, { as: member }),
        403,
        'authorization_error',
      );
      const secret = await buildGroup({ privacy: 'secret' });
      expectError(
        await app.patch(`/api/groups/${String(secret._id)}`, { name: 'X' }, { as: member }),
        404,
        'not_found',
      );
      expect((await GroupModel.findById(closed._id).lean())?.name).to.equal(closed.name);
    });

    it('rejects bad input, operators, and fields that cannot be changed', async () => {
      const group = await buildGroup();
      const as = { as: group.coordinator };
      expectError(
        await app.patch(`/api/groups/${String(group._id)}`, { privacy: 'public' }, as),
        400,
        'validation_error',
        'privacy',
      );
      expectError(
        await app.patch(`/api/groups/${String(group._id)}`, { name: { $set: 'x' } }, as),
        400,
        'validation_error',
        'name.$set',
      );
      expectError(
        await app.patch(`/api/groups/${String(group._id)}`, { handle: 'No Spaces' }, as),
        400,
        'validation_error',
        'handle',
      );
      expectError(
        await app.patch(`/api/groups/${String(group._id)}`, { createdById: 'me' }, as),
        400,
        'validation_error',
      );
      expectError(
        await app.patch(`/api/groups/${String(group._id)}`, { membershipPolicy: 'open' }, as),
        400,
        'validation_error',
        'membershipPolicy',
      );
    });

    it('lets a coordinator change the settings, and stores them', async () => {
      const group = await buildGroup({ privacy: 'closed' });
      const res = await app.patch<GroupBody>(
        `/api/groups/${String(group._id)}`,
        {
          name: 'Renamed',
          description: 'New',
          privacy: 'open',
          membershipPolicy: 'open',
          permissions: { membersCanAddMembers: true },
        },
        { as: group.coordinator },
      );
      expect(res.status).to.equal(200);
      expect(res.body.group).to.include({
        name: 'Renamed',
        privacy: 'open',
        membershipPolicy: 'open',
      });
      const stored = await GroupModel.findById(group._id).lean();
      expect(stored).to.include({
        name: 'Renamed',
        description: 'New',
        privacy: 'open',
        membershipPolicy: 'open',
      });
      expect(stored?.permissions).to.include({ membersCanAddMembers: true, membersCanVote: true });
    });

    it('moves an incompatible membership policy along with the privacy', async () => {
      const group = await buildGroup({ privacy: 'open', membershipPolicy: 'open' });
      const res = await app.patch<GroupBody>(
        `/api/groups/${String(group._id)}`,
        { privacy: 'secret' },
        { as: group.coordinator },
      );
      expect(res.body.group).to.include({ privacy: 'secret', membershipPolicy: 'invitation' });
    });

    it('keeps subgroup privacy coherent with the parent', async () => {
      const parent = await buildGroup({ privacy: 'closed' });
      const openSub = await buildSubgroup(parent, { privacy: 'open' });
      expectError(
        await app.patch(
          `/api/groups/${String(parent._id)}`,
          { privacy: 'secret' },
          { as: parent.coordinator },
        ),
        409,
        'conflict',
        'privacy',
      );
      await GroupModel.updateOne({ _id: openSub._id }, { privacy: 'secret' });
      expect(
        (
          await app.patch(
            `/api/groups/${String(parent._id)}`,
            { privacy: 'secret' },
            { as: parent.coordinator },
          )
        ).status,
      ).to.equal(200);
      expectError(
        await app.patch(
          `/api/groups/${String(openSub._id)}`,
          { privacy: 'closed' },
          { as: parent.coordinator },
        ),
        400,
        'validation_error',
        'privacy',
      );
    });
  });
});
