/**
 * Spreads the demo over the past weeks. The commands stamp everything "now",
 * so a freshly seeded demo would say "a few seconds ago" everywhere; here each
 * discussion's timeline is spread evenly over its scene's span, in sequence
 * order, and the records each event stands for take its time: comments,
 * edits and deletions, polls, votes, closings and outcomes, reactions and
 * notifications. Only times move: no sequence, count or reference changes.
 *
 * Anonymous polls' votes all take the time of the poll's last vote, so no
 * time can tie a ballot to a timeline event. Updates go through the driver
 * (mongoose treats `createdAt` as immutable), batched per collection.
 */
import type { Collection, Types, mongo } from 'mongoose';
import { markRead } from '../../server/src/commands/discussions/read-state.js';
import { CommentModel } from '../../server/src/models/comment.js';
import { DiscussionModel } from '../../server/src/models/discussion.js';
import { EventModel, type TimelineEvent } from '../../server/src/models/event.js';
import { GroupModel } from '../../server/src/models/group.js';
import { GuestModel } from '../../server/src/models/guest.js';
import { JoinRequestModel } from '../../server/src/models/join-request.js';
import { MembershipModel } from '../../server/src/models/membership.js';
import { NotificationModel } from '../../server/src/models/notification.js';
import { PollModel } from '../../server/src/models/poll.js';
import { ReactionModel } from '../../server/src/models/reaction.js';
import { UserModel } from '../../server/src/models/user.js';
import { VoteModel } from '../../server/src/models/vote.js';
import { DAY_MS, type Scene } from './actions.js';

const daysAgo = (days: number, now: number) => new Date(now - days * DAY_MS);

/** Updates collected per collection and written in order, one round trip each. */
class Writes {
  private readonly queued = new Map<Collection, mongo.AnyBulkWriteOperation[]>();

  set(
    collection: Collection,
    filter: mongo.Filter<mongo.Document>,
    set: Record<string, Date>,
    many = false,
  ): void {
    const op = many
      ? { updateMany: { filter, update: { $set: set } } }
      : { updateOne: { filter, update: { $set: set } } };
    const ops = this.queued.get(collection) ?? [];
    ops.push(op);
    this.queued.set(collection, ops);
  }

  async flush(): Promise<void> {
    for (const [collection, ops] of this.queued) await collection.bulkWrite(ops, { ordered: true });
    this.queued.clear();
  }
}

/** What earlier events of the timeline did: edits per comment, voters per poll. */
interface Seen {
  edits: Map<string, number>;
  votes: Set<string>;
}

/** A comment's event: posted (with its reactions and notifications), edited or deleted. */
function retimeComment(
  writes: Writes,
  kind: TimelineEvent['kind'],
  commentId: Types.ObjectId,
  at: Date,
  seen: Seen,
): void {
  const comments = CommentModel.collection;
  if (kind === 'comment_posted') {
    writes.set(comments, { _id: commentId }, { createdAt: at, updatedAt: at });
    writes.set(ReactionModel.collection, { commentId }, { createdAt: at }, true);
    writes.set(NotificationModel.collection, { commentId }, { createdAt: at }, true);
  } else if (kind === 'comment_edited') {
    // The n-th edit of a comment pushed its n-th history entry.
    const n = seen.edits.get(String(commentId)) ?? 0;
    seen.edits.set(String(commentId), n + 1);
    writes.set(
      comments,
      { _id: commentId, [`history.${n}`]: { $exists: true } },
      { editedAt: at, [`history.${n}.editedAt`]: at, updatedAt: at },
    );
  } else if (kind === 'comment_deleted') {
    writes.set(comments, { _id: commentId }, { deletedAt: at, updatedAt: at });
  }
}

/** A poll's event: created, a vote cast, closed, or its outcome published. */
function retimePoll(
  writes: Writes,
  event: TimelineEvent,
  pollId: Types.ObjectId,
  at: Date,
  seen: Seen,
): void {
  const polls = PollModel.collection;
  const { actorId } = event;
  switch (event.kind) {
    case 'poll_created':
      writes.set(polls, { _id: pollId }, { createdAt: at, updatedAt: at });
      return;
    case 'vote_cast': {
      if (actorId === null) {
        // Anonymous: every ballot of the poll ends with the time of its last vote.
        writes.set(VoteModel.collection, { pollId }, { createdAt: at, updatedAt: at }, true);
        return;
      }
      const key = `${String(pollId)}:${String(actorId)}`;
      const first = !seen.votes.has(key);
      seen.votes.add(key);
      const times: Record<string, Date> = first
        ? { createdAt: at, updatedAt: at }
        : { updatedAt: at };
      writes.set(VoteModel.collection, { pollId, userId: actorId }, times);
      return;
    }
    case 'poll_closed': {
      // The job closes at the closing time; a person closed early, a day ahead of it.
      const closesAt = actorId === null ? at : new Date(at.getTime() + DAY_MS);
      writes.set(polls, { _id: pollId }, { closedAt: at, closesAt, updatedAt: at });
      return;
    }
    case 'outcome_published':
      writes.set(polls, { _id: pollId }, { 'outcome.createdAt': at, updatedAt: at });
      writes.set(
        NotificationModel.collection,
        { pollId, kind: 'outcome' },
        { createdAt: at },
        true,
      );
      return;
    default:
      return;
  }
}

/** Spreads one discussion's timeline over its scene's span. */
export async function backdateScene(scene: Scene, now = Date.now()): Promise<void> {
  const events = await EventModel.find({ discussionId: scene.discussion._id })
    .sort({ sequence: 1 })
    .lean();
  if (events.length === 0) return;
  const start = daysAgo(scene.span[0], now).getTime();
  const end = daysAgo(scene.span[1], now).getTime();
  const step = events.length > 1 ? (end - start) / (events.length - 1) : 0;
  const seen: Seen = { edits: new Map(), votes: new Set() };
  const writes = new Writes();
  const discussions = DiscussionModel.collection;
  let at = new Date(start);
  for (const [i, event] of events.entries()) {
    at = new Date(Math.round(start + step * i));
    writes.set(EventModel.collection, { _id: event._id }, { createdAt: at });
    if (event.commentId !== null) retimeComment(writes, event.kind, event.commentId, at, seen);
    else if (event.pollId !== null) retimePoll(writes, event, event.pollId, at, seen);
    else if (event.kind === 'discussion_closed')
      writes.set(discussions, { _id: event.discussionId }, { closedAt: at });
  }
  const first = new Date(start);
  writes.set(
    discussions,
    { _id: scene.discussion._id },
    {
      createdAt: first,
      updatedAt: at,
      lastActivityAt: at,
      ...(scene.discussion.pinnedAt ? { pinnedAt: first } : {}),
    },
  );
  await writes.flush();
}

/**
 * Each person has read a discussion up to the last thing they did in it, as
 * they would have; what others did since shows as unread in their inbox.
 */
export async function readUpToOwnActivity(scene: Scene): Promise<void> {
  const events = await EventModel.find(
    { discussionId: scene.discussion._id, actorId: { $ne: null } },
    { actorId: 1, sequence: 1 },
  ).lean();
  const last = new Map<string, { userId: Types.ObjectId; sequence: number }>();
  for (const event of events) {
    if (event.actorId === null) continue;
    const seen = last.get(String(event.actorId));
    if (!seen || seen.sequence < event.sequence)
      last.set(String(event.actorId), { userId: event.actorId, sequence: event.sequence });
  }
  for (const { userId, sequence } of last.values()) {
    await markRead({ userId, discussionId: scene.discussion._id, sequence });
  }
}

/**
 * People joined weeks ago, groups and rosters soon after; the join request is
 * recent. Every record counts: the seed runs only on a database without users.
 */
export async function backdateFoundations(now = Date.now()): Promise<void> {
  const set = (days: number) => ({
    $set: { createdAt: daysAgo(days, now), updatedAt: daysAgo(days, now) },
  });
  await UserModel.collection.updateMany({}, set(45));
  await GroupModel.collection.updateMany({}, set(42));
  await MembershipModel.collection.updateMany({}, set(41));
  await GuestModel.collection.updateMany({}, { $set: { createdAt: daysAgo(18, now) } });
  await JoinRequestModel.collection.updateMany({}, { $set: { createdAt: daysAgo(1, now) } });
}
