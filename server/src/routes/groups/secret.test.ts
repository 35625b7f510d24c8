import { expect } from 'chai';
import { GroupModel, type GroupDocument } from '../../models/group.js';
import { InvitationModel } from '../../models/invitation.js';
import { JoinRequestModel } from '../../models/join-request.js';
import { MembershipModel } from '../../models/membership.js';
import type { UserDocument } from '../../models/user.js';
import { addMember, buildGroup, buildUser } from '../../test/factories.js';
import { buildSubgroup } from '../../test/factories-groups.js';
import { startTestApp, type TestApp } from '../../test/harness.js';

/**
 * P6/P10: to anyone who may not see a secret group, every route under
 * `/api/groups/:group` answers exactly as for a group that does not exist:
 * 404, same body, nothing changed.
 */
describe('secret groups are indistinguishable from missing ones, on every route', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  const MISSING = '0123456789abcdef01234567';
  const routes = (group: string, user: string): [string, string, unknown?][] => [
    ['GET', `/api/groups/${group}`],
    ['PATCH', `/api/groups/${group}`, { name: 'Renamed' }],
    ['GET', `/api/groups?parentId=${group}`],
    ['GET', `/api/groups/${group}/members`],
    ['POST', `/api/groups/${group}/members/${user}/promote`, {}],
    ['POST', `/api/groups/${group}/members/${user}/demote`, {}],
    ['DELETE', `/api/groups/${group}/members/${user}`],
    ['POST', `/api/groups/${group}/leave`, {}],
    ['POST', `/api/groups/${group}/join`, {}],
    ['POST', `/api/groups/${group}/invitations`, { emails: ['someone@example.org'] }],
    ['GET', `/api/groups/${group}/invitations`],
    ['POST', `/api/groups/${group}/join-requests`, { introduction: 'Hello' }],
    ['GET', `/api/groups/${group}/join-requests`],
  ];

  async function expectHidden(
    group: GroupDocument,
    member: UserDocument,
    viewers: Record<string, UserDocument | undefined>,
  ) {
    const before = await MembershipModel.countDocuments({ groupId: group._id });
    for (const [view, as] of Object.entries(viewers)) {
      for (const ref of [String(group._id), ...(group.handle ? [group.handle] : [])]) {
        const hidden = routes(ref, String(member._id));
        const missing = routes(MISSING, String(member._id));
        for (let i = 0; i < hidden.length; i++) {
          const [method, path, body] = hidden[i];
          const got = await app.request(method, path, { as, body });
          const want = await app.request(method, missing[i][1], { as, body });
          expect(got.status, `${view}: ${method} ${path}`).to.equal(404);
          expect(got.body, `${view}: ${method} ${path}`).to.deep.equal(want.body);
        }
      }
    }
    expect(await MembershipModel.countDocuments({ groupId: group._id })).to.equal(before);
    expect(await InvitationModel.countDocuments({ groupId: group._id })).to.equal(0);
    expect(await JoinRequestModel.countDocuments({ groupId: group._id })).to.equal(0);
    expect((await GroupModel.findById(group._id).lean())?.name).not.to.equal('Renamed');
  }

  it('for visitors and signed-in non-members', async () => {
    const secret = await buildGroup({ privacy: 'secret', membershipPolicy: 'invitation' });
    const member = await addMember(secret);
    const openElsewhere = await buildGroup({ privacy: 'open' });
    await expectHidden(secret, member, {
      visitor: undefined,
      'non-member': await buildUser(),
      'coordinator of another group': openElsewhere.coordinator,
    });
  });

  it("for members of the parent when the parent's members may not see the subgroup", async () => {
    const parent = await buildGroup({ privacy: 'secret' });
    const parentMember = await addMember(parent);
    const sub = await buildSubgroup(parent, {
      privacy: 'secret',
      parentMembersCanSee: false,
      coordinator: await buildUser(),
    });
    const member = await addMember(sub);
    await expectHidden(sub, member, {
      'member of the parent': parentMember,
      'coordinator of the parent': parent.coordinator,
    });
  });

  it('for a member who was removed', async () => {
    const secret = await buildGroup({ privacy: 'secret' });
    const removed = await addMember(secret);
    const member = await addMember(secret);
    const res = await app.delete(
      `/api/groups/${String(secret._id)}/members/${String(removed._id)}`,
      { as: secret.coordinator },
    );
    expect(res.status).to.equal(204);
    await expectHidden(secret, member, { 'removed member': removed });
  });
});
