import { expect } from 'chai';
import { GuestModel } from '../../models/guest.js';
import type { GroupDetailDto } from '../../presenters/group.js';
import type { InvitationDto, InvitationPreviewDto } from '../../presenters/invitation.js';
import { addMember, buildDiscussion, buildGroup, buildUser } from '../../test/factories.js';
import { startTestApp, type TestApp } from '../../test/harness.js';
import { expectError, roleOf } from '../groups/test-helpers.js';

type AcceptBody = {
  group: GroupDetailDto | null;
  discussion: { id: string; title: string } | null;
};

describe('guest invitations', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  describe('POST /api/invitations (guests of one discussion)', () => {
    it('answers 401, 400 and 403 as appropriate, hiding discussions the viewer may not read', async () => {
      const discussion = await buildDiscussion({ group: await buildGroup({ privacy: 'secret' }) });
      expectError(
        await app.post('/api/invitations', {
          discussionId: String(discussion._id),
          emails: ['a@example.org'],
        }),
        401,
        'authentication_required',
      );
      const outsider = await buildUser();
      const hidden = await app.post(
        '/api/invitations',
        { discussionId: String(discussion._id), emails: ['a@example.org'] },
        { as: outsider },
      );
      const missing = await app.post(
        '/api/invitations',
        { discussionId: '0123456789abcdef01234567', emails: ['a@example.org'] },
        { as: outsider },
      );
      expectError(hidden, 400, 'validation_error', 'discussionId');
      expect(hidden.body).to.deep.equal(missing.body);
      expectError(
        await app.post(
          '/api/invitations',
          { discussionId: { $ne: null }, emails: ['a@example.org'] },
          { as: outsider },
        ),
        400,
        'validation_error',
        'discussionId.$ne',
      );
      expectError(
        await app.post(
          '/api/invitations',
          { discussionId: String(discussion._id), emails: [] },
          { as: discussion.group.coordinator },
        ),
        400,
        'validation_error',
        'emails',
      );
      const member = await addMember(discussion.group);
      expectError(
        await app.post(
          '/api/invitations',
          { discussionId: String(discussion._id), emails: ['a@example.org'] },
          { as: member },
        ),
        403,
        'authorization_error',
      );
    });

    it('invites a guest, who joins the discussion and not its group', async () => {
      const discussion = await buildDiscussion({ group: await buildGroup({ privacy: 'closed' }) });
      const email = `guest${Date.now().toString(36)}@example.org`;
      const res = await app.post<{ invitations: InvitationDto[] }>(
        '/api/invitations',
        { discussionId: String(discussion._id), emails: [email] },
        { as: discussion.group.coordinator },
      );
      expect(res.status).to.equal(201);
      expect(res.body.invitations[0]).to.include({
        discussionId: String(discussion._id),
        groupId: null,
      });
      const mail = app.server.mailer.to(email).at(-1)!;
      expect(mail.text).to.include(discussion.title);
      const token = /\/invitations\/([A-Za-z0-9_-]{43})\b/.exec(mail.text)![1];
      const preview = await app.get<{ invitation: InvitationPreviewDto }>(
        `/api/invitations/${token}`,
      );
      expect(preview.body.invitation.discussion).to.deep.equal({
        id: String(discussion._id),
        title: discussion.title,
      });
      const guest = await buildUser({ email });
      const accepted = await app.post<AcceptBody>(
        `/api/invitations/${token}/accept`,
        {},
        { as: guest },
      );
      expect(accepted.status).to.equal(200);
      expect(accepted.body).to.deep.include({
        group: null,
        discussion: { id: String(discussion._id), title: discussion.title },
      });
      expect(
        await GuestModel.exists({ discussionId: discussion._id, userId: guest._id }),
      ).to.not.equal(null);
      expect(await roleOf(discussion.group._id, guest)).to.equal(null);
    });
  });
});
