/**
 * The shapes of records as clients receive them, over HTTP and over sockets.
 * Server presenters produce exactly these; the web client consumes them.
 */
import type {
  EventKind,
  GroupPermissions,
  GroupPrivacy,
  GroupRole,
  HideResults,
  MembershipPolicy,
  NotificationKind,
  PollKind,
} from './domain.js';
import type { PollResults } from './polls.js';
import type { GroupModerationSettingsDto } from './moderation.js';

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
  /**
   * Whether the viewer is among those who reacted. Live `comment:upserted`
   * payloads are presented once per view, not per person, so there it is
   * false; clients also look for themselves in `users`.
   */
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
  /** The last change to the comment or its reactions: clients ignore anything older than what they hold. */
  updatedAt: string;
  /** The author's own client-generated id, so their client can match an optimistic post; null for others. */
  clientId: string | null;
  reactions: ReactionSummaryDto[];
  abilities: CommentAbilitiesDto;
  /**
   * Set while moderation keeps the comment from others: `hidden` (others see a
   * placeholder with an empty body) or `held` for approval (only its author
   * and the moderators receive it at all). Absent otherwise.
   */
  moderation?: 'hidden' | 'held';
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
  /** On `minutes_published` only: the meeting and its minutes as published (null if the meeting is gone). */
  minutes?: PublishedMinutesEventDto | null;
  createdAt: string;
}

/** A meeting's minutes as a discussion's timeline shows them. */
export interface PublishedMinutesEventDto {
  meetingId: string;
  title: string;
  markdown: string;
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
  /** The meeting a `meeting_started` or `meeting_minutes` notification is about (its page: `meetingPath`). */
  meetingId: string | null;
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
  /** Report the discussion (or anything in it) to the group's moderators. */
  canReport?: boolean;
}

export interface GroupSummaryDto {
  id: string;
  /** The group's address (`/g/<handle>`); null for a secret group, which is reached by its id. */
  handle: string | null;
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
  /** Slow mode: at most one comment per person per this many seconds; 0 or absent when off. */
  slowModeSeconds?: number;
}

/** A user with their email address: only for the user and coordinators of a group they share. */
export interface UserWithEmailDto extends UserSummaryDto {
  email: string;
}

/** The signed-in person's own profile. */
export interface SelfDto extends UserWithEmailDto {
  emailVerified: boolean;
  isAdmin: boolean;
  createdAt: string;
}

/** What the viewer may do in a group, sent with it so the client never re-derives it. */
export interface GroupAbilitiesDto {
  canManage: boolean;
  canJoin: boolean;
  canRequestToJoin: boolean;
  canAddMembers: boolean;
  canStartDiscussion: boolean;
  /** Schedule meetings in the group (and facilitate the ones one schedules). */
  canScheduleMeeting: boolean;
  canRaiseProposal: boolean;
  canLeave: boolean;
  canSeeMembers: boolean;
  canInviteCoordinators: boolean;
  canCreateSubgroup: boolean;
  /** Review the group's queue and take moderation actions (coordinators and named moderators). */
  canModerate?: boolean;
}

export interface GroupDto extends GroupSummaryDto {
  description: string;
  membershipPolicy: MembershipPolicy;
  permissions: GroupPermissions;
  /** Whether new members' comments are held for approval (see shared/moderation.ts). */
  moderation?: GroupModerationSettingsDto;
  /** Subgroups only: whether the parent's members may see this (secret) subgroup. */
  parentMembersCanSee: boolean;
  /** The parent, when this is a subgroup whose parent the viewer may see; otherwise null. */
  parent: GroupSummaryDto | null;
  /** Members whose accounts are active. */
  memberCount: number;
  /** The viewer's role, null when not a member. */
  role: GroupRole | null;
  abilities: GroupAbilitiesDto;
  createdAt: string;
  updatedAt: string;
}

/** `GET /api/privacy/policy`: the configured privacy policy (P16), Markdown. */
export interface PrivacyPolicyDto {
  version: string;
  markdown: string;
}

/** `GET /api/privacy/policy/notice`: whether the policy changed since this person last saw it. */
export interface PolicyNoticeDto {
  version: string;
  /** True once per version change, until `POST /api/privacy/policy/seen`. */
  noticeDue: boolean;
}

/** One processor that receives personal data, as enabled in this server's configuration (P3). */
export interface ThirdPartyDto {
  /** Stable: `mail`, `database`. */
  id: string;
  name: string;
  purpose: string;
  /** Which personal data it receives. */
  data: string;
}

/** Support access in force for a group (P12). */
export interface SupportGrantDto {
  id: string;
  grantedBy: UserSummaryDto;
  createdAt: string;
  expiresAt: string;
}

/** One entry of a group's support history: a grant, a revocation, or a read under a grant. */
export interface SupportAuditEntryDto {
  id: string;
  /** `support_access_granted`, `support_access_revoked` or `support_read`. */
  action: string;
  at: string;
  actor: UserSummaryDto | null;
  /** For reads: the route read, e.g. `GET /api/discussions/:id` (never what it returned). */
  read: string | null;
}

export type JoinRequestStatus = 'pending' | 'approved' | 'declined';

export interface GroupDetailDto extends GroupDto {
  /** Subgroups the viewer may see. */
  subgroups: GroupSummaryDto[];
  /** The viewer's own pending request to join, so the client can say "asked". */
  joinRequest: { id: string; status: JoinRequestStatus; createdAt: string } | null;
}

/** A member as a group page lists them: the email only in a coordinator's view. */
export type MemberDto = (UserSummaryDto | UserWithEmailDto) & {
  role: GroupRole;
  joinedAt: string;
  /** Named a moderator: moderation rights without the rest of a coordinator's. */
  moderator?: boolean;
};

export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

export interface InvitationDto {
  id: string;
  groupId: string | null;
  discussionId: string | null;
  email: string;
  role: GroupRole;
  status: InvitationStatus;
  invitedBy: UserSummaryDto;
  acceptedBy: UserSummaryDto | null;
  createdAt: string;
  expiresAt: string;
  acceptedAt: string | null;
  revokedAt: string | null;
}

export interface InvitationPreviewDto {
  role: GroupRole;
  status: InvitationStatus;
  expiresAt: string;
  invitedBy: UserSummaryDto;
  group: GroupSummaryDto | null;
  discussion: { id: string; title: string } | null;
  /**
   * Whether the signed-in viewer's account has the invited address (only such
   * an account may accept); null when signed out. Never the address itself.
   */
  addressedToViewer: boolean | null;
  /** For a signed-in viewer with another address only: a masked hint (`a•••@e•••.org`). */
  emailHint: string | null;
}

export type JoinLinkStatus = 'active' | 'expired' | 'revoked' | 'used_up';

/** A group's shareable join link, for its coordinators. The token is shown once, at creation. */
export interface JoinLinkDto {
  id: string;
  groupId: string;
  status: JoinLinkStatus;
  /** How many people have joined through it, and how many may. */
  uses: number;
  maxUses: number;
  createdBy: UserSummaryDto;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

/** What a join link leads to, for whoever holds it. */
export interface JoinLinkPreviewDto {
  group: GroupSummaryDto;
  expiresAt: string;
  /** Whether the signed-in viewer already belongs to the group; null when signed out. */
  alreadyMember: boolean | null;
}

export interface JoinRequestDto {
  id: string;
  groupId: string;
  requester: UserSummaryDto | UserWithEmailDto;
  introduction: string;
  status: JoinRequestStatus;
  decidedBy: UserSummaryDto | null;
  decidedAt: string | null;
  createdAt: string;
}

/** A vote in an anonymous poll. */
export interface AnonymousVoteDto {
  choices: ChoiceDto[];
  reason: string;
  mine: boolean;
}

export interface NamedVoteDto extends AnonymousVoteDto {
  id: string;
  voter: UserSummaryDto;
  createdAt: string;
  updatedAt: string;
}

export interface CommentRevisionDto {
  body: string;
  /** When this text was replaced by a newer one. */
  editedAt: string;
}

/**
 * One entry of a group's audit log as its coordinators see it (P9, P12): that
 * something happened, to whose account, by whom, when and how much; never the
 * content acted upon, nor the reason given (which may describe it).
 */
export interface GroupAuditEntryDto {
  id: string;
  /** `content_redacted`, or an action another feature records (`support_read`, ...). */
  action: string;
  at: string;
  subject: UserSummaryDto | null;
  actor: UserSummaryDto | null;
  /** How many records the action touched, when it counts them. */
  count: number | null;
  /** For moderation actions (`moderation_*`) only: the reason the moderator gave. */
  reason?: string | null;
}

/** An entry of the audit log about one's own account, as the export shows it. */
export interface OwnAuditEntryDto {
  id: string;
  action: string;
  at: string;
  /** Who acted: oneself, or someone by id and name. */
  actor: { id: string; name: string } | null;
  reason: string | null;
  groupId: string | null;
  count: number | null;
  /** One's own masked address, when one acted oneself. */
  ip: string | null;
}

/** Body of `POST /api/admin/users/:id/redact`. */
export interface RedactionResultDto {
  /** Records whose text was replaced, per kind; `avatars`: profile photos deleted (0 or 1). */
  redacted: {
    comments: number;
    discussions: number;
    polls: number;
    votes: number;
    avatars: number;
  };
}

/** One settled version of a collaborative text (its history, newest first). */
export interface DocVersionDto {
  id: string;
  /** When the version was settled (ISO 8601). */
  createdAt: string;
  /** The text (Markdown) as it was settled. */
  text: string;
  /** Who took part since the previous version (deactivated and deleted accounts show as such). */
  editors: UserSummaryDto[];
}
