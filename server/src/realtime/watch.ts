/**
 * Watching a discussion: the server checks the same policy as REST, puts the
 * socket in the room of its view, and answers with everything after the
 * sequence the client last saw, presented for that view, so a reconnecting
 * client continues without gaps or duplicates.
 */
import { z } from 'zod';
import type { DiscussionCatchUp } from '../../../shared/events.js';
import { presentCommentsFor, receivableComments } from '../commands/comments/view.js';
import type { loadReadableDiscussion } from '../commands/discussions/load.js';
import { loadReadableHeldDiscussion } from '../commands/discussions/load-held.js';
import { loadPeople } from '../commands/discussions/people.js';
import { timelineFilterFor } from '../commands/discussions/timeline-view.js';
import { CommentModel } from '../models/comment.js';
import { DiscussionModel } from '../models/discussion.js';
import { EventModel } from '../models/event.js';
import { presentEvent } from '../presenters/event.js';
import { heldRecords } from './fanout-records.js';
import { loadMinutesOf } from '../meetings/minutes-events.js';
import { objectId, type ClientEventHandlers } from './client-events.js';
import type { QuorumSocket } from './io.js';
import { DISCUSSION_VIEWS, discussionRoom, discussionViewOf } from './rooms.js';
import type { TimelineGate } from './timeline-gate.js';

/**
 * The most timeline events one catch-up replays. A client that missed more
 * gets `truncated: true` and nothing else, read without touching the missed
 * events, and reloads the discussion over REST: a reply stays small and cheap
 * however far behind (or however made-up) the position it sends.
 */
export const CATCH_UP_LIMIT = 100;

const watchSchema = z.strictObject({
  discussionId: objectId,
  afterSequence: z.number().int().min(0).optional(),
});
const unwatchSchema = z.strictObject({ discussionId: objectId });

/** Joins the room of the socket's view and reads what it missed; live events wait at the gate meanwhile. */
async function catchUp(
  socket: QuorumSocket,
  request: z.infer<typeof watchSchema>,
  gate: TimelineGate,
): Promise<DiscussionCatchUp> {
  const viewer = socket.data.viewer;
  // Held (the feed keeps it true, and the access tracker re-checks this room when it changes).
  const { discussion, group } = await loadReadableHeldDiscussion(viewer, request.discussionId);
  const id = String(discussion._id);
  gate.begin(socket, id);
  let covered: number | null = null;
  try {
    const view = discussionViewOf(viewer, discussion);
    await socket.join(discussionRoom(id, view));
    for (const other of DISCUSSION_VIEWS)
      if (other !== view) await socket.leave(discussionRoom(id, other));
    const result = await readMissed(socket, request, { discussion, group });
    covered = result.lastSequence;
    return result;
  } finally {
    gate.settle(socket, id, covered);
  }
}

async function readMissed(
  socket: QuorumSocket,
  request: z.infer<typeof watchSchema>,
  { discussion, group }: Awaited<ReturnType<typeof loadReadableDiscussion>>,
): Promise<DiscussionCatchUp> {
  const viewer = socket.data.viewer;
  // Taken once the socket is already in its room, so no later entry can be missed: as the
  // feed has seen it, or read, when the feed has not seen the discussion move or the client
  // says it is further (it loaded the page since, or the database was restored).
  const fed = heldRecords()?.fedSequence(discussion._id);
  const now =
    fed !== undefined && (request.afterSequence ?? fed) <= fed
      ? fed
      : ((await DiscussionModel.findById(discussion._id, { lastSequence: 1 }).lean())
          ?.lastSequence ?? discussion.lastSequence);
  // Without a position, "from now": every later event reaches the feed after the join and
  // arrives live through the gate, so there is nothing else to read. The same for a client
  // already at the last sequence, as after loading the page, or past it (a restored database).
  if (request.afterSequence === undefined || request.afterSequence >= now)
    return {
      discussionId: String(discussion._id),
      events: [],
      comments: [],
      lastSequence: now,
      truncated: false,
    };
  const after = request.afterSequence;
  if (now - after > CATCH_UP_LIMIT)
    return {
      discussionId: String(discussion._id),
      events: [],
      comments: [],
      lastSequence: now,
      truncated: true,
    };
  const events = await EventModel.find({ discussionId: discussion._id, sequence: { $gt: after } })
    .sort({ sequence: 1 })
    .limit(CATCH_UP_LIMIT + 1);
  const truncated = events.length > CATCH_UP_LIMIT;
  const shown = events.slice(0, CATCH_UP_LIMIT);
  const commentIds = shown.map((event) => event.commentId).filter((id) => id !== null);
  const comments =
    commentIds.length > 0
      ? await CommentModel.find({ _id: { $in: commentIds } }).sort({ sequence: 1 })
      : [];
  const sees = await timelineFilterFor(viewer, shown);
  const people = await loadPeople(shown.filter(sees).map((event) => event.actorId));
  const minutesOf = await loadMinutesOf(shown.filter(sees));
  return {
    discussionId: String(discussion._id),
    events: shown.filter(sees).map((event) => presentEvent(event, people, minutesOf)),
    comments: await presentCommentsFor(viewer, receivableComments(viewer, comments, group), {
      discussion,
      group,
    }),
    // What was read, hidden events included: the client continues from there, not from a gap.
    lastSequence: shown.at(-1)?.sequence ?? after,
    truncated,
  };
}

/** The handlers of `discussion:watch` and `discussion:unwatch` (registered by client-events.ts). */
export function discussionWatchHandlers(
  gate: TimelineGate,
): Pick<ClientEventHandlers, 'discussion:watch' | 'discussion:unwatch'> {
  return {
    'discussion:watch': {
      schema: watchSchema,
      watches: (request) => ({ kind: 'discussion', id: request.discussionId }),
      handle: (socket, request) => catchUp(socket, request, gate),
    },
    'discussion:unwatch': {
      schema: unwatchSchema,
      handle: async (socket, { discussionId }) => {
        for (const view of DISCUSSION_VIEWS) await socket.leave(discussionRoom(discussionId, view));
        gate.forget(socket, discussionId);
        return null;
      },
    },
  };
}
