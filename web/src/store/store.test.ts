import { expect } from 'chai';
import type { CommentDto, DiscussionDto, TimelineEventDto } from '../../../shared/dto.js';
import type { MeetingDto } from '../../../shared/meetings.js';
import { createStore } from './index.js';

const person = { id: 'u1', name: 'Ada', handle: 'ada', avatarUrl: null, status: 'active' as const };

function comment(overrides: Partial<CommentDto> = {}): CommentDto {
  return {
    id: 'c1',
    discussionId: 'd1',
    parentId: null,
    author: person,
    body: 'Hello',
    deleted: false,
    deletedAt: null,
    edited: false,
    editedAt: null,
    sequence: 1,
    createdAt: '2026-11-30T10:00:00.000Z',
    updatedAt: '2026-11-30T10:00:00.000Z',
    clientId: null,
    reactions: [],
    abilities: { canEdit: true, canDelete: true, canReact: true, canReply: true },
    ...overrides,
  };
}

function event(sequence: number): TimelineEventDto {
  return {
    id: `e${sequence}`,
    discussionId: 'd1',
    sequence,
    kind: 'comment_posted',
    actor: person,
    commentId: null,
    pollId: null,
    createdAt: '2026-11-30T10:00:00.000Z',
  };
}

describe('web store', () => {
  it('takes a newer record and ignores an older one (a slow response cannot undo a live update)', () => {
    const store = createStore();
    store
      .getState()
      .upsertComments([comment({ body: 'Edited', updatedAt: '2026-11-30T10:05:00.000Z' })]);
    store
      .getState()
      .upsertComments([comment({ body: 'Hello', updatedAt: '2026-11-30T10:00:00.000Z' })]);
    expect(store.getState().comments.c1.body).to.equal('Edited');
    store
      .getState()
      .upsertComments([comment({ body: 'Again', updatedAt: '2026-11-30T10:06:00.000Z' })]);
    expect(store.getState().comments.c1.body).to.equal('Again');
  });

  it('keeps the same map when nothing changed, so components do not re-render', () => {
    const store = createStore();
    const c = comment();
    store.getState().upsertComments([c]);
    const before = store.getState().comments;
    store.getState().upsertComments([c]);
    expect(store.getState().comments).to.equal(before);
  });

  it('settles an optimistic comment when the confirmed one arrives with its clientId', () => {
    const store = createStore();
    store.getState().addPendingComment({
      clientId: 'k1',
      discussionId: 'd1',
      parentId: null,
      body: 'Hello',
      status: 'sending',
      error: null,
      createdAt: '2026-11-30T10:00:00.000Z',
    });
    store.getState().failPendingComment('k1', 'Network down');
    expect(store.getState().pendingComments.k1.status).to.equal('failed');
    store.getState().upsertComments([comment({ clientId: 'k1' })]);
    expect(store.getState().pendingComments).to.not.have.property('k1');
    expect(store.getState().comments).to.have.property('c1');
  });

  it('holds each timeline sequence once and remembers the highest for catch-up', () => {
    const store = createStore();
    store.getState().addEvents('d1', [event(1), event(2)]);
    store.getState().addEvents('d1', [event(2), event(3)]);
    expect(Object.keys(store.getState().timelines.d1)).to.have.length(3);
    expect(store.getState().lastSequence.d1).to.equal(3);
  });

  it('files the new comment a live timeline entry carries, and the entry without it', () => {
    const store = createStore();
    const posted = comment({ sequence: 7 });
    store.getState().receiveLiveEvent({ ...event(7), commentId: 'c1', comment: posted });
    expect(store.getState().comments.c1).to.equal(posted);
    expect(store.getState().timelines.d1[7]).to.deep.equal({ ...event(7), commentId: 'c1' });
    expect(store.getState().lastSequence.d1).to.equal(7);
    // An entry without a comment (a vote, a closing) is filed alone.
    store.getState().receiveLiveEvent({ ...event(8), kind: 'vote_cast' });
    expect(store.getState().timelines.d1[8]).to.deep.equal({ ...event(8), kind: 'vote_cast' });
    expect(Object.keys(store.getState().comments)).to.deep.equal(['c1']);
  });

  it('continues from how far a catch-up read, past the events this view does not get', () => {
    const store = createStore();
    store.getState().addEvents('d1', [event(1), event(2)]);
    // Sequences 3 and 4 were votes this view may not see: no events, but read.
    store.getState().addEvents('d1', [], 4);
    expect(store.getState().lastSequence.d1).to.equal(4);
    expect(Object.keys(store.getState().timelines.d1)).to.have.length(2);
    store.getState().addEvents('d1', [event(5)], 5);
    expect(store.getState().lastSequence.d1).to.equal(5);
  });

  it('keeps personal read state when a live (per-view) discussion payload without it arrives', () => {
    const store = createStore();
    const base = {
      id: 'd1',
      readState: { lastReadSequence: 2, unreadCount: 3 },
      updatedAt: '2026-11-30T10:00:00.000Z',
    } as DiscussionDto;
    store.getState().upsertDiscussions([base]);
    store
      .getState()
      .upsertDiscussions([{ ...base, readState: null, updatedAt: '2026-11-30T10:01:00.000Z' }]);
    expect(store.getState().readStates.d1).to.deep.equal({ lastReadSequence: 2, unreadCount: 3 });
  });

  it('keeps one’s own vote apart from live poll payloads', () => {
    const store = createStore();
    const vote = { choices: [], reason: 'Yes', createdAt: 'x', updatedAt: 'x' };
    store.getState().setMyVote('p1', vote);
    store.getState().upsertPolls([{ id: 'p1', myVote: null, updatedAt: 'x' } as never]);
    expect(store.getState().myVotes.p1).to.equal(vote);
  });
  it('keeps a later tally over an earlier one of the same poll that arrives after it', () => {
    const store = createStore();
    const at = '2026-12-06T10:00:00.000Z';
    const poll = (voterCount: number, updatedAt = at) =>
      ({ id: 'p1', myVote: null, updatedAt, voterCount }) as never;
    store.getState().upsertPolls([poll(5)]); // a later vote's live entry
    store.getState().upsertPolls([poll(4)], { withOwnVotes: true }); // one's own vote's reply, read before it
    expect(store.getState().polls.p1.voterCount).to.equal(5);
    expect(store.getState().myVotes).to.have.property('p1', null);
    // A newer version of the poll (closed, edited) is taken whatever it counts.
    store.getState().upsertPolls([poll(3, '2026-12-06T10:01:00.000Z')]);
    expect(store.getState().polls.p1.voterCount).to.equal(3);
  });
  it('keeps a meeting heard live over a list of live meetings asked for before it started', () => {
    const store = createStore();
    const summary = {
      id: 'm1',
      groupId: 'g1',
      title: 'Board',
      scheduledAt: '2026-12-06T10:00:00.000Z',
      expectedMinutes: 45,
      state: 'live' as const,
      startedAt: '2026-12-06T10:00:00.000Z',
      endedAt: null,
    };
    const asOf = store.getState().liveSummariesVersion('g1');
    store.getState().upsertMeetingSummary(summary); // started while the list was on its way
    expect(store.getState().setLiveMeetings([], 'g1', asOf)).to.equal(false);
    expect(Object.keys(store.getState().liveMeetings)).to.deep.equal(['m1']);
    // Asked again now: the list is as new as what was heard, and replaces it.
    const now = store.getState().liveSummariesVersion('g1');
    expect(store.getState().setLiveMeetings([], 'g1', now)).to.equal(true);
    expect(store.getState().liveMeetings).to.deep.equal({});
    // Another group's summary moves the count of all groups, not this group's.
    const all = store.getState().liveSummariesVersion();
    store.getState().upsertMeetingSummary({ ...summary, id: 'm2', groupId: 'g2' });
    expect(store.getState().liveSummariesVersion('g1')).to.equal(now);
    expect(store.getState().liveSummariesVersion()).to.equal(all + 1);
  });
  it("keeps one's own temperature signal across the room's states while the item lasts, and takes replies as they are", () => {
    const store = createStore();
    // Only what the signal's bookkeeping reads of a meeting.
    const meeting = (fields: Partial<MeetingDto>) =>
      ({
        id: 'm1',
        revision: 1,
        version: 1,
        view: 'participant',
        state: 'live',
        currentItemId: 'i1',
        mySignal: null,
        ...fields,
      }) as MeetingDto;
    const signal = () => store.getState().meetings.m1.mySignal;
    store.getState().setMe({ ...person, id: 'u1' } as never);
    store.getState().upsertMeeting(meeting({}), true);
    store.getState().setMySignal('m1', 'agree', 'i1');
    expect(signal()).to.equal('agree');
    // Accepted for an item the meeting has since left: cleared with that item, not shown.
    store.getState().setMySignal('m1', 'unsure', 'i0');
    expect(signal()).to.equal('agree');
    // A room's state names nobody's signal: the held one stays on the same item...
    store.getState().upsertMeeting(meeting({ revision: 2 }));
    expect(signal()).to.equal('agree');
    // ...and goes with it.
    store.getState().upsertMeeting(meeting({ revision: 3, currentItemId: 'i2' }));
    expect(signal()).to.equal(null);
    // A reply to this client is this person's own: its null clears (withdrawn elsewhere).
    store.getState().setMySignal('m1', 'louder', 'i2');
    store.getState().upsertMeeting(meeting({ revision: 4, currentItemId: 'i2' }), true);
    expect(signal()).to.equal(null);
    // Another person signing in on this screen gets none of it.
    store.getState().markMeetingRevoked('m2');
    store.getState().setMe({ ...person, id: 'u1' } as never); // the same person again: kept
    expect(Object.keys(store.getState().meetings)).to.deep.equal(['m1']);
    store.getState().setMe({ ...person, id: 'u2' } as never);
    expect(store.getState().meetings).to.deep.equal({});
    expect(store.getState().meetingRevoked).to.deep.equal({});
  });
});
