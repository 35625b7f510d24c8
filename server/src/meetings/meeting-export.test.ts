import { expect } from 'chai';
import { MeetingAttendanceModel } from '../models/meeting-attendance.js';
import { MeetingHandModel } from '../models/meeting-hand.js';
import { MeetingSignalModel } from '../models/meeting-signal.js';
import {
  addMember,
  buildDiscussion,
  buildGroup,
  buildUser,
  TEST_PASSWORD,
} from '../test/factories.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { buildMeeting, clientId } from './test-meetings.js';

interface Export {
  meetingRoles: Array<{ meeting: { id: string }; facilitator: boolean; minuteTaker: boolean }>;
  meetingAttendance: Array<{ meeting: { id: string; title: string }; joinedAt: string }>;
  meetingHands: Array<{ meeting: { id: string }; kind: string; state: string }>;
  meetingSignals: Array<{ meeting: { id: string }; signal: string }>;
}

/**
 * P2 and P9 for meetings: one's export holds one's part in meetings (roles,
 * attendance, hands, one's own temperature signal, which nobody else ever sees
 * by name) and nobody else's; deleting the account erases the signals, kept
 * only for the person, while the meeting's record keeps hands and attendance
 * as "Deleted account".
 */
describe('meetings in the personal data export and account deletion', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  it('exports one’s roles, attendance, hands and signal, and deletion erases the signal', async () => {
    const chair = await buildUser();
    const group = await buildGroup({ coordinator: chair });
    const me = await addMember(group, await buildUser());
    const other = await addMember(group, await buildUser());
    const discussion = await buildDiscussion({ group });
    const meeting = await buildMeeting(app, { group, as: chair, discussion, items: ['Budget'] });
    const run = (as: typeof me, action: Record<string, unknown>) =>
      app.post(`/api/meetings/${meeting.id}/actions`, { action }, { as });
    expect((await run(chair, { type: 'meeting.start' })).status).to.equal(200);
    await run(chair, { type: 'minutes.taker', userId: String(me._id) });
    for (const who of [me, other]) {
      const raised = await run(who, { type: 'hand.raise', kind: 'speak', clientId: clientId() });
      expect(raised.status).to.equal(200);
      expect((await run(who, { type: 'temperature', signal: 'unsure' })).status).to.equal(200);
    }
    await MeetingAttendanceModel.create({
      meetingId: meeting.id,
      userId: me._id,
      joinedAt: new Date(),
      present: 1,
    });

    const res = await app.get<Export>('/api/me/export', { as: me });
    expect(res.status).to.equal(200);
    const data = res.body;
    expect(data.meetingRoles).to.have.length(1);
    expect(data.meetingRoles[0]).to.deep.include({ facilitator: false, minuteTaker: true });
    expect(data.meetingAttendance.map((a) => a.meeting.title)).to.deep.equal(['Board meeting']);
    expect(data.meetingHands.map((h) => [h.meeting.id, h.kind])).to.deep.equal([
      [meeting.id, 'speak'],
    ]);
    expect(data.meetingSignals.map((s) => s.signal)).to.deep.equal(['unsure']);
    // Nothing of the other participant's.
    expect(JSON.stringify(data)).to.not.include(String(other._id));

    const deleted = await app.post(
      '/api/me/delete',
      { password: TEST_PASSWORD, confirm: 'DELETE' },
      { as: me },
    );
    expect(deleted.status).to.equal(204);
    expect(await MeetingSignalModel.countDocuments({ userId: me._id })).to.equal(0);
    expect(await MeetingSignalModel.countDocuments({ userId: other._id })).to.equal(1);
    // The meeting's record keeps who spoke and who was there, named "Deleted account".
    expect(await MeetingHandModel.countDocuments({ userId: me._id })).to.equal(1);
    expect(await MeetingAttendanceModel.countDocuments({ userId: me._id })).to.equal(1);
  });
});
