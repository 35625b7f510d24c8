/**
 * From a database change to the sockets allowed to see it: resolve the audience
 * (the discussion), present the record once per view that has sockets on this
 * process, and emit to that view's room. Route handlers never emit; this is the
 * only road from a write to a socket.
 */
import type { Types } from 'mongoose';
import type { View } from '../../../shared/domain.js';
import type { LiveTimelineEvent } from '../../../shared/events.js';
import { VISITOR } from '../auth/viewer.js';
import {
  loadCommentExtras,
  presentCommentsFrom,
  type CommentExtras,
} from '../commands/comments/view.js';
import type { LoadedDiscussion } from '../commands/discussions/load.js';
import { CommentModel, type CommentDocument } from '../models/comment.js';
import { MembershipModel } from '../models/membership.js';
import { canModerateGroup, isWithheld } from '../policies/moderation.js';
import { canSeeVoteEvents } from '../policies/poll.js';
import type { TimelineEvent } from '../models/event.js';
import { canReadDiscussion } from '../policies/discussion.js';
import { presentEvent } from '../presenters/event.js';
import { loadMinutesOf } from '../meetings/minutes-events.js';
import { presentDiscussionFor } from '../commands/discussions/view.js';
import { presentNotification } from '../presenters/notification.js';
import type { Notification } from '../models/notification.js';
import type { Vote } from '../models/vote.js';
import { FanoutContext } from './fanout-context.js';
import { isDiscussionBookkeeping, type FanoutRecords } from './fanout-records.js';
import { fanOutVote, tallyForEntry } from './fanout-polls.js';
import type { PollPublishing } from './poll-publishing.js';
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
  ctx: FanoutContext,
  event: TimelineEvent,
  loaded: LoadedDiscussion,
): Promise<Array<{ view: View; room: string }>> {
  const rooms = audience(ctx.io, loaded);
  if (event.kind !== 'vote_cast' || rooms.length === 0) return rooms;
  const poll = event.pollId ? await ctx.pollRules(event.pollId) : null;
  return poll && canSeeVoteEvents(poll, false) ? rooms : [];
}

/**
 * A timeline entry goes to every view that may see it. A new comment rides on
 * its `comment_posted` entry, presented for each view, so a watcher gets one
 * message for it, not two; a held one reaches the moderators' view only (its
 * author has it through their own room, see fanOutComment).
 */
async function fanOutEvent(
  ctx: FanoutContext,
  event: TimelineEvent,
  gate: TimelineGate,
): Promise<void> {
  const io = ctx.io;
  const loaded = await ctx.discussion(event.discussionId);
  if (!loaded) return;
  // A comment this process just posted is not read back (taken here, watched or not).
  const justPosted =
    event.kind === 'comment_posted' && event.commentId
      ? ctx.records.takePosted(event.commentId)
      : null;
  // Nobody here sees the discussion (or the vote): nothing to read or present.
  const watching = await audienceOfEvent(ctx, event, loaded);
  if (watching.length === 0) return;
  // Committed with the event, so it is there (unless deleted since: then the entry goes alone).
  const comment =
    justPosted ?? (event.commentId ? await CommentModel.findById(event.commentId) : null);
  const held = (comment?.heldAt ?? null) !== null;
  const rooms = watching.filter(({ view }) => view === 'coordinator' || !held);
  if (rooms.length === 0) return;
  const posted = event.kind === 'comment_posted' ? comment : null;
  // The comment's people first: the actor is among them, so it is not read twice.
  const extras = posted
    ? await loadCommentExtras([posted], ctx.people, { justPosted: true })
    : null;
  const dto = presentEvent(event, await ctx.people([event.actorId]), await loadMinutesOf([event]));
  // A vote's entry carries its poll's tally, as each view sees it (fanout-polls.ts).
  const tallies =
    event.kind === 'vote_cast' && event.pollId
      ? await tallyForEntry(ctx, event.pollId, loaded, rooms)
      : null;
  const payloads = rooms.map(({ view, room }): { room: string; event: LiveTimelineEvent } => {
    const poll = tallies?.get(room);
    if (!posted || !extras) return { room, event: poll ? { ...dto, poll } : dto };
    const viewer = viewerOfView(view, loaded.discussion);
    const [presented] = presentCommentsFrom(viewer, [posted], loaded, extras);
    return { room, event: { ...dto, comment: presented } };
  });
  if (gate.broadcastable(dto)) {
    // The same entry in every view: one payload, encoded once; with a comment or a tally, once per view.
    if (payloads.every(({ event: payload }) => payload === dto))
      return void io.local.to(rooms.map(({ room }) => room)).emit('timeline:event', dto);
    for (const { room, event: payload } of payloads)
      io.local.to(room).emit('timeline:event', payload);
    return;
  }
  // Around a catch-up: socket by socket, so nobody gets an entry (or its comment) twice.
  for (const { room, event: payload } of payloads) {
    const sockets = (await io.local.in(room).fetchSockets()) as unknown as QuorumSocket[];
    for (const socket of sockets) gate.deliver(socket, payload);
  }
}

/**
 * A comment changed: its reactions and people are read once, and every view
 * present here, and the author (with their own abilities and client id), gets
 * it presented from memory. A new comment reaches the views on its timeline
 * entry (fanOutEvent), so here it goes to its author's own sockets only.
 */
async function fanOutComment(
  ctx: FanoutContext,
  comment: CommentDocument,
  created: boolean,
): Promise<void> {
  const io = ctx.io;
  const authors = await ctx.socketsOf(comment.authorId);
  const withheld = isWithheld(comment);
  if (created && authors.length === 0 && !withheld) return;
  const loaded = await ctx.discussion(comment.discussionId);
  if (!loaded) return;
  // A held comment reaches its author and the moderators only (moderation/visibility.ts).
  const rooms = created
    ? []
    : audience(io, loaded).filter(({ view }) => !comment.heldAt || view === 'coordinator');
  if (rooms.length === 0 && authors.length === 0 && !withheld) return;
  const extras = await loadCommentExtras([comment], ctx.people);
  for (const { view, room } of rooms) {
    const viewer = viewerOfView(view, loaded.discussion);
    const [dto] = presentCommentsFrom(viewer, [comment], loaded, extras);
    io.local.to(room).emit('comment:upserted', dto);
  }
  if (withheld) await toNamedModerators(ctx, comment, loaded, extras);
  // The author's own abilities (edit, delete) and client id go to the author alone.
  if (authors.length === 0) return;
  const viewer = authors[0].data.viewer;
  if (!canReadDiscussion(viewer, loaded.discussion, loaded.group)) return;
  const [own] = presentCommentsFrom(viewer, [comment], loaded, extras);
  io.local.to(userRoom(String(comment.authorId))).emit('comment:upserted', own);
}

/**
 * A held or hidden comment for the moderators a group's coordinators named:
 * they watch in the member room (a moderator is not a coordinator), which
 * gets a placeholder or nothing, so each gets the comment as they may see it
 * in their own room, after the room's copy (clients keep the latest), as its
 * author does. Rare (only withheld comments), hence one query here.
 */
async function toNamedModerators(
  ctx: FanoutContext,
  comment: CommentDocument,
  loaded: LoadedDiscussion,
  extras: CommentExtras,
): Promise<void> {
  if (!loaded.group) return;
  const named = await MembershipModel.find(
    { groupId: loaded.group._id, moderator: true, userId: { $ne: comment.authorId } },
    { userId: 1 },
  ).lean();
  for (const { userId } of named) {
    const sockets = await ctx.socketsOf(userId);
    if (sockets.length === 0) continue;
    const viewer = sockets[0].data.viewer;
    if (!canModerateGroup(viewer, loaded.group)) continue;
    if (!canReadDiscussion(viewer, loaded.discussion, loaded.group)) continue;
    const [dto] = presentCommentsFrom(viewer, [comment], loaded, extras);
    ctx.io.local.to(userRoom(String(userId))).emit('comment:upserted', dto);
  }
}

/** A new notification goes to its recipient's sockets, naming only what they may still read. */
async function fanOutNotification(ctx: FanoutContext, notification: Notification): Promise<void> {
  const sockets = await ctx.socketsOf(notification.userId);
  if (sockets.length === 0) return;
  const loaded = notification.discussionId ? await ctx.discussion(notification.discussionId) : null;
  const readable =
    loaded !== null && canReadDiscussion(sockets[0].data.viewer, loaded.discussion, loaded.group);
  const hidden = notification.discussionId !== null && !readable;
  const people = await ctx.people([notification.actorId]);
  ctx.io.local.to(userRoom(String(notification.userId))).emit(
    'notification:new',
    presentNotification(notification, {
      actor: notification.actorId && !hidden ? people(notification.actorId) : null,
      discussion: readable ? loaded.discussion : null,
    }),
  );
}

/** Whether a discussion change alters what anyone sees (its timeline event carries the rest). */
export function isVisibleDiscussionChange(change: FeedChange): boolean {
  return !isDiscussionBookkeeping(change);
}

/** A discussion changed: each view present here gets it as that view sees it. */
async function fanOutDiscussion(ctx: FanoutContext, discussionId: string): Promise<void> {
  const io = ctx.io;
  const loaded = await ctx.discussion(discussionId);
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

/** What the fan-out keeps on this process from one change to the next. */
export interface FanoutState {
  io: QuorumServer;
  gate: TimelineGate;
  /** Discussions, groups and people, kept true by the feed (fanout-records.ts). */
  records: FanoutRecords;
  /** Polls' presentations, a few per second per poll at most (poll-publishing.ts). */
  polls: PollPublishing;
}

/**
 * Handles one change from the feed, in the feed's order; everything it reads
 * is read once (see fanout-context.ts), and what does not change from one
 * write to the next is not read again (fanout-records.ts).
 */
export async function fanOut(state: FanoutState, change: FeedChange): Promise<void> {
  const { io, gate } = state;
  const ctx = new FanoutContext(io, state.records);
  if (change.collection === 'discussions' && change.operationType === 'update') {
    await fanOutDiscussion(ctx, String(change.documentKey));
  } else if (change.collection === 'polls' && change.operationType !== 'delete') {
    if (!onlyTouches(change, POLL_VOTE_BOOKKEEPING))
      await state.polls.change(change.documentKey as Types.ObjectId);
  } else if (change.collection === 'votes') {
    if (onlyTouches(change, VOTE_BOOKKEEPING)) return;
    const vote = change.fullDocument as unknown as Vote | null;
    await fanOutVote(ctx, state.polls, vote, vote?.pollId ?? null);
  } else if (
    change.collection === 'notifications' &&
    change.operationType === 'insert' &&
    change.fullDocument
  ) {
    await fanOutNotification(ctx, change.fullDocument as unknown as Notification);
  } else if (
    change.collection === 'events' &&
    change.operationType === 'insert' &&
    change.fullDocument
  ) {
    await fanOutEvent(ctx, change.fullDocument as unknown as TimelineEvent, gate);
  } else if (change.collection === 'comments' && change.operationType !== 'delete') {
    // The change carries the comment as it is now (looked up for updates): no need to read it again.
    const comment = change.fullDocument
      ? CommentModel.hydrate(change.fullDocument)
      : await CommentModel.findById(change.documentKey);
    if (comment) await fanOutComment(ctx, comment, change.operationType === 'insert');
  }
}
