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
import { docRefOf, prepareDocument, replaceDocumentText } from '../../collab/rest-edit.js';

async function reload(id: Types.ObjectId): Promise<DiscussionDocument> {
  const discussion = await DiscussionModel.findById(id);
  if (!discussion) throw new Error(`discussion ${String(id)} vanished during a change`);
  return discussion;
}

/** Applies `$set` and appends `kind` atomically. */
async function changeWithEvent(
  discussion: DiscussionDocument,
  set: Partial<Pick<Discussion, 'closedAt'>>,
  kind: EventKind,
  actorId: Types.ObjectId,
): Promise<DiscussionDocument> {
  await mongoose.connection.transaction(async (session) => {
    await DiscussionModel.updateOne({ _id: discussion._id }, { $set: set }, { session });
    await appendTimelineEvent({ discussionId: discussion._id, kind, actorId }, session);
  });
  return reload(discussion._id);
}

/**
 * Edits the title and/or the context. The context is a collaborative
 * document: the new text goes into the document (collab/rest-edit.ts) in the
 * same transaction, so open editors see it and compaction cannot undo it.
 */
export async function editDiscussion(props: {
  discussion: DiscussionDocument;
  actorId: Types.ObjectId;
  title?: string;
  context?: string;
}): Promise<DiscussionDocument> {
  const { discussion, context } = props;
  const set: Partial<Pick<Discussion, 'title'>> = {};
  if (props.title !== undefined && props.title !== discussion.title) set.title = props.title;
  const ref =
    context !== undefined && context !== discussion.context
      ? docRefOf('discussion', discussion._id, 'context')
      : null;
  if (Object.keys(set).length === 0 && !ref) return discussion;
  if (ref) await prepareDocument(ref);
  let changed = false;
  await mongoose.connection.transaction(async (session) => {
    changed = Object.keys(set).length > 0;
    if (ref && context !== undefined) {
      const replaced = await replaceDocumentText({
        ref,
        markdown: context,
        recordText: discussion.context,
        userId: props.actorId,
        session,
      });
      if (replaced !== null) changed = true;
    }
    if (!changed) return;
    if (Object.keys(set).length > 0)
      await DiscussionModel.updateOne({ _id: discussion._id }, { $set: set }, { session });
    await appendTimelineEvent(
      { discussionId: discussion._id, kind: 'discussion_edited', actorId: props.actorId },
      session,
    );
  });
  return changed ? reload(discussion._id) : discussion;
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
