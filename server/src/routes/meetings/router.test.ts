import { expect } from 'chai';
import type { GroupDetailDto } from '../../../../shared/dto.js';
import type { MeetingDto, MeetingSummaryDto } from '../../../../shared/meetings.js';
import { addMember, buildDiscussion, buildGroup, buildUser } from '../../test/factories.js';
import { startTestApp, type TestApp } from '../../test/harness.js';
import { buildMeeting } from '../../meetings/test-meetings.js';

interface ErrorBody {
  error: { id: string; field?: string; message: string };
}

/** Scheduling a meeting from a group and editing its details (the web client's schedule form). */
describe('meetings: scheduling and editing over REST', function () {
  this.timeout(20_000);
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  const soon = () => new Date(Date.now() + 3600_000).toISOString();

  it('schedules with named facilitators and linked discussions; the group lists it', async () => {
    const group = await buildGroup();
    const ana = await addMember(group);
    const discussion = await buildDiscussion({ group });
    const res = await app.post<{ meeting: MeetingDto }>(
      `/api/groups/${String(group._id)}/meetings`,
      {
        title: '  Spring general meeting ',
        scheduledAt: soon(),
        expectedMinutes: 90,
        facilitatorIds: [String(ana._id)],
        discussionIds: [String(discussion._id)],
      },
      { as: group.coordinator },
    );
    expect(res.status).to.equal(201);
    const meeting = res.body.meeting;
    expect(meeting).to.include({ title: 'Spring general meeting', state: 'scheduled' });
    expect(meeting.expectedMinutes).to.equal(90);
    // The creator first, then whoever they named.
    expect(meeting.facilitators.map((f) => f.id)).to.deep.equal([
      String(group.coordinator._id),
      String(ana._id),
    ]);
    expect(meeting.discussionIds).to.deep.equal([String(discussion._id)]);
    expect(meeting.abilities.canFacilitate).to.equal(true);

    const list = await app.get<{ items: MeetingSummaryDto[] }>(
      `/api/groups/${String(group._id)}/meetings`,
      { as: ana },
    );
    expect(list.body.items.map((m) => m.id)).to.deep.equal([meeting.id]);
    // The one named facilitates.
    const asAna = await app.get<{ meeting: MeetingDto }>(`/api/meetings/${meeting.id}`, {
      as: ana,
    });
    expect(asAna.body.meeting.view).to.equal('facilitator');
  });

  it('answers bad input with the field at fault, and strangers and the unauthorised as such', async () => {
    const group = await buildGroup({
      permissions: {
        membersCanStartDiscussions: false,
        membersCanAddMembers: false,
        membersCanEditComments: true,
        membersCanRaiseProposals: true,
        membersCanVote: true,
      },
    });
    const member = await addMember(group);
    const outsider = await buildUser();
    const url = `/api/groups/${String(group._id)}/meetings`;
    const valid = { title: 'Board', scheduledAt: soon(), expectedMinutes: 45 };
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ ...valid, title: '   ' }, 'title', 'must not be empty'],
      [{ ...valid, scheduledAt: '' }, 'scheduledAt', 'must be a date and time'],
      [{ ...valid, expectedMinutes: 0 }, 'expectedMinutes', 'must be at least 5 minutes'],
      [
        { ...valid, facilitatorIds: [String(outsider._id)] },
        'facilitatorIds.0',
        'is not a member of this group',
      ],
      [
        { ...valid, discussionIds: [String((await buildDiscussion())._id)] },
        'discussionIds.0',
        'is not a discussion of this group',
      ],
    ];
    for (const [body, field, message] of cases) {
      const res = await app.post<ErrorBody>(url, body, { as: group.coordinator });
      expect(res.status, field).to.equal(400);
      expect(res.body.error).to.deep.include({ id: 'validation_error', field, message });
    }
    expect((await app.post(url, valid)).status).to.equal(401);
    const forbidden = await app.post<ErrorBody>(url, valid, { as: member });
    expect(forbidden.status).to.equal(403);
    expect(forbidden.body.error.id).to.equal('authorization_error');
    // The group tells each viewer whether they may schedule, so the client never guesses.
    const abilities = async (as: typeof member) =>
      (await app.get<{ group: GroupDetailDto }>(`/api/groups/${String(group._id)}`, { as })).body
        .group.abilities;
    expect((await abilities(member)).canScheduleMeeting).to.equal(false);
    expect((await abilities(group.coordinator)).canScheduleMeeting).to.equal(true);
  });

  it('lets facilitators edit the details (the creator stays a facilitator); others get 403', async () => {
    const group = await buildGroup();
    const ana = await addMember(group);
    const ben = await addMember(group);
    const creator = await addMember(group);
    const meeting = await buildMeeting(app, { group, as: creator });
    const url = `/api/meetings/${meeting.id}`;
    const when = soon();
    const edited = await app.patch<{ meeting: MeetingDto }>(
      url,
      { title: 'Board, moved', scheduledAt: when, expectedMinutes: 30, facilitatorIds: [] },
      { as: creator },
    );
    expect(edited.status).to.equal(200);
    expect(edited.body.meeting).to.include({
      title: 'Board, moved',
      scheduledAt: when,
      expectedMinutes: 30,
    });
    expect(edited.body.meeting.facilitators.map((f) => f.id)).to.deep.equal([String(creator._id)]);

    const named = await app.patch<{ meeting: MeetingDto }>(
      url,
      { facilitatorIds: [String(ana._id)] },
      { as: creator },
    );
    expect(named.body.meeting.facilitators.map((f) => f.id)).to.deep.equal([
      String(creator._id),
      String(ana._id),
    ]);
    // A named facilitator edits too; a plain member may not.
    expect((await app.patch(url, { title: 'By Ana' }, { as: ana })).status).to.equal(200);
    const denied = await app.patch<ErrorBody>(url, { title: 'By Ben' }, { as: ben });
    expect(denied.status).to.equal(403);
    const bad = await app.patch<ErrorBody>(url, { expectedMinutes: 2 }, { as: creator });
    expect(bad.status).to.equal(400);
    expect(bad.body.error).to.include({ field: 'expectedMinutes' });
    expect((await app.patch(url, { title: 'x' })).status).to.equal(401);
    expect((await app.patch(url, { title: 'x' }, { as: await buildUser() })).status).to.equal(404);
    const after = await app.get<{ meeting: MeetingDto }>(url, { as: ben });
    expect(after.body.meeting.title).to.equal('By Ana');
  });
});
