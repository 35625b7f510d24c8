/**
 * From a database change to the sockets allowed to see it: resolve the audience
 * (the discussion), present the record once per view that has sockets on this
 * process, and emit to that view's room. Route handlers never emit; this is the
 * only road from a write to a socket.
 */
import type { Types } from 'mongoose';
import type { View } from '../../../shared/domain.js';
import { loadViewer, VISITOR } from '../auth/viewer.js';
import { presentCommentsFor } from '../commands/comments/view.js';
import { loadDiscussion, type LoadedDiscussion } from '../commands/discussions/load.js';
import { loadPeople } from '../commands/discussions/people.js';
import { CommentModel, type Comment } from '../models/comment.js';
import { PollModel } from '../models/poll.js';
import { canSeeVoteEvents } from '../policies/poll.js';
import type { TimelineEvent } from '../models/event.js';
import { UserModel } from '../models/user.js';
import { canReadDiscussion } from '../policies/discussion.js';
import { presentEvent } from '../presenters/event.js';
import { presentDiscussionFor } from '../commands/discussions/view.js';
import { presentNotification } from '../presenters/notification.js';
import type { Notification } from '../models/notification.js';
import type { Vote } from '../models/vote.js';
import { fanOutPoll, fanOutVote } from './fanout-polls.js';
import type { FeedChange } from './change-feed.js';
import type { QuorumServer, QuorumSocket } from './io.js';
import type { TimelineGate } from './timeline-gate.js';
import { DISCUSSION_VIEWS, discussionRoom, userRoom, viewerOfView } from './rooms.js';

/** The collections whose changes reach sockets. */
export const FANOUT_COLLECTIONS = [
  'events',
  'comments',
  'polls',
  'votes',
  'notifications',
  'discussions',
];

function localRooms(io: QuorumServer, discussionId: string): Array<{ view: View; room: string }> {
  const rooms = io.of('/').adapter.rooms;
  return DISCUSSION_VIEWS.map((view) => ({
    view,
    room: discussionRoom(discussionId, view),
  })).filter(({ room }) => rooms.has(room));
}

/** Visitors' rooms only receive what a visitor may read now (a discussion can turn private). */
function audience(io: QuorumServer, loaded: LoadedDiscussion): Array<{ view: View; room: string }> {
  const rooms = localRooms(io, String(loaded.discussion._id));
  return rooms.filter(({ view, room }) => {
    if (view !== 'visitor' || canReadDiscussion(VISITOR, loaded.discussion, loaded.group))
      return true;
    io.in(room).socketsLeave(room);
    return false;
  });
}

/**
 * The rooms a timeline event goes to: every view, except that a vote goes to
 * none while the poll's results are hidden from views (whose stand-in viewer
 * has not voted; the rule does not depend on the role) or the poll is
 * anonymous. See timeline-view.ts; new votes of such polls reach the timeline
 * only once everyone may see them anyway.
 */
async function audienceOfEvent(
  io: QuorumServer,
  event: TimelineEvent,
  loaded: LoadedDiscussion,
): Promise<Array<{ view: View; room: string }>> {
  const rooms = audience(io, loaded);
  if (event.kind !== 'vote_cast' || rooms.length === 0) return rooms;
  const poll = event.pollId ? await PollModel.findById(event.pollId).lean() : null;
  return poll && canSeeVoteEvents(poll, false) ? rooms : [];
}

async function fanOutEvent(
  io: QuorumServer,
  event: TimelineEvent,
  gate: TimelineGate,
): Promise<void> {
  const loaded = await loadDiscussion(String(event.discussionId));
  if (!loaded) return;
  const heldComments = await heldCommentOf(event);
  const rooms = (await audienceOfEvent(io, event, loaded))
    .filter(({ view }) => view === 'coordinator' || !heldComments.has(event.commentId))
    .map(({ room }) => room);
  if (rooms.length === 0) return;
  const people = await loadPeople([event.actorId]);
  const dto = presentEvent(event, people);
  // A timeline entry reads the same in every view that may see it: one payload, encoded once.
  if (gate.broadcastable(dto)) return void io.local.to(rooms).emit('timeline:event', dto);
  // Around a catch-up: socket by socket, so nobody gets an event twice.
  const sockets = (await io.local.in(rooms).fetchSockets()) as unknown as QuorumSocket[];
  for (const socket of sockets) gate.deliver(socket, dto);
}

async function fanOutComment(io: QuorumServer, commentId: Types.ObjectId): Promise<void> {
  const comment = await CommentModel.findById(commentId);
  if (!comment) return;
  const loaded = await loadDiscussion(String(comment.discussionId));
  if (!loaded) return;
  for (const { view, room } of audience(io, loaded)) {
    // A held comment reaches its author and the moderators only (moderation/visibility.ts).
    if (comment.heldAt && view !== 'coordinator') continue;
    const [dto] = await presentCommentsFor(
      viewerOfView(view, loaded.discussion),
      [comment],
      loaded,
    );
    io.local.to(room).emit('comment:upserted', dto);
  }
  // The author's own abilities (edit, delete) and client id go to the author alone.
  const authorRoom = userRoom(String(comment.authorId));
  if (io.of('/').adapter.rooms.has(authorRoom)) {
    const author = await UserModel.findById(comment.authorId);
    if (!author) return;
    const viewer = await loadViewer(author);
    if (!canReadDiscussion(viewer, loaded.discussion, loaded.group)) return;
    const [own] = await presentCommentsFor(viewer, [comment], loaded);
    io.local.to(authorRoom).emit('comment:upserted', own);
  }
}

/** A new notification goes to its recipient's sockets, naming only what they may still read. */
async function fanOutNotification(io: QuorumServer, notification: Notification): Promise<void> {
  const room = userRoom(String(notification.userId));
  if (!io.of('/').adapter.rooms.has(room)) return;
  const user = await UserModel.findById(notification.userId);
  if (!user) return;
  const loaded = notification.discussionId
    ? await loadDiscussion(String(notification.discussionId))
    : null;
  const readable =
    loaded !== null && canReadDiscussion(await loadViewer(user), loaded.discussion, loaded.group);
  const hidden = notification.discussionId !== null && !readable;
  const people = await loadPeople([notification.actorId]);
  io.local.to(room).emit(
    'notification:new',
    presentNotification(notification, {
      actor: notification.actorId && !hidden ? people(notification.actorId) : null,
      discussion: readable ? loaded.discussion : null,
    }),
  );
}

/** The held comment an event is about, if any (its event goes to moderators' rooms only). */
async function heldCommentOf(event: TimelineEvent): Promise<Set<unknown>> {
  if (!event.commentId) return new Set();
  const held = await CommentModel.exists({ _id: event.commentId, heldAt: { $ne: null } });
  return held ? new Set([event.commentId]) : new Set();
}

/** Bookkeeping every comment touches; a change of only these shows nothing new to anyone. */
const DISCUSSION_BOOKKEEPING = new Set(['lastSequence', 'lastActivityAt', 'updatedAt']);

/** Whether a discussion change alters what anyone sees (its timeline event carries the rest). */
export function isVisibleDiscussionChange(change: FeedChange): boolean {
  if (change.operationType !== 'update') return true;
  const fields = [...Object.keys(change.updatedFields ?? {}), ...(change.removedFields ?? [])];
  return fields.some((field) => !DISCUSSION_BOOKKEEPING.has(field));
}

/** A discussion changed: each view present here gets it as that view sees it. */
async function fanOutDiscussion(io: QuorumServer, discussionId: string): Promise<void> {
  const loaded = await loadDiscussion(discussionId);
  if (!loaded) return;
  for (const { view, room } of audience(io, loaded)) {
    const dto = await presentDiscussionFor(viewerOfView(view, loaded.discussion), loaded);
    io.local.to(room).emit('discussion:upserted', { ...dto, readState: null });
  }
}

/** Fields of a poll that only votes write; the vote's own change carries it (see fanOutVote). */
const POLL_VOTE_BOOKKEEPING = new Set(['voterCount', 'unpublishedVotes']);
/** Fields of a vote that only closing and tally batches write; the poll's change carries them. */
const VOTE_BOOKKEEPING = new Set(['announcedAt', 'published']);

/** Whether an update touched nothing but the given fields. */
function onlyTouches(change: FeedChange, fields: Set<string>): boolean {
  if (change.operationType !== 'update') return false;
  const touched = [...Object.keys(change.updatedFields ?? {}), ...(change.removedFields ?? [])];
  return touched.every((field) => fields.has(field.split('.')[0]));
}

/** Handles one change from the feed. */
export async function fanOut(
  io: QuorumServer,
  change: FeedChange,
  gate: TimelineGate,
): Promise<void> {
  if (change.collection === 'discussions' && change.operationType === 'update') {
    await fanOutDiscussion(io, String(change.documentKey));
  } else if (change.collection === 'polls' && change.operationType !== 'delete') {
    if (!onlyTouches(change, POLL_VOTE_BOOKKEEPING))
      await fanOutPoll(io, change.documentKey as Types.ObjectId);
  } else if (change.collection === 'votes') {
    if (onlyTouches(change, VOTE_BOOKKEEPING)) return;
    const vote = change.fullDocument as unknown as Vote | null;
    await fanOutVote(io, vote, vote?.pollId ?? null);
  } else if (
    change.collection === 'notifications' &&
    change.operationType === 'insert' &&
    change.fullDocument
  ) {
    await fanOutNotification(io, change.fullDocument as unknown as Notification);
  } else if (
    change.collection === 'events' &&
    change.operationType === 'insert' &&
    change.fullDocument
  ) {
    await fanOutEvent(io, change.fullDocument as unknown as TimelineEvent, gate);
  } else if (change.collection === 'comments' && change.operationType !== 'delete') {
    await fanOutComment(
      io,
      (change.fullDocument as unknown as Comment | null)?._id ??
        (change.documentKey as Types.ObjectId),
    );
  }
}
