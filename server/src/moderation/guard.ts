/**
 * The gate a person's writes pass before any command runs, for REST and
 * sockets alike: a suspension or a mute refuses everything (`suspended`,
 * `muted`, with the end time); new posts also count against the per-person
 * rate limit and, for comments, a discussion's slow mode, from which the
 * group's moderators are exempt.
 */
import type { Types } from 'mongoose';
import type { Viewer } from '../auth/viewer.js';
import type { Discussion } from '../models/discussion.js';
import type { Group } from '../models/group.js';
import { canModerateGroup } from '../policies/moderation.js';
import { assertSlowModeAllows, consumePostingAllowance } from './posting-limits.js';
import { assertMayAct } from './restrictions.js';

type SignedIn = Viewer & { user: NonNullable<Viewer['user']> };

/** Reacting, voting, editing: refused while muted in the group or suspended. */
export async function assertMayWrite(viewer: SignedIn, groupId: Types.ObjectId | null) {
  await assertMayAct(viewer.user._id, groupId);
}

/**
 * A new comment, discussion or poll: the restrictions, then slow mode (comments
 * only), then the rate limit, so a refused post does not count against it.
 */
export async function assertMayPost(
  viewer: SignedIn,
  props: {
    groupId: Types.ObjectId | null;
    /** For a comment: the discussion, whose slow mode applies. */
    discussion?: Pick<Discussion, '_id' | 'slowModeSeconds'>;
    group?: Pick<Group, '_id'> | null;
  },
): Promise<void> {
  await assertMayAct(viewer.user._id, props.groupId);
  const exempt = canModerateGroup(viewer, props.group ?? null);
  if (props.discussion && !exempt) await assertSlowModeAllows(props.discussion, viewer.user._id);
  await consumePostingAllowance(viewer.user._id);
}
