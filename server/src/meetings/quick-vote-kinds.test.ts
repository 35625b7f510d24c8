import { expect } from 'chai';
import type { MeetingDto } from '../../../shared/meetings.js';
import { MeetingModel } from '../models/meeting.js';
import { PollModel } from '../models/poll.js';
import { VoteModel } from '../models/vote.js';
import { addMember, buildDiscussion, buildGroup } from '../test/factories.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { actOverRest, buildMeeting, clientId } from './test-meetings.js';

describe('meetings: quick votes of every kind a meeting can open', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  async function liveMeeting() {
    const group = await buildGroup();
    const ada = await addMember(group);
    const discussion = await buildDiscussion({ group });
    const meeting = await buildMeeting(app, {
      group,
      as: group.coordinator,
      discussion,
      items: ['Budget'],
    });
    await actOverRest(app, meeting.id, group.coordinator, { type: 'meeting.start' });
    const open = (action: Record<string, unknown>) =>
      app.post<{ meeting?: MeetingDto; error?: { id: string; field?: string } }>(
        `/api/meetings/${meeting.id}/actions`,
        {
          action: {
            type: 'vote.open',
            clientId: clientId(),
            title: 'Which projects?',
            durationSeconds: 60,
            hidden: true,
            ...action,
          },
        },
        { as: group.coordinator },
      );
    return { group, ada, discussion, meeting, open };
  }

  it('opens a multiple choice vote with the options given, and takes a ballot of several with a reason', async () => {
    const { ada, open } = await liveMeeting();
    const opened = await open({
      kind: 'multiple_choice',
      options: ['Garden', 'Library', 'Repairs'],
    });
    expect(opened.status, JSON.stringify(opened.body)).to.equal(200);
    const pollId = opened.body.meeting!.quickVote!.pollId;
    const poll = await PollModel.findById(pollId).lean();
    expect(poll).to.include({ kind: 'multiple_choice', hideResults: 'until_revealed' });
    expect(poll!.options.map((o) => o.label)).to.deep.equal(['Garden', 'Library', 'Repairs']);
    const [garden, , repairs] = poll!.options;
    const ballot = await app.request('PUT', `/api/polls/${pollId}/vote`, {
      as: ada,
      body: {
        choices: [
          { optionId: garden.id, value: 1 },
          { optionId: repairs.id, value: 1 },
        ],
        reason: 'Both are cheap',
      },
    });
    expect(ballot.status, JSON.stringify(ballot.body)).to.equal(201);
    const stored = await VoteModel.findOne({ pollId, userId: ada._id }).lean();
    expect(stored!.choices.map((c) => c.optionId)).to.deep.equal([garden.id, repairs.id]);
    expect(stored!.reason).to.equal('Both are cheap');
  });

  it('opens score, ranked choice and dot votes with their default settings', async () => {
    for (const kind of ['score', 'ranked_choice', 'dot_vote', 'single_choice']) {
      const { open } = await liveMeeting();
      const opened = await open({ kind, options: ['A', 'B'] });
      expect(opened.status, `${kind}: ${JSON.stringify(opened.body)}`).to.equal(200);
      const poll = await PollModel.findById(opened.body.meeting!.quickVote!.pollId).lean();
      expect(poll!.kind).to.equal(kind);
    }
  });

  it('refuses a kind a meeting cannot open, too few options, options of a proposal and an endless vote, naming the field', async () => {
    const { open, meeting, discussion } = await liveMeeting();
    for (const kind of ['count', 'meeting_time']) {
      const refused = await open({ kind, options: ['A', 'B'] });
      expect(refused.status).to.equal(400);
      expect(refused.body.error).to.include({ id: 'validation_error', field: 'action.kind' });
    }
    for (const options of [undefined, ['Only one']]) {
      const few = await open({ kind: 'single_choice', options });
      expect(few.status).to.equal(400);
      expect(few.body.error).to.include({ field: 'action.options' });
    }
    const fixed = await open({ kind: 'proposal', options: ['Yes', 'No'] });
    expect(fixed.status).to.equal(400);
    expect(fixed.body.error).to.include({ field: 'action.options' });
    // Only a proposal may stay open until the facilitator closes it, as in a discussion.
    const endless = await open({ kind: 'score', options: ['A', 'B'], durationSeconds: null });
    expect(endless.status).to.equal(400);
    expect(endless.body.error).to.include({ field: 'action.durationSeconds' });
    // Refused before anything was stored: no poll, and the meeting has no quick vote.
    expect(await PollModel.countDocuments({ discussionId: discussion._id })).to.equal(0);
    const stored = await MeetingModel.findById(meeting.id).lean();
    expect(stored!.quickVotes).to.deep.equal([]);
  });

  it('lets the facilitators close and reveal a vote left open when the meeting ended, and no one else', async () => {
    const { group, ada, meeting, open } = await liveMeeting();
    const opened = await open({ kind: 'proposal', durationSeconds: null });
    expect(opened.status, JSON.stringify(opened.body)).to.equal(200);
    const pollId = opened.body.meeting!.quickVote!.pollId;
    await actOverRest(app, meeting.id, group.coordinator, { type: 'meeting.end' });
    const results = async () =>
      (await app.get<{ poll: { results?: unknown } }>(`/api/polls/${pollId}`, { as: ada })).body
        .poll.results;
    for (const type of ['vote.close', 'vote.reveal']) {
      const refused = await app.post<{ error?: { id: string } }>(
        `/api/meetings/${meeting.id}/actions`,
        { action: { type } },
        { as: ada },
      );
      expect(refused.status, type).to.equal(403);
    }
    await actOverRest(app, meeting.id, group.coordinator, { type: 'vote.close' });
    const closed = await PollModel.findById(pollId).lean();
    expect(closed!.closedAt).to.be.an.instanceOf(Date);
    expect(await results()).to.equal(undefined); // closed, still hidden
    await actOverRest(app, meeting.id, group.coordinator, { type: 'vote.reveal' });
    expect(await results()).to.be.an('object');
  });
});
