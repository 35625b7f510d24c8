import { expect } from 'chai';
import sharp from 'sharp';
import { recordAudit } from '../../commands/audit/record.js';
import { CommentModel } from '../../models/comment.js';
import { expectNoSecrets } from '../../test/factories-accounts.js';
import { buildPersonalWorld, type PersonalWorld } from '../../test/factories-personal.js';
import { buildUser } from '../../test/factories.js';
import { startTestApp, type TestApp } from '../../test/harness.js';

type Export = Record<string, unknown> & {
  profile: Record<string, unknown>;
  memberships: { group: { id: string } }[];
  discussions: { title: string; context: string }[];
  comments: { id: string; body: string; history: { body: string }[] }[];
  polls: { details: string; anonymous: boolean }[];
  votes: { poll: { id: string; anonymous: boolean }; vote: { reason: string } }[];
  reactions: { emoji: string }[];
  notifications: { actor: Record<string, unknown> }[];
  readStates: { lastReadSequence: number }[];
  invitationsSent: Record<string, unknown>[];
  joinRequests: { introduction: string }[];
  emailPreferences: { digest: boolean } | null;
  auditEntries: { action: string; reason: string | null; ip: string | null }[];
};

describe('GET /api/me/export', () => {
  let app: TestApp;
  let w: PersonalWorld;
  before(async () => {
    app = await startTestApp();
    w = await buildPersonalWorld(app);
    const dpo = await buildUser();
    await recordAudit({
      actorId: dpo._id,
      subjectUserId: w.me._id,
      action: 'content_redacted',
      reason: 'A court order',
      ip: '198.51.100.77',
    });
    await recordAudit({
      actorId: w.me._id,
      subjectUserId: w.me._id,
      action: 'account_reactivated',
      ip: '192.0.2.55',
    });
  });
  after(() => app.close());

  it('answers 401 to a visitor', async () => {
    expect((await app.get('/api/me/export')).status).to.equal(401);
  });

  it("P2: the export contains every kind of record the user created and nothing of anyone else's private data", async () => {
    const res = await app.get<Export>('/api/me/export', { as: w.me });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^application\/json/);
    expect(res.headers.get('content-disposition')).to.match(
      /^attachment; filename="quorum-personal-data-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    expect(res.headers.get('cache-control')).to.equal('no-store');
    const data = res.body;
    const t = w.tag;

    expect(data.format).to.equal('quorum-personal-data/1');
    expect(data.profile).to.include({
      id: String(w.me._id),
      name: `Name ${t}`,
      handle: `h_${t}`,
      email: w.me.email,
      lastSignInAddressMasked: '203.0.113.0',
    });
    // The photo as stored: its sizes and the largest image itself, without metadata.
    const avatar = data.profile.avatar as { url: string; sizes: number[]; image: string };
    expect(avatar.url).to.equal(`/api/avatars/${w.me.avatarId!}/128`);
    expect(avatar.sizes).to.deep.equal([64, 128, 256]);
    expect(avatar.image).to.match(/^data:image\/webp;base64,/);
    const stored = await sharp(Buffer.from(avatar.image.split(',')[1], 'base64')).metadata();
    expect(stored).to.include({ format: 'webp', width: 256, height: 256 });
    expect(stored.exif).to.equal(undefined);
    expect(data.memberships.map((m) => m.group.id)).to.include(String(w.group._id));
    expect(data.discussions).to.deep.include.members([
      { ...data.discussions[0], title: `Title ${t}`, context: `Context ${t}` },
    ]);
    const comment = data.comments.find((c) => c.id === String(w.myComment._id))!;
    expect(comment.body).to.equal(`Final words ${t}`);
    expect(comment.history.map((h) => h.body)).to.deep.equal([`First draft ${t}`]);
    expect(data.comments).to.have.length(1);
    expect(data.polls.map((p) => p.details)).to.deep.equal([`Details ${t}`]);
    // Both own votes, the anonymous one included; no one else's.
    expect(data.votes).to.have.length(2);
    const anonymous = data.votes.find((v) => v.poll.id === String(w.anonymousPoll._id))!;
    expect(anonymous.poll.anonymous).to.equal(true);
    expect(anonymous.vote.reason).to.equal(`My reason ${t}`);
    expect(data.reactions.map((r) => r.emoji)).to.deep.equal(['🎉']);
    expect(data.notifications).to.have.length(1);
    expect(data.notifications[0].actor).to.deep.equal({
      id: String(w.other._id),
      name: w.other.name,
    });
    expect(data.readStates.map((r) => r.lastReadSequence)).to.deep.equal([3]);
    expect(data.invitationsSent).to.have.length(1);
    expect(data.invitationsSent[0]).to.include({ groupId: String(w.group._id), status: 'pending' });
    expect(data.joinRequests.map((j) => j.introduction)).to.deep.equal([`Intro ${t}`]);
    expect(data.emailPreferences).to.include({ digest: true });
    expect(data.auditEntries.map((e) => e.action)).to.deep.equal([
      'content_redacted',
      'account_reactivated',
    ]);
    // The reason is theirs to know; the DPO's address is not, their own (masked) is.
    expect(data.auditEntries[0]).to.include({ reason: 'A court order', ip: null });
    expect(data.auditEntries[1].ip).to.equal('192.0.2.0');

    // Nothing of anyone else's private data: no other address, no other voter's reason.
    const text = JSON.stringify(data);
    for (const secret of w.otherSecrets) expect(text).not.to.include(secret);
    const emails = text.match(/[\w.+-]+@[\w-]+\.[\w.-]+/g) ?? [];
    expect([...new Set(emails)]).to.deep.equal([w.me.email]);
    expect(text).not.to.include('198.51.100');
    expectNoSecrets(res);
  });

  it('streams a large account completely', async () => {
    const me = await buildUser();
    const discussionId = w.discussion._id;
    const bodies = Array.from({ length: 500 }, (_, i) => `bulk ${i} ${'x'.repeat(200)}`);
    await CommentModel.insertMany(
      bodies.map((body, i) => ({ discussionId, authorId: me._id, body, sequence: 100000 + i })),
    );
    const res = await app.get<Export>('/api/me/export', { as: me });
    expect(res.status).to.equal(200);
    expect(res.body.comments.map((c) => c.body)).to.deep.equal(bodies);
  });
});
