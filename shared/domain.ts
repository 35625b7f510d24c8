/**
 * Domain vocabulary both the server and the web client compile against: the
 * enumerations of groups, roles and polls, so a value cannot drift between them.
 */

export type GroupPrivacy = 'open' | 'closed' | 'secret';
export type MembershipPolicy = 'open' | 'request' | 'invitation';
export type GroupRole = 'coordinator' | 'member';

export interface GroupPermissions {
  membersCanStartDiscussions: boolean;
  membersCanAddMembers: boolean;
  membersCanEditComments: boolean;
  membersCanRaiseProposals: boolean;
  membersCanVote: boolean;
}

/**
 * What one kind of viewer may see of a record. Live updates are presented once
 * per view and sent to that view's room; REST responses use the same views.
 */
export type View = 'visitor' | 'guest' | 'member' | 'coordinator';

export const POLL_KINDS = [
  'proposal',
  'single_choice',
  'multiple_choice',
  'score',
  'ranked_choice',
  'dot_vote',
  'meeting_time',
  'count',
] as const;
export type PollKind = (typeof POLL_KINDS)[number];

/**
 * When a poll's results become visible to those who may see the poll.
 * `until_revealed`: a meeting's quick vote, whose facilitator reveals them.
 */
export type HideResults = 'never' | 'until_voted' | 'until_closed' | 'until_revealed';

/** The fixed positions of a proposal, in display order. */
export const PROPOSAL_POSITIONS = ['agree', 'abstain', 'disagree', 'block'] as const;
/** The fixed answers for each time of a meeting poll. */
export const MEETING_ANSWERS = ['yes', 'if_need_be', 'no'] as const;

/** What can happen in a discussion's timeline. */
export const EVENT_KINDS = [
  'discussion_started',
  'discussion_edited',
  'discussion_closed',
  'discussion_reopened',
  'discussion_moved',
  'comment_posted',
  'comment_edited',
  'comment_deleted',
  'poll_created',
  'poll_closed',
  'poll_reopened',
  'outcome_published',
  'vote_cast',
  /** A meeting's minutes, published to its first linked discussion. */
  'minutes_published',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** What a person can be notified of. */
export const NOTIFICATION_KINDS = [
  'mention',
  'reply',
  'new_discussion',
  'new_poll',
  'poll_closing',
  'outcome',
  /** A meeting of one's group went live (time-bound: never in the digest). */
  'meeting_started',
  /** A meeting of one's group published its minutes. */
  'meeting_minutes',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
