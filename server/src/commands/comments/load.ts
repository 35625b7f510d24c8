/**
 * Loading a comment for a viewer: a comment exists for someone exactly when
 * its discussion does (404 otherwise, P6/P10).
 */
import type { Viewer } from '../../auth/viewer.js';
import { NotFoundError } from '../../errors.js';
import { CommentModel, type CommentDocument } from '../../models/comment.js';
import { canReadDiscussion } from '../../policies/discussion.js';
import { canSeeModeratedComment } from '../../policies/moderation.js';
import { loadDiscussion, objectIdOrNotFound, type LoadedDiscussion } from '../discussions/load.js';

export interface LoadedComment extends LoadedDiscussion {
  comment: CommentDocument;
}

/**
 * The comment `id` with its discussion and group, if the viewer may read it;
 * `discussionOf` is how the discussion is loaded (writes pass the held one,
 * commands/discussions/load-held.ts).
 */
export async function loadReadableComment(
  viewer: Viewer,
  id: unknown,
  discussionOf: (id: string) => Promise<LoadedDiscussion | null> = loadDiscussion,
): Promise<LoadedComment> {
  const comment = await CommentModel.findById(objectIdOrNotFound(id, 'Comment'));
  if (!comment) throw NotFoundError('Comment not found');
  const loaded = await discussionOf(comment.discussionId.toHexString());
  if (!loaded || !canReadDiscussion(viewer, loaded.discussion, loaded.group)) {
    throw NotFoundError('Comment not found');
  }
  // A held comment does not exist for anyone but its author and the moderators.
  if (comment.heldAt && !canSeeModeratedComment(viewer, comment, loaded.group))
    throw NotFoundError('Comment not found');
  return { comment, ...loaded };
}
