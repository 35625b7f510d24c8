/**
 * Test factories for comments, reactions and notifications. Comments go
 * through the real `postComment` command, so they carry a timeline sequence
 * and an event exactly as posted ones do.
 */
import { postComment } from '../commands/comments/post.js';
import { CommentModel, type CommentDocument } from '../models/comment.js';
import { DiscussionModel, type DiscussionDocument } from '../models/discussion.js';
import { GroupModel } from '../models/group.js';
import {
  NotificationModel,
  type Notification,
  type NotificationDocument,
} from '../models/notification.js';
import { ReactionModel } from '../models/reaction.js';
import type { UserDocument } from '../models/user.js';
import { buildDiscussion } from './factories.js';

let counter = 0;

/** A comment in a discussion (created unless given), by its author unless one is given. */
export async function buildComment(
  options: {
    discussion?: DiscussionDocument;
    author?: UserDocument;
    body?: string;
    parent?: CommentDocument;
    clientId?: string;
  } = {},
): Promise<CommentDocument> {
  const given = options.discussion ?? (await buildDiscussion());
  const discussion = (await DiscussionModel.findById(given._id))!;
  const group = discussion.groupId ? await GroupModel.findById(discussion.groupId) : null;
  const { comment } = await postComment({
    discussion,
    group,
    authorId: options.author?._id ?? discussion.authorId,
    body: options.body ?? `Comment ${++counter}`,
    parentId: options.parent ? String(options.parent._id) : undefined,
    clientId: options.clientId,
  });
  return comment;
}

/** Reloads a comment as stored now. */
export async function reloadComment(
  comment: Pick<CommentDocument, '_id'>,
): Promise<CommentDocument> {
  return (await CommentModel.findById(comment._id))!;
}

export async function buildReaction(
  comment: CommentDocument,
  user: UserDocument,
  emoji = '👍',
): Promise<void> {
  await ReactionModel.create({
    commentId: comment._id,
    discussionId: comment.discussionId,
    userId: user._id,
    emoji,
  });
}

export async function buildNotification(
  user: UserDocument,
  overrides: Partial<Notification> = {},
): Promise<NotificationDocument> {
  return NotificationModel.create({ userId: user._id, kind: 'mention', ...overrides });
}
