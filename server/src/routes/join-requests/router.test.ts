import { expect } from 'chai';
import { JoinRequestModel } from '../../models/join-request.js';
import type { JoinRequestDto } from '../../presenters/join-request.js';
import { addMember, buildGroup, buildUser } from '../../test/factories.js';
import { buildJoinRequest } from '../../test/factories-groups.js';
import { expectError, roleOf } from '../groups/test-helpers.js';
import { startTestApp, type TestApp } from '../../test/harness.js';

type ListBody = { items: JoinRequestDto[]; nextCursor: string | null };
type OneBody = { joinRequest: JoinRequestDto };

describe('join request routes', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  describe('POST /api/groups/:id/join-requests', () => {
    it('answers 401, 400, 403, 404 and 409 as appropriate', async () => {
      const group = await buildGroup({ privacy: 'closed', membershipPolicy: 'request' });
      const path = `/api/groups/${String(group._id)}/join-requests`;
      const user = await buildUser();
      expectError(await app.post(path, { introduction: 'Hi' }), 401, 'authentication_required');
      expectError(
        await app.post(path, { introduction: 'x'.repeat(1001) }, { as: user }),
        400,
        'validation_error',
        'introduction',
      );
      expectError(
        await app.post(path, { introduction: { $gt: '' } }, { as: user }),
        400,
        'validation_error',
        'introduction.$gt',
      );
      expectError(
        await app.post(path, { introduction: 'Hi', admin: true }, { as: user }),
        400,
        'validation_error',
      );
      const invitationOnly = await buildGroup({
        privacy: 'closed',
        membershipPolicy: 'invitation',
      });
      expectError(
        await app.post(`/api/groups/${String(invitationOnly._id)}/join-requests`, {}, { as: user }),
        403,
        'authorization_error',
      );
      const secret = await buildGroup({ privacy: 'secret' });
      expectError(
        await app.post(`/api/groups/${String(secret._id)}/join-requests`, {}, { as: user }),
        404,
        'not_found',
      );
      expectError(await app.post(path, {}, { as: group.coordinator }), 409, 'conflict');
      expect(
        await JoinRequestModel.countDocuments({
          groupId: { $in: [group._id, invitationOnly._id, secret._id] },
        }),
      ).to.equal(0);
    });

    it('records one pending request per person', async () => {
      const group = await buildGroup({ privacy: 'open', membershipPolicy: 'request' });
      const user = await buildUser();
      const path = `/api/groups/${String(group._id)}/join-requests`;
      const res = await app.post<OneBody>(
        path,
        { introduction: '  I garden on Sundays.  ' },
        { as: user },
      );
      expect(res.status).to.equal(201);
      expect(res.body.joinRequest).to.include({
        introduction: 'I garden on Sundays.',
        status: 'pending',
      });
      expect(res.body.joinRequest.requester).to.include({
        id: String(user._id),
        email: user.email,
      });
      expectError(await app.post(path, { introduction: 'Again' }, { as: user }), 409, 'conflict');
      expect(
        await JoinRequestModel.countDocuments({ groupId: group._id, userId: user._id }),
      ).to.equal(1);
    });
  });

  describe('GET /api/groups/:id/join-requests', () => {
    it('answers 401, 400, 403 and 404 as appropriate', async () => {
      const group = await buildGroup({ membershipPolicy: 'request' });
      const member = await addMember(group);
      const path = `/api/groups/${String(group._id)}/join-requests`;
      expectError(await app.get(path), 401, 'authentication_required');
      expectError(
        await app.get(`${path}?status=maybe`, { as: group.coordinator }),
        400,
        'validation_error',
        'status',
      );
      expectError(
        await app.get(`${path}?status[$ne]=x`, { as: group.coordinator }),
        400,
        'validation_error',
      );
      expectError(await app.get(path, { as: member }), 403, 'authorization_error');
      const secret = await buildGroup({ privacy: 'secret' });
      expectError(
        await app.get(`/api/groups/${String(secret._id)}/join-requests`, { as: member }),
        404,
        'not_found',
      );
    });

    it("lists pending requests, oldest first, for coordinators, without the requesters' addresses (P5)", async () => {
      const group = await buildGroup({ membershipPolicy: 'request' });
      const people = [await buildUser(), await buildUser(), await buildUser()];
      for (const user of people) await buildJoinRequest({ group, user });
      const declined = await buildJoinRequest({ group, status: 'declined' });
      const as = { as: group.coordinator };
      const first = await app.get<ListBody>(
        `/api/groups/${String(group._id)}/join-requests?status=pending&limit=2`,
        as,
      );
      expect(first.body.items.map((r) => r.requester.id)).to.deep.equal(
        people.slice(0, 2).map((u) => String(u._id)),
      );
      expect(first.body.items[0].requester).not.to.have.property('email');
      const second = await app.get<ListBody>(
        `/api/groups/${String(group._id)}/join-requests?limit=2&cursor=${first.body.nextCursor}`,
        as,
      );
      expect(second.body.items.map((r) => r.requester.id)).to.deep.equal([String(people[2]._id)]);
      const decided = await app.get<ListBody>(
        `/api/groups/${String(group._id)}/join-requests?status=declined`,
        as,
      );
      expect(decided.body.items.map((r) => r.id)).to.deep.equal([String(declined._id)]);
    });
  });

  describe('POST /api/join-requests/:id/approve and /decline', () => {
    it('answers 401, 400, 403 to the requester and 404 to anyone else', async () => {
      const group = await buildGroup({ membershipPolicy: 'request' });
      const requester = await buildUser();
      const request = await buildJoinRequest({ group, user: requester });
      const path = `/api/join-requests/${String(request._id)}/approve`;
      expectError(await app.post(path), 401, 'authentication_required');
      expectError(
        await app.post(path, { status: 'approved' }, { as: group.coordinator }),
        400,
        'validation_error',
      );
      expectError(
        await app.post(path, { $set: { status: 'approved' } }, { as: group.coordinator }),
        400,
        'validation_error',
        '$set',
      );
      expectError(await app.post(path, {}, { as: requester }), 403, 'authorization_error');
      expectError(await app.post(path, {}, { as: await addMember(group) }), 404, 'not_found');
      expectError(
        await app.post(path, {}, { as: (await buildGroup()).coordinator }),
        404,
        'not_found',
      );
      expectError(
        await app.post('/api/join-requests/nope/approve', {}, { as: group.coordinator }),
        404,
        'not_found',
      );
      expect((await JoinRequestModel.findById(request._id).lean())?.status).to.equal('pending');
      expect(await roleOf(group._id, requester)).to.equal(null);
    });

    it('approves once: the requester becomes a member; deciding again is a 409', async () => {
      const group = await buildGroup({ membershipPolicy: 'request' });
      const requester = await buildUser();
      const request = await buildJoinRequest({ group, user: requester });
      const res = await app.post<OneBody>(
        `/api/join-requests/${String(request._id)}/approve`,
        {},
        { as: group.coordinator },
      );
      expect(res.status).to.equal(200);
      expect(res.body.joinRequest).to.include({ status: 'approved' });
      expect(res.body.joinRequest.decidedBy).to.include({ id: String(group.coordinator._id) });
      expect(res.body.joinRequest.requester).not.to.have.property('email');
      expect(await roleOf(group._id, requester)).to.equal('member');
      expectError(
        await app.post(
          `/api/join-requests/${String(request._id)}/decline`,
          {},
          { as: group.coordinator },
        ),
        409,
        'conflict',
      );
      expect((await JoinRequestModel.findById(request._id).lean())?.status).to.equal('approved');
    });

    it('declines: no membership, and the person may ask again later', async () => {
      const group = await buildGroup({ membershipPolicy: 'request' });
      const requester = await buildUser();
      const request = await buildJoinRequest({ group, user: requester });
      const res = await app.post<OneBody>(
        `/api/join-requests/${String(request._id)}/decline`,
        {},
        { as: group.coordinator },
      );
      expect(res.body.joinRequest.status).to.equal('declined');
      expect(await roleOf(group._id, requester)).to.equal(null);
      expectError(
        await app.post(
          `/api/join-requests/${String(request._id)}/approve`,
          {},
          { as: group.coordinator },
        ),
        409,
        'conflict',
      );
      expect(
        (await app.post(`/api/groups/${String(group._id)}/join-requests`, {}, { as: requester }))
          .status,
      ).to.equal(201);
    });
  });
});
