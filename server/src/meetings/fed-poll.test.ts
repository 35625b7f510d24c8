import { expect } from 'chai';
import type { MeetingAction } from '../../../shared/meetings.js';
import { PollModel, type Poll } from '../models/poll.js';
import type { UserDocument } from '../models/user.js';
import { addMember, buildDiscussion, buildGroup } from '../test/factories.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { LiveMeetingCache } from './live-cache.js';
import { actOverRest, buildMeeting, hiddenQuickVote, storedRecords } from './test-meetings.js';

/**
 * A quick vote's poll as a live presentation takes it: from the change
 * feed's document where a change brought one, its count alone where only
 * votes moved it. Here the test plays the feed, so each step is a moment
 * between writes and their changes.
 */
describe('meetings: the quick vote’s poll as the change feed delivered it', function () {
  this.timeout(30_000);
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  const records = storedRecords;

  async function votingMeeting() {
    const group = await buildGroup();
    const [ada, bob] = [await addMember(group), await addMember(group)];
    const discussion = await buildDiscussion({ group });
    const meeting = await buildMeeting(app, {
      group,
      as: group.coordinator,
      discussion,
      items: ['One'],
    });
    const act = (action: MeetingAction) => actOverRest(app, meeting.id, group.coordinator, action);
    await act({ type: 'meeting.start' });
    const pollId = (await act(hiddenQuickVote())).quickVote!.pollId;
    const vote = async (voter: UserDocument) => {
      const res = await app.request('PUT', `/api/polls/${pollId}/vote`, {
        as: voter,
        body: { choices: [{ optionId: 'agree', value: 1 }] },
      });
      expect(res.status, JSON.stringify(res.body)).to.be.oneOf([200, 201]);
    };
    const stored = async () => (await PollModel.findById(pollId).lean<Poll>())!;
    return { meetingId: meeting.id, pollId, ada, bob, vote, stored };
  }

  it('takes a changed poll from its change, without reading it', async () => {
    const cache = new LiveMeetingCache();
    const { meetingId, ada, vote, stored } = await votingMeeting();
    await cache.parts(meetingId, records);
    await vote(ada);
    // The change's document says revealed; the stored poll never was. Only the change can show it
    // (the process's own fan-out reads polls too, so the reads are not counted here).
    cache.pollChanged(meetingId, { ...(await stored()), revealedAt: new Date() });
    const parts = await cache.parts(meetingId, records);
    expect(parts!.poll!.revealedAt).to.be.an.instanceOf(Date);
    expect(parts!.poll!.voterCount).to.equal(1);
  });

  it('a count that came after a pending change is taken with its own change’s document, not dropped', async () => {
    const cache = new LiveMeetingCache();
    const { meetingId, pollId, ada, bob, vote, stored } = await votingMeeting();
    await cache.parts(meetingId, records);
    // A change of the poll is fed (its document counts Ada's vote), not loaded yet...
    await vote(ada);
    cache.pollChanged(meetingId, await stored());
    // ...when Bob's vote (its change says only the new count) arrives: its count must not be lost
    // behind the older document, so the poll is taken from this change's document instead.
    await vote(bob);
    expect(cache.counted(meetingId, pollId, 2)).to.equal(false);
    cache.pollChanged(meetingId, await stored());
    expect((await cache.parts(meetingId, records))!.poll!.voterCount).to.equal(2);
    // With nothing pending, a count alone is taken as it is, without the poll: the stored poll
    // counts two, so three can only come from the count.
    expect(cache.counted(meetingId, pollId, 3)).to.equal(true);
    expect((await cache.parts(meetingId, records))!.poll!.voterCount).to.equal(3);
  });
});
