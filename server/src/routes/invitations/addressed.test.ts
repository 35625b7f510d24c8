import { expect } from 'chai';
import type { SelfDto } from '../../../../shared/dto.js';
import { GuestModel } from '../../models/guest.js';
import { InvitationModel } from '../../models/invitation.js';
import { UserModel, type UserDocument } from '../../models/user.js';
import type { InvitationPreviewDto } from '../../presenters/invitation.js';
import { buildDiscussion, buildGroup, buildUser } from '../../test/factories.js';
import { buildInvitation } from '../../test/factories-groups.js';
import { startTestApp, type TestApp } from '../../test/harness.js';
import { expectError, roleOf } from '../groups/test-helpers.js';

let n = 0;
const address = () => `invited.${Date.now().toString(36)}${n++}@mail.example.org`;

describe('email invitations are for the invited address only', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  const accept = (token: string, as: UserDocument) =>
    app.post(`/api/invitations/${token}/accept`, {}, { as });

  describe('POST /api/invitations/:token/accept', () => {
    it('refuses another account with 403 invitation_wrong_account and a masked hint, changing nothing', async () => {
      const group = await buildGroup({ privacy: 'secret' });
      const email = address();
      const { invitation, token } = await buildInvitation({ group, email });
      const other = await buildUser();
      const res = await accept(token, other);
      expectError(res, 403, 'invitation_wrong_account');
      const body = JSON.stringify(res.body);
      expect(body).to.include('i•••@m•••.org');
      expect(body).not.to.include(email);
      expect(body).not.to.include('mail.example');
      expect(await roleOf(group._id, other)).to.equal(null);
      const stored = await InvitationModel.findById(invitation._id).lean();
      expect(stored?.acceptedAt).to.equal(null);
      // The invited person can still accept afterwards.
      const invited = await buildUser({ email });
      expect((await accept(token, invited)).status).to.equal(200);
      expect(await roleOf(group._id, invited)).to.equal('member');
    });

    it('refuses a guest invitation to another account as well', async () => {
      const discussion = await buildDiscussion();
      const { token } = await buildInvitation({ discussion, email: address() });
      const other = await buildUser();
      expectError(await accept(token, other), 403, 'invitation_wrong_account');
      expect(await GuestModel.exists({ discussionId: discussion._id, userId: other._id })).to.equal(
        null,
      );
    });

    it('compares addresses in one normal form (case, Unicode composition)', async () => {
      const group = await buildGroup();
      const composed = `zo\u00e9.${n++}@example.org`;
      const { token } = await buildInvitation({ group, email: composed.toUpperCase() });
      const user = await buildUser({ email: composed.normalize('NFD') });
      expect((await accept(token, user)).status).to.equal(200);
      expect(await roleOf(group._id, user)).to.equal('member');
    });

    it('confirms the address of an unverified account that accepts', async () => {
      const email = address();
      const { token } = await buildInvitation({ email });
      const user = await buildUser({ email, emailVerifiedAt: null });
      expect((await accept(token, user)).status).to.equal(200);
      expect((await UserModel.findById(user._id).lean())?.emailVerifiedAt).to.be.instanceOf(Date);
    });
  });

  describe('GET /api/invitations/:token', () => {
    it('says whether the signed-in account is the invited one; a hint only to another account', async () => {
      const email = address();
      const { token } = await buildInvitation({ email });
      type Body = { invitation: InvitationPreviewDto };
      const signedOut = await app.get<Body>(`/api/invitations/${token}`);
      expect(signedOut.body.invitation).to.include({ addressedToViewer: null, emailHint: null });
      const invited = await buildUser({ email });
      const right = await app.get<Body>(`/api/invitations/${token}`, { as: invited });
      expect(right.body.invitation).to.include({ addressedToViewer: true, emailHint: null });
      const wrong = await app.get<Body>(`/api/invitations/${token}`, { as: await buildUser() });
      expect(wrong.body.invitation).to.include({
        addressedToViewer: false,
        emailHint: 'i•••@m•••.org',
      });
      for (const res of [signedOut, right, wrong])
        expect(JSON.stringify(res.body)).not.to.include(email);
    });
  });

  describe('POST /api/invitations/:token/signup', () => {
    type SignedUp = { user: SelfDto; token: string };

    it('creates an account with the invited address, confirmed, accepts and signs in', async () => {
      const group = await buildGroup({ privacy: 'secret' });
      const email = address();
      const { invitation, token } = await buildInvitation({ group, role: 'coordinator', email });
      const res = await app.post<SignedUp>(`/api/invitations/${token}/signup`, {
        name: 'New Person',
        password: 'long enough password',
      });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.body.user).to.include({ name: 'New Person', email, emailVerified: true });
      expect(res.headers.get('set-cookie')).to.be.a('string');
      const user = await UserModel.findOne({ email }).lean();
      expect(user?.emailVerifiedAt).to.be.instanceOf(Date);
      expect(await roleOf(group._id, user as never)).to.equal('coordinator');
      const stored = await InvitationModel.findById(invitation._id).lean();
      expect(String(stored?.acceptedById)).to.equal(String(user?._id));
      expect(app.server.mailer.to(email)).to.have.length(0);
      // The new account is signed in: its token works.
      expect((await app.get('/api/me', { as: res.body.token })).status).to.equal(200);
    });

    it('makes a guest of the discussion for a guest invitation', async () => {
      const discussion = await buildDiscussion();
      const email = address();
      const { token } = await buildInvitation({ discussion, email });
      const res = await app.post(`/api/invitations/${token}/signup`, {
        name: 'Guest',
        password: 'long enough password',
      });
      expect(res.status).to.equal(201);
      const user = await UserModel.findOne({ email }).lean();
      expect(
        await GuestModel.exists({ discussionId: discussion._id, userId: user?._id }),
      ).not.to.equal(null);
    });

    it('answers 400 on bad input, 404 unknown, 410 spent, 409 on email when the address has an account', async () => {
      const email = address();
      const { token } = await buildInvitation({ email });
      const path = `/api/invitations/${token}/signup`;
      const ok = { name: 'Someone', password: 'long enough password' };
      expectError(
        await app.post(path, { ...ok, password: 'short' }),
        400,
        'validation_error',
        'password',
      );
      expectError(await app.post(path, { ...ok, name: '' }), 400, 'validation_error', 'name');
      expectError(
        await app.post(path, { ...ok, email: 'me@example.org' }),
        400,
        'validation_error',
      );
      expectError(
        await app.post(`/api/invitations/${'A'.repeat(43)}/signup`, ok),
        404,
        'not_found',
      );
      const used = await buildInvitation({ acceptedAt: new Date() });
      expectError(
        await app.post(`/api/invitations/${used.token}/signup`, ok),
        410,
        'invitation_used',
      );
      await buildUser({ email });
      expectError(await app.post(path, ok), 409, 'conflict', 'email');
      expect(await UserModel.countDocuments({ email })).to.equal(1);
    });
  });
});
