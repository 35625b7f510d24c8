import { expect } from 'chai';
import type { ModerationNoticeDto, OwnReportDto } from '../../../shared/moderation.js';
import { addMember } from '../test/factories.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { act, moderationWorld, postAs, reportAs } from './test-support.js';

interface Export {
  reportsMade: OwnReportDto[];
  moderationNotices: ModerationNoticeDto[];
  auditEntries: Array<{ action: string; reason: string | null; actor: { id: string } | null }>;
}

/**
 * P2 for moderation: one's personal data export holds the reports one made
 * and what moderation did to one's content and account, with the reasons,
 * and never who reported one or what they wrote.
 */
describe('moderation in the personal data export', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  it('holds the reports one made and the actions on one’s content, never who reported one', async () => {
    const w = await moderationWorld();
    const me = w.author;
    const accuser = w.reporter;
    const second = await addMember(w.group);
    const mine = await postAs(app, me, w.discussionId, 'My contested words');
    const theirs = await postAs(app, accuser, w.discussionId, 'Their words');
    // I report someone; two people report me, each with a note only the moderators may read.
    await reportAs(
      app,
      me,
      { kind: 'comment', id: theirs },
      { reason: 'off_topic', note: 'MY OWN NOTE 5' },
    );
    await reportAs(
      app,
      accuser,
      { kind: 'comment', id: mine },
      { reason: 'harassment', note: 'ACCUSER NOTE 5' },
    );
    await reportAs(
      app,
      second,
      { kind: 'person', id: String(me._id) },
      { reason: 'spam', note: 'SECOND NOTE 5', groupId: w.groupId },
    );
    await act(app, w.coordinator, w.groupId, {
      target: { kind: 'comment', id: mine },
      action: 'hide',
      reason: 'HIDE REASON 5',
    });
    await act(app, w.coordinator, w.groupId, {
      target: { kind: 'person', id: String(me._id) },
      action: 'mute',
      reason: 'MUTE REASON 5',
      minutes: 10,
    });
    await act(app, w.coordinator, w.groupId, {
      target: { kind: 'comment', id: theirs },
      action: 'dismiss',
      reason: 'Fine',
    });

    const res = await app.get<Export>('/api/me/export', { as: me });
    expect(res.status).to.equal(200);
    const data = res.body;
    expect(data.reportsMade).to.have.length(1);
    expect(data.reportsMade[0]).to.include({
      targetKind: 'comment',
      targetId: theirs,
      reason: 'off_topic',
      note: 'MY OWN NOTE 5',
      status: 'handled',
    });
    expect(data.moderationNotices.map((n) => [n.action, n.reason])).to.have.deep.members([
      ['hide', 'HIDE REASON 5'],
      ['mute', 'MUTE REASON 5'],
    ]);
    const mute = data.moderationNotices.find((n) => n.action === 'mute')!;
    expect(mute.until).to.be.a('string');
    expect(mute.groupId).to.equal(w.groupId);
    // The audit entries about me: what was done, by which moderator, and why.
    const audited = data.auditEntries.filter((e) => e.action.startsWith('moderation_'));
    expect(audited.map((e) => e.action)).to.have.members(['moderation_hide', 'moderation_mute']);
    for (const entry of audited) expect(entry.actor?.id).to.equal(String(w.coordinator._id));

    // Nothing anywhere in the export says who reported me, or what they wrote.
    const text = JSON.stringify(data);
    for (const secret of [
      'ACCUSER NOTE 5',
      'SECOND NOTE 5',
      String(accuser._id),
      accuser.name,
      String(second._id),
      second.name,
    ])
      expect(text).not.to.include(secret);

    // The accuser's own export holds their report of me (with their note), not my notices.
    const theirsExport = (await app.get<Export>('/api/me/export', { as: accuser })).body;
    expect(theirsExport.reportsMade.map((r) => r.note)).to.deep.equal(['ACCUSER NOTE 5']);
    expect(theirsExport.moderationNotices).to.deep.equal([]);
    expect(JSON.stringify(theirsExport)).not.to.include('HIDE REASON 5');
  });
});
