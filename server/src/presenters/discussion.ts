/**
 * Discussions as a viewer sees them. Everything viewer-dependent (abilities,
 * read state) is decided by policies at the call site and passed in; people
 * appear only as summaries, never with an email address (P5).
 */
import type { Discussion } from '../models/discussion.js';
import type { Group } from '../models/group.js';
import type { discussionAbilities } from '../policies/discussion.js';
import type { UserSummaryDto } from './user.js';
import type {
  DiscussionAbilitiesDto,
  DiscussionDto,
  GroupSummaryDto,
  ReadStateDto,
} from '../../../shared/dto.js';

export type DiscussionAbilities = ReturnType<typeof discussionAbilities> & DiscussionAbilitiesDto;
export type { DiscussionDto, GroupSummaryDto, ReadStateDto };

type DiscussionLike = Pick<
  Discussion,
  | '_id'
  | 'title'
  | 'context'
  | 'private'
  | 'closedAt'
  | 'pinnedAt'
  | 'lastSequence'
  | 'lastActivityAt'
  | 'createdAt'
  | 'updatedAt'
> &
  Partial<Pick<Discussion, 'slowModeSeconds'>>;

/** The few fields of a group shown beside one of its discussions. */
export function presentGroupSummary(
  group: Pick<Group, '_id' | 'handle' | 'name' | 'privacy'>,
): GroupSummaryDto {
  return { id: String(group._id), handle: group.handle, name: group.name, privacy: group.privacy };
}

/** Unread events: everything after the last sequence read (never negative). */
export function presentReadState(lastSequence: number, lastReadSequence: number): ReadStateDto {
  const read = Math.min(lastReadSequence, lastSequence);
  return { lastReadSequence: read, unreadCount: Math.max(0, lastSequence - read) };
}

export function presentDiscussion(
  discussion: DiscussionLike,
  options: {
    group: Pick<Group, '_id' | 'handle' | 'name' | 'privacy'> | null;
    author: UserSummaryDto;
    abilities: DiscussionAbilities;
    /** The viewer's last read sequence when read state applies to them, else null. */
    lastReadSequence: number | null;
  },
): DiscussionDto {
  return {
    id: String(discussion._id),
    group: options.group ? presentGroupSummary(options.group) : null,
    author: options.author,
    title: discussion.title,
    context: discussion.context,
    private: discussion.private,
    closed: discussion.closedAt !== null,
    closedAt: discussion.closedAt?.toISOString() ?? null,
    pinned: discussion.pinnedAt !== null,
    pinnedAt: discussion.pinnedAt?.toISOString() ?? null,
    lastSequence: discussion.lastSequence,
    lastActivityAt: discussion.lastActivityAt.toISOString(),
    createdAt: discussion.createdAt.toISOString(),
    updatedAt: discussion.updatedAt.toISOString(),
    readState:
      options.lastReadSequence === null
        ? null
        : presentReadState(discussion.lastSequence, options.lastReadSequence),
    abilities: options.abilities,
    slowModeSeconds: discussion.slowModeSeconds ?? 0,
  };
}
