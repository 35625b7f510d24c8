/**
 * Which events of a readable discussion's timeline a viewer sees: all of
 * them, except those of held comments (moderation/visibility.ts), and the `vote_cast` events of a poll whose results the viewer may
 * not see (and of any anonymous poll; see `canSeeVoteEvents`). New votes of
 * such polls never reach the timeline while hidden (cast-vote.ts); this holds
 * for the events written earlier (a reopened poll hides its results again,
 * and databases kept events from before the rule). The REST timeline, the
 * catch-up and the live feed all read through it.
 */
import type { Types } from 'mongoose';
import type { Viewer } from '../../auth/viewer.js';
import type { TimelineEvent } from '../../models/event.js';
import { PollModel } from '../../models/poll.js';
import { canSeeVoteEvents } from '../../policies/poll.js';
import { ownVotes } from '../polls/load.js';
import { heldFrom } from '../../moderation/visibility.js';

type EventLike = Pick<TimelineEvent, 'kind' | 'pollId'> & {
  commentId?: TimelineEvent['commentId'];
};

/** A test, for this viewer, of whether they may see each of `events`. */
export async function timelineFilterFor(
  viewer: Viewer,
  events: readonly EventLike[],
): Promise<(event: EventLike) => boolean> {
  const held = await heldFrom(viewer, events);
  const shown = (event: EventLike) => !event.commentId || !held.has(String(event.commentId));
  const pollIds = new Map<string, Types.ObjectId>();
  for (const event of events)
    if (event.kind === 'vote_cast' && event.pollId) pollIds.set(String(event.pollId), event.pollId);
  if (pollIds.size === 0) return shown;
  const ids = [...pollIds.values()];
  const [polls, mine] = await Promise.all([
    PollModel.find(
      { _id: { $in: ids } },
      { anonymous: 1, hideResults: 1, closedAt: 1, closesAt: 1 },
    ).lean(),
    ownVotes(viewer, ids),
  ]);
  const now = new Date();
  const visible = new Set(
    polls
      .filter((poll) => canSeeVoteEvents(poll, mine.has(String(poll._id)), now))
      .map((poll) => String(poll._id)),
  );
  return (event) =>
    shown(event) && (event.kind !== 'vote_cast' || visible.has(String(event.pollId)));
}
