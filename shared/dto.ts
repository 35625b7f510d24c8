/**
 * The shapes of records as clients receive them, over HTTP and over sockets.
 * Server presenters produce exactly these; the web client consumes them.
 */
import type { EventKind, GroupPrivacy, HideResults, NotificationKind, PollKind } from './domain.js';
import type { PollResults } from './polls.js';

export interface UserSummaryDto {
  id: string;
  name: string;
  handle: string | null;
  avatarUrl: string | null;
  status: 'active' | 'deactivated' | 'deleted';
}

export interface ReactionSummaryDto {
  emoji: string;
  count: number;
  /** Whether the viewer is among those who reacted. */
  mine: boolean;
  /** Up to 50 of the people who reacted. */
  users: UserSummaryDto[];
}

export interface CommentAbilitiesDto {
  canEdit: boolean;
  canDelete: boolean;
  canReact: boolean;
  canReply: boolean;
}

export interface CommentDto {
  id: string;
  discussionId: string;
  parentId: string | null;
  author: UserSummaryDto;
  body: string;
  deleted: boolean;
  deletedAt: string | null;
  edited: boolean;
  editedAt: string | null;
  sequence: number;
  createdAt: string;
  /** The author's own client-generated id, so their client can match an optimistic post; null for others. */
  clientId: string | null;
  reactions: ReactionSummaryDto[];
  abilities: CommentAbilitiesDto;
}

export interface TimelineEventDto {
  id: string;
  discussionId: string;
  sequence: number;
  kind: EventKind;
  /** Null for system actions and anonymous votes. */
  actor: UserSummaryDto | null;
  commentId: string | null;
  pollId: string | null;
  createdAt: string;
}

/** The viewer's own vote, sent to them alone (as `myVote` on the poll). */
export interface OwnVoteDto {
  choices: ChoiceDto[];
  reason: string;
  createdAt: string;
  updatedAt: string;
}

export interface ChoiceDto {
  optionId: string;
  value: number;
}

/** What the viewer may do with a poll, sent with it so the client never re-derives it. */
export interface PollAbilities {
  canVote: boolean;
  canClose: boolean;
  canReopen: boolean;
  canPublishOutcome: boolean;
  canEdit: boolean;
  canSeeResults: boolean;
}

export interface PollOptionDto {
  id: string;
  label: string;
  /** meeting_time only. */
  startsAt?: string;
}

/** The settings of the poll's kind with defaults applied; null where the kind has no such setting. */
export interface PollSettingsDto {
  minChoices: number | null;
  maxChoices: number | null;
  minScore: number | null;
  maxScore: number | null;
  dotsPerPerson: number | null;
  threshold: number | null;
  anonymous: boolean;
  hideResults: HideResults;
  reasonRequired: boolean;
  /** When set, only these people may vote. Who may vote, never who did. */
  voterIds: string[] | null;
}

export interface PollDto {
  id: string;
  discussionId: string;
  groupId: string | null;
  author: UserSummaryDto;
  kind: PollKind;
  title: string;
  details: string;
  options: PollOptionDto[];
  settings: PollSettingsDto;
  closesAt: string | null;
  closedAt: string | null;
  outcome: { statement: string; author: UserSummaryDto; createdAt: string } | null;
  /** Present only with `results`. */
  voterCount?: number;
  /** Present only when `abilities.canSeeResults`. */
  results?: PollResults;
  myVote: OwnVoteDto | null;
  abilities: PollAbilities;
  createdAt: string;
  updatedAt: string;
}

export interface NotificationDto {
  id: string;
  kind: NotificationKind;
  actor: UserSummaryDto | null;
  discussion: { id: string; title: string } | null;
  commentId: string | null;
  pollId: string | null;
  read: boolean;
  readAt: string | null;
  createdAt: string;
}

export interface DiscussionAbilitiesDto {
  canComment: boolean;
  canEdit: boolean;
  canClose: boolean;
  canModerate: boolean;
  canPin: boolean;
  canMove: boolean;
  canMarkRead: boolean;
  canInviteGuests: boolean;
  canStartPoll: boolean;
}

export interface GroupSummaryDto {
  id: string;
  handle: string;
  name: string;
  privacy: GroupPrivacy;
}

export interface ReadStateDto {
  lastReadSequence: number;
  unreadCount: number;
}

export interface DiscussionDto {
  id: string;
  group: GroupSummaryDto | null;
  author: UserSummaryDto;
  title: string;
  context: string;
  private: boolean;
  closed: boolean;
  closedAt: string | null;
  pinned: boolean;
  pinnedAt: string | null;
  lastSequence: number;
  lastActivityAt: string;
  createdAt: string;
  updatedAt: string;
  /** Null for visitors and for readers who do not take part. */
  readState: ReadStateDto | null;
  abilities: DiscussionAbilitiesDto;
}
