/**
 * Loading a discussion for a viewer, shared by every route that touches a
 * discussion or what lives in it (comments, polls, votes). A discussion the
 * viewer may not read does not exist for them: 404, never 403 (P6, P10).
 */
import { Types } from 'mongoose';
import type { Viewer } from '../../auth/viewer.js';
import { NotFoundError } from '../../errors.js';
import { DiscussionModel, type DiscussionDocument } from '../../models/discussion.js';
import { GroupModel, type GroupDocument } from '../../models/group.js';
import { canReadDiscussion } from '../../policies/discussion.js';

export { canReadDiscussion };

/** A discussion with its group (null for a discussion among guests only). */
export interface LoadedDiscussion {
  discussion: DiscussionDocument;
  group: GroupDocument | null;
}

/** Parses a route parameter as an ObjectId; anything malformed is a 404, not a 500. */
export function objectIdOrNotFound(value: unknown, what = 'Resource'): Types.ObjectId {
  if (typeof value !== 'string' || !/^[0-9a-f]{24}$/i.test(value)) {
    throw NotFoundError(`${what} not found`);
  }
  return new Types.ObjectId(value);
}

/** The discussion and its group, whether or not the viewer may read it (for callers that authorize themselves). */
export async function loadDiscussion(id: unknown): Promise<LoadedDiscussion | null> {
  const discussionId = objectIdOrNotFound(id, 'Discussion');
  const discussion = await DiscussionModel.findById(discussionId);
  if (!discussion) return null;
  const group = discussion.groupId ? await GroupModel.findById(discussion.groupId) : null;
  return { discussion, group };
}

/**
 * The discussion `id` with its group, if the viewer may read it; otherwise a
 * NotFoundError, the same answer as for a discussion that does not exist.
 */
export async function loadReadableDiscussion(
  viewer: Viewer,
  id: unknown,
): Promise<LoadedDiscussion> {
  const loaded = await loadDiscussion(id);
  if (!loaded || !canReadDiscussion(viewer, loaded.discussion, loaded.group)) {
    throw NotFoundError('Discussion not found');
  }
  return loaded;
}
