/**
 * What a viewer may do with a poll, and whether its results may reach them.
 * Pure functions of the viewer, the poll, its discussion and group, and
 * whether the viewer has voted; the same functions guard REST routes and, later,
 * the live updates. Reading a poll is reading its discussion (see
 * policies/discussion.ts): a poll nobody may see is a 404, never a 403.
 */
import type { PollAbilities } from '../../../shared/dto.js';
import type { Discussion } from '../models/discussion.js';
import type { Poll } from '../models/poll.js';
import { userIdOf, type Viewer } from '../auth/viewer.js';
import { canModerate, isAuthor, isGuest, isParticipant } from './discussion.js';
import { isCoordinator, isMember } from './group.js';
import type { Group } from '../models/group.js';
import type { GroupPermissions } from '../../../shared/domain.js';

type DiscussionLike = Pick<Discussion, '_id' | 'groupId' | 'authorId' | 'private' | 'closedAt'>;
type GroupLike = Pick<
  Group,
  '_id' | 'privacy' | 'parentId' | 'parentMembersCanSee' | 'membershipPolicy'
> & {
  permissions: GroupPermissions;
};
type PollLike = Pick<
  Poll,
  'authorId' | 'closedAt' | 'closesAt' | 'anonymous' | 'hideResults' | 'voterIds'
> &
  Partial<Pick<Poll, 'revealedAt'>>;

/** The records a poll decision depends on besides the viewer and the poll. */
export interface PollContext {
  discussion: DiscussionLike;
  group: GroupLike | null;
  /** Whether the viewer has a vote in this poll. */
  hasVoted: boolean;
  /** The clock, for closing times; tests pass a fixed one. */
  now?: Date;
}

/** Past its closing time, whether or not the closing job has run yet. */
export const isDue = (poll: Pick<Poll, 'closesAt'>, now = new Date()) =>
  poll.closesAt !== null && poll.closesAt.getTime() <= now.getTime();

/** Accepting votes: not closed and not past its closing time. */
export const isPollOpen = (poll: Pick<Poll, 'closedAt' | 'closesAt'>, now = new Date()) =>
  poll.closedAt === null && !isDue(poll, now);

/** No vote can change any more: closed, or past its closing time. */
export const hasPollEnded = (poll: Pick<Poll, 'closedAt' | 'closesAt'>, now = new Date()) =>
  !isPollOpen(poll, now);

/**
 * Whether the viewer is among those who may vote, open or not: a coordinator,
 * a member when members may vote, a guest of the discussion, or (discussions
 * without a group) its author; when the poll names its voters, only those.
 */
export function isEligibleVoter(
  viewer: Viewer,
  poll: PollLike,
  discussion: DiscussionLike,
  group: GroupLike | null,
): boolean {
  const me = userIdOf(viewer);
  if (me === null) return false;
  if (poll.voterIds !== null && !poll.voterIds.some((id) => String(id) === me)) return false;
  if (isGuest(viewer, discussion)) return true;
  if (group === null) return isParticipant(viewer, discussion);
  return (
    isCoordinator(viewer, group) || (isMember(viewer, group) && group.permissions.membersCanVote)
  );
}

/** Voting (or changing one's vote) now. */
export const canVote = (viewer: Viewer, poll: PollLike, ctx: PollContext) =>
  isPollOpen(poll, ctx.now) && isEligibleVoter(viewer, poll, ctx.discussion, ctx.group);

/** The poll's author (while still taking part) and the discussion's moderators run a poll. */
export const canManagePoll = (
  viewer: Viewer,
  poll: PollLike,
  ctx: Pick<PollContext, 'discussion' | 'group'>,
) =>
  viewer.user !== null &&
  ((isAuthor(viewer, poll) && isParticipant(viewer, ctx.discussion)) ||
    canModerate(viewer, ctx.discussion, ctx.group));

/** Closing early; an overdue poll the job has not reached yet may be closed too. */
export const canClosePoll = (viewer: Viewer, poll: PollLike, ctx: PollContext) =>
  poll.closedAt === null && canManagePoll(viewer, poll, ctx);

/** Reopening: never for anonymous polls, whose voters were promised a closed ballot. */
export const canReopenPoll = (viewer: Viewer, poll: PollLike, ctx: PollContext) =>
  poll.closedAt !== null && !poll.anonymous && canManagePoll(viewer, poll, ctx);

/** Publishing (or replacing) the outcome statement, once the poll is closed. */
export const canPublishOutcome = (viewer: Viewer, poll: PollLike, ctx: PollContext) =>
  poll.closedAt !== null && canManagePoll(viewer, poll, ctx);

/** Title, details, closing time and anonymity (on only), while the poll is open. */
export const canEditPoll = (viewer: Viewer, poll: PollLike, ctx: PollContext) =>
  isPollOpen(poll, ctx.now) && canManagePoll(viewer, poll, ctx);

/**
 * Whether results (tallies, voter count, the list of votes) may reach a viewer
 * who may read the poll. The same rule for everyone, coordinators and authors
 * included: 'never' hides nothing; 'until_voted' shows them once the viewer has
 * voted or the poll has ended; 'until_closed' once the poll has ended;
 * 'until_revealed' (a meeting's quick vote) once its facilitator revealed them.
 */
export function canSeeResults(
  poll: Pick<Poll, 'hideResults' | 'closedAt' | 'closesAt'> & Partial<Pick<Poll, 'revealedAt'>>,
  hasVoted: boolean,
  now = new Date(),
): boolean {
  switch (poll.hideResults) {
    case 'never':
      return true;
    case 'until_voted':
      return hasVoted || hasPollEnded(poll, now);
    case 'until_closed':
      return hasPollEnded(poll, now);
    case 'until_revealed':
      return poll.revealedAt !== undefined && poll.revealedAt !== null;
  }
}

/**
 * Whether the votes of a poll may reach a viewer one by one, as `vote_cast`
 * timeline events: never in an anonymous poll (no vote may be tied to a
 * moment); otherwise exactly when the viewer may see the results, so a view
 * that may not see them can neither name nor count the votes.
 */
export const canSeeVoteEvents = (
  poll: Pick<Poll, 'anonymous' | 'hideResults' | 'closedAt' | 'closesAt'>,
  hasVoted: boolean,
  now = new Date(),
) => !poll.anonymous && canSeeResults(poll, hasVoted, now);

/**
 * Whether a vote goes on the discussion's timeline as it is cast: only when
 * every reader may see it. The timeline is one numbered sequence shared by all
 * views, so an event some views skipped would still show, as a gap in the
 * numbers and a step in the discussion's `lastSequence`, that someone voted.
 * Votes of a poll with hidden results go on it at closing instead.
 */
export const votesGoOnTimelineAtOnce = (poll: Pick<Poll, 'anonymous' | 'hideResults'>) =>
  !poll.anonymous && poll.hideResults === 'never';

/**
 * Whether the tally everyone sees is the last published batch rather than the
 * ballots as they are: an anonymous poll while it takes votes (see
 * commands/polls/publish-tallies.ts). Once it ended, nothing can change and the
 * full tally shows.
 */
export const isTallyBatched = (
  poll: Pick<Poll, 'anonymous' | 'closedAt' | 'closesAt'>,
  now = new Date(),
) => poll.anonymous && isPollOpen(poll, now);

export type { PollAbilities };

/** The abilities sent with a poll; `canSeeResults` assumes the viewer may read the poll. */
export function pollAbilities(viewer: Viewer, poll: PollLike, ctx: PollContext): PollAbilities {
  return {
    canVote: canVote(viewer, poll, ctx),
    canClose: canClosePoll(viewer, poll, ctx),
    canReopen: canReopenPoll(viewer, poll, ctx),
    canPublishOutcome: canPublishOutcome(viewer, poll, ctx),
    canEdit: canEditPoll(viewer, poll, ctx),
    canSeeResults: canSeeResults(poll, ctx.hasVoted, ctx.now),
  };
}
