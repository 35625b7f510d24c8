/**
 * Changes to a discussion itself: editing its title and context, closing and
 * reopening, pinning. Changes that readers should see in the timeline append
 * their event in the same transaction as the change. Each returns the
 * discussion as it now is; a change that changes nothing writes nothing.
 */
import mongoose, { type Types } from 'mongoose';
import {
  DiscussionModel,
  type Discussion,
  type DiscussionDocument,
} from '../../models/discussion.js';
import type { EventKind } from '../../models/event.js';
import { appendTimelineEvent } from '../timeline.js';

async function reload(id: Types.ObjectId): Promise<DiscussionDocument> {
  const discussion = await DiscussionModel.findById(id);
  if (!discussion) throw new Error(`discussion ${String(id)} vanished during a change`);
  return discussion;
}

/** Applies `$set` and appends `kind` atomically. */
async function changeWithEvent(
  discussion: DiscussionDocument,
  set: Partial<Pick<Discussion, 'title' | 'context' | 'closedAt'>>,
  kind: EventKind,
  actorId: Types.ObjectId,
): Promise<DiscussionDocument> {
  await mongoose.connection.transaction(async (session) => {
    await DiscussionModel.updateOne({ _id: discussion._id }, { $set: set }, { session });
    await appendTimelineEvent({ discussionId: discussion._id, kind, actorId }, session);
  });
  return reload(discussion._id);
}

export async function editDiscussion(props: {
  discussion: DiscussionDocument;
  actorId: Types.ObjectId;
  title?: string;
  context?: string;
}): Promise<DiscussionDocument> {
  const set: Partial<Pick<Discussion, 'title' | 'context'>> = {};
  if (props.title !== undefined && props.title !== props.discussion.title) set.title = props.title;
  if (props.context !== undefined && props.context !== props.discussion.context)
    set.context = props.context;
  if (Object.keys(set).length === 0) return props.discussion;
  return changeWithEvent(props.discussion, set, 'discussion_edited', props.actorId);
}

/** Closes (`closed: true`) or reopens a discussion; closing stops new comments and reactions. */
export async function setDiscussionClosed(props: {
  discussion: DiscussionDocument;
  actorId: Types.ObjectId;
  closed: boolean;
}): Promise<DiscussionDocument> {
  if ((props.discussion.closedAt !== null) === props.closed) return props.discussion;
  return props.closed
    ? changeWithEvent(
        props.discussion,
        { closedAt: new Date() },
        'discussion_closed',
        props.actorId,
      )
    : changeWithEvent(props.discussion, { closedAt: null }, 'discussion_reopened', props.actorId);
}

/** Pins a discussion to the top of its group's list, or unpins it. Not a timeline event: it orders a list. */
export async function setDiscussionPinned(props: {
  discussion: DiscussionDocument;
  pinned: boolean;
}): Promise<DiscussionDocument> {
  if ((props.discussion.pinnedAt !== null) === props.pinned) return props.discussion;
  await DiscussionModel.updateOne(
    { _id: props.discussion._id },
    { $set: { pinnedAt: props.pinned ? new Date() : null } },
  );
  return reload(props.discussion._id);
}
