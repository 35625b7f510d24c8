/**
 * Posting a comment. The comment, its `comment_posted` timeline event (whose
 * sequence the comment carries) and the notifications it causes land in one
 * transaction, so concurrent posts get strictly increasing, gap-free numbers
 * and a reader never sees a comment without its event. A retry carrying the
 * same client id returns the comment the first attempt created: the unique
 * index on (author, client id) refuses the second insert and rolls its
 * transaction back, so a first post pays no lookup for it.
 */
import { Types } from 'mongoose';
import { ConflictError, ValidationError } from '../../errors.js';
import { CommentModel, type CommentDocument } from '../../models/comment.js';
import type { DiscussionDocument } from '../../models/discussion.js';
import type { GroupDocument } from '../../models/group.js';
import { NotificationModel } from '../../models/notification.js';
import { appendTimelineEvent, timelineTransaction } from '../timeline.js';
import { mentionedReaders, personCanRead } from './mentions.js';
import { isDuplicateKey } from '../../db/errors.js';

export interface PostCommentProps {
  discussion: DiscussionDocument;
  group: GroupDocument | null;
  authorId: Types.ObjectId;
  body: string;
  parentId?: string;
  /** Client-generated id (unique per author): makes the post idempotent. */
  clientId?: string;
  /** Held for a moderator's approval: nobody else sees it, and nobody is notified yet. */
  held?: boolean;
}

export interface PostedComment {
  comment: CommentDocument;
  /** False when an earlier attempt with the same client id had already created it. */
  created: boolean;
}

async function earlierAttempt(props: PostCommentProps): Promise<PostedComment | null> {
  if (props.clientId === undefined) return null;
  const existing = await CommentModel.findOne({
    authorId: props.authorId,
    clientId: props.clientId,
  });
  if (!existing) return null;
  if (!existing.discussionId.equals(props.discussion._id)) {
    throw ConflictError('This clientId was already used for a comment in another discussion');
  }
  return { comment: existing, created: false };
}

export async function postComment(props: PostCommentProps): Promise<PostedComment> {
  let parent: CommentDocument | null = null;
  if (props.parentId !== undefined) {
    parent = Types.ObjectId.isValid(props.parentId)
      ? await CommentModel.findOne({ _id: props.parentId, discussionId: props.discussion._id })
      : null;
    if (!parent) throw ValidationError('parentId', 'Not a comment in this discussion');
  }

  const mentioned = await mentionedReaders({
    text: props.body,
    discussion: props.discussion,
    group: props.group,
    excludeId: props.authorId,
  });
  const mentionedIds = new Set(mentioned.map(String));
  const replyTo =
    parent &&
    !parent.authorId.equals(props.authorId) &&
    !mentionedIds.has(String(parent.authorId)) &&
    parent.deletedAt === null
      ? (await personCanRead(parent.authorId, props.discussion, props.group))
        ? parent.authorId
        : null
      : null;

  const id = new Types.ObjectId();
  let comment: CommentDocument | null = null;
  try {
    await timelineTransaction(props.discussion._id, async (session) => {
      const event = await appendTimelineEvent(
        {
          discussionId: props.discussion._id,
          kind: 'comment_posted',
          actorId: props.authorId,
          commentId: id,
        },
        session,
      );
      [comment] = await CommentModel.create(
        [
          {
            _id: id,
            discussionId: props.discussion._id,
            authorId: props.authorId,
            parentId: parent?._id ?? null,
            body: props.body,
            mentionedUserIds: mentioned,
            clientId: props.clientId ?? null,
            sequence: event.sequence,
            heldAt: props.held ? new Date() : null,
          },
        ],
        { session },
      );
      const common = { actorId: props.authorId, discussionId: props.discussion._id, commentId: id };
      const notifications = [
        ...mentioned.map((userId) => ({ ...common, userId, kind: 'mention' as const })),
        ...(replyTo ? [{ ...common, userId: replyTo, kind: 'reply' as const }] : []),
      ];
      if (notifications.length > 0 && !props.held)
        await NotificationModel.insertMany(notifications, { session });
    });
  } catch (error) {
    // A retry, or two attempts with one client id racing: the first one's comment.
    const earlier = isDuplicateKey(error) ? await earlierAttempt(props) : null;
    if (earlier) return earlier;
    throw error;
  }
  // As the committed transaction stored it (its last run, if it was retried).
  if (!comment) throw new Error(`comment ${String(id)} missing after its creation committed`);
  return { comment, created: true };
}
