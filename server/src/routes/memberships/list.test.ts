import { expect } from 'chai';
import { MembershipModel } from '../../models/membership.js';
import type { UserDocument } from '../../models/user.js';
import type { MemberDto } from '../../presenters/membership.js';
import { addMember, buildGroup, buildUser } from '../../test/factories.js';
import { startTestApp, type TestApp } from '../../test/harness.js';
import { expectError } from '../groups/test-helpers.js';

type MembersBody = { items: MemberDto[]; nextCursor: string | null };

describe('the member list', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  describe('GET /api/groups/:id/members: who sees which email addresses (P5)', () => {
    const emailPattern = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
    let people: Record<
      | 'coordinator'
      | 'member'
      | 'self'
      | 'shared'
      | 'deactivated'
      | 'outsider'
      | 'otherCoordinator'
      | 'otherCoordinatorMember',
      UserDocument
    >;
    let openId: string;
    let closedId: string;

    before(async () => {
      const coordinator = await buildUser();
      const open = await buildGroup({ privacy: 'open', coordinator });
      const closed = await buildGroup({ privacy: 'closed', coordinator });
      const other = await buildGroup({ privacy: 'closed' });
      const otherCoordinatorMember = await addMember(other, undefined, 'coordinator');
      people = {
        coordinator,
        member: await buildUser(),
        self: await buildUser(),
        shared: await buildUser(),
        deactivated: await buildUser(),
        outsider: await buildUser(),
        otherCoordinator: other.coordinator,
        otherCoordinatorMember,
      };
      for (const group of [open, closed]) {
        for (const key of [
          'member',
          'self',
          'shared',
          'deactivated',
          'otherCoordinatorMember',
        ] as const)
          await addMember(group, people[key]);
      }
      // `shared` also belongs to the other group, whose coordinators may see its address there, not here.
      await addMember(other, people.shared);
      await people.deactivated.updateOne({ deactivatedAt: new Date() });
      await MembershipModel.updateMany(
        { userId: people.deactivated._id },
        { suspendedAt: new Date() },
      );
      openId = String(open._id);
      closedId = String(closed._id);
    });

    const allEmails = () => Object.values(people).map((p) => p.email);
    const inGroup = () =>
      ['coordinator', 'member', 'self', 'shared', 'otherCoordinatorMember'].map(
        (k) => people[k as keyof typeof people].email,
      );

    const views: {
      view: string;
      as: () => UserDocument | undefined;
      open: 'none' | 'all';
      closed: number;
    }[] = [
      { view: 'visitor', as: () => undefined, open: 'none', closed: 401 },
      { view: 'non-member', as: () => people.outsider, open: 'none', closed: 403 },
      { view: 'member', as: () => people.member, open: 'none', closed: 200 },
      { view: 'the user themselves', as: () => people.self, open: 'none', closed: 200 },
      { view: 'coordinator', as: () => people.coordinator, open: 'all', closed: 200 },
      {
        view: 'coordinator of another group (sharing a member)',
        as: () => people.otherCoordinator,
        open: 'none',
        closed: 403,
      },
      {
        view: 'coordinator of another group who is a member here',
        as: () => people.otherCoordinatorMember,
        open: 'none',
        closed: 200,
      },
    ];

    for (const { view, as, open, closed } of views) {
      it(`${view}: ${open === 'all' ? "every active member's address" : 'no address at all'}`, async () => {
        for (const [groupId, status] of [
          [openId, 200],
          [closedId, closed],
        ] as const) {
          const res = await app.get<MembersBody>(`/api/groups/${groupId}/members`, { as: as() });
          expect(res.status, `${view} on ${groupId === openId ? 'open' : 'closed'}`).to.equal(
            status,
          );
          if (status !== 200) continue;
          const text = JSON.stringify(res.body);
          const found = new Set(text.match(emailPattern) ?? []);
          for (const email of allEmails()) {
            expect(text.includes(email)).to.equal(
              open === 'all' && inGroup().includes(email),
              `${view} and ${email}`,
            );
          }
          expect([...found].sort()).to.deep.equal(open === 'all' ? inGroup().sort() : []);
          expect(res.body.items).to.have.length(6);
          const gone = res.body.items.find((m) => m.id === String(people.deactivated._id));
          expect(gone).to.include({
            name: 'Deactivated account',
            handle: null,
            status: 'deactivated',
            role: 'member',
          });
          expect(text).not.to.include(people.deactivated.name);
        }
      });
    }
  });

  describe('GET /api/groups/:id/members', () => {
    it('pages, and rejects a bad cursor or operators', async () => {
      const group = await buildGroup({ privacy: 'open' });
      for (let i = 0; i < 4; i++) await addMember(group);
      const first = await app.get<MembersBody>(`/api/groups/${String(group._id)}/members?limit=3`);
      expect(first.body.items.map((m) => m.role)).to.deep.equal([
        'coordinator',
        'member',
        'member',
      ]);
      expect(first.body.items[0]).to.include({ id: String(group.coordinator._id) });
      expect(first.body.items[0].joinedAt).to.be.a('string');
      const second = await app.get<MembersBody>(
        `/api/groups/${String(group._id)}/members?limit=3&cursor=${first.body.nextCursor}`,
      );
      expect(second.body.items).to.have.length(2);
      expect(second.body.nextCursor).to.equal(null);
      expectError(
        await app.get(`/api/groups/${String(group._id)}/members?cursor=zzz`),
        400,
        'validation_error',
        'cursor',
      );
      expectError(
        await app.get(`/api/groups/${String(group._id)}/members?limit[$gt]=1`),
        400,
        'validation_error',
      );
    });

    it('answers 404 for a secret group to outsiders', async () => {
      const secret = await buildGroup({ privacy: 'secret' });
      expectError(await app.get(`/api/groups/${String(secret._id)}/members`), 404, 'not_found');
      expectError(
        await app.get(`/api/groups/${String(secret._id)}/members`, { as: await buildUser() }),
        404,
        'not_found',
      );
    });
  });
});
