import { expect } from 'chai';
import type { CommentDto, TimelineEventDto } from '../../../../shared/dto.js';
import type { EventKind } from '../../../../shared/domain.js';
import { summarizeRun } from './timeline-words.js';
import { buildTimeline, type LineItem, type TimelineItem } from './timeline-items.js';

const person = (id: string, name: string) => ({
  id,
  name,
  handle: id,
  avatarUrl: null,
  status: 'active' as const,
});
const ada = person('u1', 'Ada Lovelace');
const ben = person('u2', 'Ben Okri');
const cleo = person('u3', 'Cleo Diallo');

// Noon local time, so a day's votes share a local calendar day wherever the test runs.
const at = (day: number, minute = 0) => new Date(2026, 10, day, 12, minute).toISOString();

function event(
  sequence: number,
  kind: EventKind,
  actor: TimelineEventDto['actor'] = ada,
  pollId: string | null = 'p1',
  createdAt = at(2, sequence),
): TimelineEventDto {
  return {
    id: `e${sequence}`,
    discussionId: 'd1',
    sequence,
    kind,
    actor,
    commentId: null,
    pollId,
    createdAt,
  };
}

function comment(sequence: number): CommentDto {
  return {
    id: `c${sequence}`,
    discussionId: 'd1',
    parentId: null,
    author: ada,
    body: `Comment ${sequence}`,
    deleted: false,
    deletedAt: null,
    edited: false,
    editedAt: null,
    sequence,
    createdAt: at(2, sequence),
    updatedAt: at(2, sequence),
    clientId: null,
    reactions: [],
    abilities: { canEdit: true, canDelete: true, canReact: true, canReply: true },
  };
}

const shape = (items: TimelineItem[]) =>
  items.map((i) =>
    i.type === 'votes'
      ? `votes:${i.pollId}@${i.sequence}x${i.events.length}`
      : i.type === 'activity'
        ? `activity(${i.lines.length})@${i.sequence}`
        : `${i.type}@${i.sequence}`,
  );

describe('timeline items: votes and runs of updates fold', () => {
  it('folds the votes on one poll within a day into one line where the first fell', () => {
    const { items } = buildTimeline(
      [comment(2), comment(5)],
      [
        event(1, 'vote_cast', ben),
        event(3, 'vote_cast', cleo),
        event(4, 'vote_cast', ben, 'p2'),
        event(6, 'vote_cast', ada),
        // The next day, the same poll gets a line of its own.
        event(7, 'vote_cast', ben, 'p1', at(3)),
      ],
    );
    expect(shape(items)).to.deep.equal([
      'votes:p1@1x3',
      'thread@2',
      'votes:p2@4x1',
      'thread@5',
      'votes:p1@7x1',
    ]);
  });

  it('folds a run of four or more lines into one summary, and keeps shorter runs as they are', () => {
    const created = [1, 2, 3].map((n) => event(n, 'poll_created', ada, `p${n}`));
    const three = buildTimeline([comment(4)], created).items;
    expect(shape(three)).to.deep.equal(['event@1', 'event@2', 'event@3', 'thread@4']);

    const four = buildTimeline(
      [comment(6)],
      [...created, event(4, 'vote_cast', ben, 'p1'), event(5, 'poll_closed', ada, 'p2')],
    ).items;
    expect(shape(four)).to.deep.equal(['activity(5)@5', 'thread@6']);
    // A comment in the middle breaks the run.
    const split = buildTimeline(
      [comment(3)],
      [...created.slice(0, 2), event(4, 'poll_created', ada, 'p4'), event(5, 'vote_cast', ben)],
    ).items;
    expect(shape(split)).to.deep.equal([
      'event@1',
      'event@2',
      'thread@3',
      'event@4',
      'votes:p1@5x1',
    ]);
  });

  it('says what a run holds in a few words, from its own lines only', () => {
    const created = [1, 2, 3].map((n) => event(n, 'poll_created', ada, `p${n}`));
    const items = buildTimeline(
      [],
      [
        ...created,
        event(4, 'vote_cast', ben, 'p1'),
        event(5, 'vote_cast', cleo, 'p2'),
        event(6, 'poll_closed', null, 'p1'),
        event(7, 'outcome_published', ada, 'p1'),
      ],
    ).items;
    expect(items).to.have.length(1);
    const run = items[0] as { lines: LineItem[] };
    const titles: Record<string, string> = { p1: 'Roof', p2: 'Paint', p3: 'Garden' };
    expect(summarizeRun(run.lines, (id) => (id ? (titles[id] ?? null) : null))).to.equal(
      'Ada Lovelace started 3 polls · votes on 2 polls · 1 poll closed · 1 outcome shared',
    );
  });
});
