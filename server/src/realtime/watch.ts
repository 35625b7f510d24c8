/**
 * Watching a discussion: the server checks the same policy as REST, puts the
 * socket in the room of its view, and answers with everything after the
 * sequence the client last saw, presented for that view, so a reconnecting
 * client continues without gaps or duplicates.
 */
import { z } from 'zod';
import type { AckResponse, DiscussionCatchUp } from '../../../shared/events.js';
import { presentCommentsFor } from '../commands/comments/view.js';
import { loadReadableDiscussion } from '../commands/discussions/load.js';
import { loadPeople } from '../commands/discussions/people.js';
import { timelineFilterFor } from '../commands/discussions/timeline-view.js';
import { HttpError, isHttpError, ValidationError } from '../errors.js';
import { CommentModel } from '../models/comment.js';
import { DiscussionModel } from '../models/discussion.js';
import { EventModel } from '../models/event.js';
import { presentEvent } from '../presenters/event.js';
import type { QuorumServer, QuorumSocket } from './io.js';
import { DISCUSSION_VIEWS, discussionRoom, discussionViewOf } from './rooms.js';
import type { TimelineGate } from './timeline-gate.js';

export const CATCH_UP_LIMIT = 500;

/** A 24-hex id in a socket event (anything else is a validation error, never a query). */
export const objectId = z.string().regex(/^[0-9a-f]{24}$/, 'Must be an id');
const watchSchema = z.strictObject({
  discussionId: objectId,
  afterSequence: z.number().int().min(0).optional(),
});
const unwatchSchema = z.strictObject({ discussionId: objectId });

/** Validates a socket event's payload like REST input: a ValidationError naming the field. */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw ValidationError(issue.path.join('.') || 'request', issue.message);
}

/** Runs a handler and answers its acknowledgement with `{ data }` or a client-safe `{ error }`. */
export function answer<T>(ack: unknown, run: () => Promise<T>): void {
  const reply =
    typeof ack === 'function' ? (ack as (response: AckResponse<T>) => void) : () => undefined;
  Promise.resolve()
    .then(run)
    .then(
      (data) => reply({ data }),
      (error: unknown) => {
        const known: HttpError = isHttpError(error)
          ? error
          : new HttpError('internal_error', 500, 'Something went wrong');
        reply({
          error: {
            id: known.id,
            message: known.message,
            ...(known.field ? { field: known.field } : {}),
          },
        });
      },
    );
}

/** Joins the room of the socket's view and reads what it missed; live events wait at the gate meanwhile. */
async function catchUp(
  socket: QuorumSocket,
  request: z.infer<typeof watchSchema>,
  gate: TimelineGate,
): Promise<DiscussionCatchUp> {
  const viewer = socket.data.viewer;
  const { discussion, group } = await loadReadableDiscussion(viewer, request.discussionId);
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
  // Without a position, "from now": the discussion as it is when the socket is already in its room.
  const after =
    request.afterSequence ??
    (await DiscussionModel.findById(discussion._id, { lastSequence: 1 }))?.lastSequence ??
    discussion.lastSequence;
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
  return {
    discussionId: String(discussion._id),
    events: shown.filter(sees).map((event) => presentEvent(event, people)),
    comments: await presentCommentsFor(viewer, comments, { discussion, group }),
    // What was read, hidden events included: the client continues from there, not from a gap.
    lastSequence: shown.at(-1)?.sequence ?? after,
    truncated,
  };
}

export function registerWatchHandlers(io: QuorumServer, gate: TimelineGate): void {
  io.on('connection', (socket) => {
    socket.on('discussion:watch', (request, ack) =>
      answer(ack, () => catchUp(socket, parse(watchSchema, request), gate)),
    );
    socket.on('discussion:unwatch', (request, ack) =>
      answer(ack, async () => {
        const { discussionId } = parse(unwatchSchema, request);
        for (const view of DISCUSSION_VIEWS) await socket.leave(discussionRoom(discussionId, view));
        gate.forget(socket, discussionId);
        return null;
      }),
    );
  });
}
