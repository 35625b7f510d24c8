/**
 * Presenting polls for one viewer: loads the viewer's own votes, decides the
 * abilities (and so whether results may be seen) through the poll policy,
 * tallies with the shared `tally` only the polls whose results the viewer may
 * see, and hands everything to the presenter. Ballots of other polls are not
 * even read. An anonymous poll that takes votes shows its last published batch
 * (commands/polls/publish-tallies.ts), to everyone alike.
 */
import { tally, type PollResults } from '../../../../shared/polls.js';
import type { Viewer } from '../../auth/viewer.js';
import type { LoadedDiscussion } from '../../commands/discussions/load.js';
import { loadPeople } from '../../commands/discussions/people.js';
import { ballots, ownVotes, publishedBallots } from '../../commands/polls/load.js';
import { rulesOf } from '../../commands/polls/rules.js';
import type { PollDocument } from '../../models/poll.js';
import { isTallyBatched, pollAbilities } from '../../policies/poll.js';
import { presentPoll, type PollDto } from '../../presenters/poll.js';
import { presentOwnVote } from '../../presenters/vote.js';

/** Polls of one discussion, presented for `viewer`, in the given order. */
export async function presentPollsFor(
  viewer: Viewer,
  polls: PollDocument[],
  ctx: LoadedDiscussion,
  /** Where the ballots come from; live fan-out passes one shared load for all its views. */
  loadBallots: typeof ballots = ballots,
): Promise<PollDto[]> {
  const now = new Date();
  const mine = await ownVotes(
    viewer,
    polls.map((p) => p._id),
  );
  const abilities = polls.map((poll) =>
    pollAbilities(viewer, poll, { ...ctx, hasVoted: mine.has(String(poll._id)), now }),
  );
  const visible = polls.filter((_, i) => abilities[i].canSeeResults);
  const batched = (poll: PollDocument) => isTallyBatched(poll, now);
  const [live, published, people] = await Promise.all([
    loadBallots(visible.filter((p) => !batched(p)).map((p) => p._id)),
    publishedBallots(visible.filter(batched).map((p) => p._id)),
    loadPeople(polls.flatMap((p) => [p.authorId, p.outcome?.authorId])),
  ]);
  return polls.map((poll, i) => {
    const votes = (batched(poll) ? published : live).get(String(poll._id));
    const results: PollResults | null =
      abilities[i].canSeeResults && votes ? tally(rulesOf(poll), votes) : null;
    const own = mine.get(String(poll._id));
    return presentPoll(poll, {
      groupId: ctx.discussion.groupId === null ? null : String(ctx.discussion.groupId),
      abilities: abilities[i],
      results,
      voterCount: batched(poll) ? poll.publishedVoterCount : poll.voterCount,
      myVote: own ? presentOwnVote(own) : null,
      people,
    });
  });
}

/** One poll presented for `viewer` (see presentPollsFor). */
export async function presentPollFor(
  viewer: Viewer,
  poll: PollDocument,
  ctx: LoadedDiscussion,
  loadBallots: typeof ballots = ballots,
): Promise<PollDto> {
  const [dto] = await presentPollsFor(viewer, [poll], ctx, loadBallots);
  return dto;
}
