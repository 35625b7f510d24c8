import { expect } from 'chai';
import { Types } from 'mongoose';
import { REDACTED_TEXT } from '../../commands/accounts/redact-content.js';
import { AuditEntryModel } from '../../models/audit-entry.js';
import { AvatarModel } from '../../models/avatar.js';
import { CommentModel } from '../../models/comment.js';
import { VoteModel } from '../../models/vote.js';
import { expectError } from '../../test/factories-accounts.js';
import { buildPersonalWorld, type PersonalWorld } from '../../test/factories-personal.js';
import { addMember, buildUser } from '../../test/factories.js';
import { startTestApp, type TestApp } from '../../test/harness.js';
import type { UserDocument } from '../../models/user.js';
import type { GroupAuditEntryDto } from '../../../../shared/dto.js';

describe('POST /api/admin/users/:id/redact (the Data Protection Officer)', () => {
  let app: TestApp;
  let dpo: UserDocument;
  let w: PersonalWorld;
  const reason = 'Request under the personal safety policy, ticket 42';
  before(async () => {
    app = await startTestApp({ DPO_EMAILS: 'Officer@Example.org, other-dpo@example.org' });
    dpo = await buildUser({ email: 'officer@example.org' });
    w = await buildPersonalWorld(app);
  });
  after(() => app.close());

  const path = () => `/api/admin/users/${String(w.me._id)}/redact`;

  it('answers 401 to a visitor and 403 to anyone but the DPO, group coordinators and admins included', async () => {
    expectError(await app.post(path(), { reason }), 401, 'authentication_required');
    const admin = await buildUser({ isAdmin: true });
    for (const user of [w.other, w.group.coordinator, admin, w.me])
      expectError(await app.post(path(), { reason }, { as: user }), 403, 'authorization_error');
    expect((await CommentModel.findById(w.myComment._id))!.body).to.equal(`Final words ${w.tag}`);
  });

  it('answers 400 with the field without a reason, and 404 for an unknown person', async () => {
    expectError(await app.post(path(), {}, { as: dpo }), 400, 'validation_error', 'reason');
    expectError(
      await app.post(path(), { reason: '  ' }, { as: dpo }),
      400,
      'validation_error',
      'reason',
    );
    expectError(
      await app.post(
        `/api/admin/users/${String(new Types.ObjectId())}/redact`,
        { reason },
        { as: dpo },
      ),
      404,
      'not_found',
    );
    expectError(
      await app.post('/api/admin/users/nope/redact', { reason }, { as: dpo }),
      404,
      'not_found',
    );
  });

  it('DPO redaction replaces the content, is audited, and the coordinators see that it happened, not what it was', async () => {
    const res = await app.post<{ redacted: Record<string, number> }>(
      path(),
      { reason },
      { as: dpo },
    );
    expect(res.status).to.equal(200);
    expect(res.body.redacted).to.deep.equal({
      comments: 1,
      discussions: 1,
      polls: 1,
      votes: 1,
      avatars: 1,
    });
    // The photo is deleted: initials show, its address answers 404.
    expectError(await app.get(`/api/avatars/${w.me.avatarId!}/128`), 404, 'not_found');
    expect(await AvatarModel.countDocuments({ userId: w.me._id })).to.equal(0);
    const me = await app.get<{ user: { avatarUrl: string | null } }>('/api/me', { as: w.me });
    expect(me.body.user.avatarUrl).to.equal(null);

    const comments = await app.get<{ items: { id: string; body: string }[] }>(
      `/api/discussions/${String(w.discussion._id)}/comments`,
      { as: w.other },
    );
    const mine = comments.body.items.find((c) => c.id === String(w.myComment._id))!;
    expect(mine.body).to.equal(REDACTED_TEXT);
    const stored = (await CommentModel.findById(w.myComment._id).lean())!;
    expect(stored.history).to.deep.equal([]);
    expect(JSON.stringify(stored)).not.to.include(w.tag);
    const vote = (await VoteModel.findOne({
      userId: w.me._id,
      pollId: w.anonymousPoll._id,
    }).lean())!;
    expect(vote.reason).to.equal(REDACTED_TEXT);
    // Other people's content is untouched.
    expect((await CommentModel.findById(w.otherComment._id))!.body).to.equal('Other speaks');

    // Audited with the DPO, the reason and a masked address.
    const entries = await AuditEntryModel.find({ action: 'content_redacted' }).lean();
    // One for the group's content, one without a group for the photo.
    expect(entries).to.have.length(2);
    const [inGroup, photo] = [entries.find((e) => e.groupId), entries.find((e) => !e.groupId)];
    expect(inGroup).to.deep.include({ reason, ip: '127.0.0.0' });
    expect(String(inGroup!.actorId)).to.equal(String(dpo._id));
    expect(String(inGroup!.groupId)).to.equal(String(w.group._id));
    expect(photo!.target).to.deep.include({ kind: 'content', count: 1 });

    // The group's coordinators see the fact only.
    const audit = await app.get<{ items: GroupAuditEntryDto[] }>(
      `/api/groups/${String(w.group._id)}/audit`,
      { as: w.group.coordinator },
    );
    expect(audit.status).to.equal(200);
    expect(audit.body.items).to.have.length(1);
    expect(audit.body.items[0]).to.deep.include({ action: 'content_redacted', count: 4 });
    expect(audit.body.items[0].subject).to.deep.include({ id: String(w.me._id) });
    expect(audit.body.items[0].actor).to.deep.include({ id: String(dpo._id) });
    const text = JSON.stringify(audit.body);
    for (const hidden of [
      reason,
      `Final words ${w.tag}`,
      `Context ${w.tag}`,
      `Details ${w.tag}`,
      `My reason ${w.tag}`,
      '127.0.0',
      dpo.email,
    ])
      expect(text).not.to.include(hidden);
  });

  it("keeps the group's audit log to its coordinators", async () => {
    const g = `/api/groups/${String(w.group._id)}/audit`;
    expectError(await app.get(g), 401, 'authentication_required');
    expectError(await app.get(g, { as: w.other }), 403, 'authorization_error');
    expectError(
      await app.get(`${g}?limit=0`, { as: w.group.coordinator }),
      400,
      'validation_error',
      'limit',
    );
    const member = await addMember(w.group);
    expectError(await app.get(g, { as: member }), 403, 'authorization_error');
  });
});
