/**
 * Editing and deleting comments. An edit keeps the replaced text in the
 * comment's history (readable by everyone who reads the discussion) and
 * notifies people newly mentioned. A deletion is soft: the text, the whole
 * history, the mentions and the reactions are erased, the comment keeps its
 * place in the thread, and the notifications it caused go away with its text.
 * Each change appends its timeline event in the same transaction.
 */
import mongoose, { type Types } from 'mongoose';
import { ConflictError } from '../../errors.js';
import { CommentModel, type CommentDocument } from '../../models/comment.js';
import type { DiscussionDocument } from '../../models/discussion.js';
import type { GroupDocument } from '../../models/group.js';
import { NotificationModel } from '../../models/notification.js';
import { ReactionModel } from '../../models/reaction.js';
import { appendTimelineEvent } from '../timeline.js';
import { mentionedReaders } from './mentions.js';

async function reload(id: Types.ObjectId): Promise<CommentDocument> {
  const comment = await CommentModel.findById(id);
  if (!comment) throw new Error(`comment ${String(id)} vanished during a change`);
  return comment;
}

export async function editComment(props: {
  comment: CommentDocument;
  discussion: DiscussionDocument;
  group: GroupDocument | null;
  body: string;
}): Promise<CommentDocument> {
  const { comment } = props;
  if (comment.body === props.body) return comment;
  const mentioned = await mentionedReaders({
    text: props.body,
    discussion: props.discussion,
    group: props.group,
    excludeId: comment.authorId,
  });
  const before = new Set(comment.mentionedUserIds.map(String));
  const newlyMentioned = mentioned.filter((id) => !before.has(String(id)));
  const editedAt = new Date();
  await mongoose.connection.transaction(async (session) => {
    // Matching the text we replace: a concurrent edit would otherwise drop a revision.
    const result = await CommentModel.updateOne(
      { _id: comment._id, deletedAt: null, body: comment.body },
      {
        $set: { body: props.body, editedAt, mentionedUserIds: mentioned },
        $push: { history: { body: comment.body, editedAt } },
      },
      { session },
    );
    if (result.matchedCount === 0)
      throw ConflictError('The comment changed meanwhile; reload it and try again');
    await appendTimelineEvent(
      {
        discussionId: comment.discussionId,
        kind: 'comment_edited',
        actorId: comment.authorId,
        commentId: comment._id,
      },
      session,
    );
    if (newlyMentioned.length > 0) {
      await NotificationModel.insertMany(
        newlyMentioned.map((userId) => ({
          userId,
          kind: 'mention' as const,
          actorId: comment.authorId,
          discussionId: comment.discussionId,
          commentId: comment._id,
        })),
        { session },
      );
    }
  });
  return reload(comment._id);
}

/** Deletes a comment (idempotent: an already deleted comment is returned unchanged). */
export async function deleteComment(props: {
  comment: CommentDocument;
  actorId: Types.ObjectId;
}): Promise<CommentDocument> {
  const { comment } = props;
  if (comment.deletedAt !== null) return comment;
  await mongoose.connection.transaction(async (session) => {
    const result = await CommentModel.updateOne(
      { _id: comment._id, deletedAt: null },
      {
        $set: {
          body: '',
          history: [],
          mentionedUserIds: [],
          deletedAt: new Date(),
          deletedById: props.actorId,
        },
      },
      { session },
    );
    if (result.matchedCount === 0) return;
    await ReactionModel.deleteMany({ commentId: comment._id }, { session });
    await NotificationModel.deleteMany({ commentId: comment._id }, { session });
    await appendTimelineEvent(
      {
        discussionId: comment.discussionId,
        kind: 'comment_deleted',
        actorId: props.actorId,
        commentId: comment._id,
      },
      session,
    );
  });
  return reload(comment._id);
}
