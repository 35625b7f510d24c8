/**
 * Presenting polls for one viewer: loads the viewer's own votes, decides the
 * abilities (and so whether results may be seen) through the poll policy,
 * tallies with the shared `tally` only the polls whose results the viewer may
 * see, and hands everything to the presenter. Ballots of other polls are not
 * even read. An anonymous poll that takes votes shows its last published batch
 * (commands/polls/publish-tallies.ts), to everyone alike.
 */
import { tally, type Choice, type PollResults } from '../../../../shared/polls.js';
import type { Viewer } from '../../auth/viewer.js';
import type { LoadedDiscussion } from '../../commands/discussions/load.js';
import { loadPeople, type People } from '../../commands/discussions/people.js';
import { ballots, ownVotes, publishedBallots } from '../../commands/polls/load.js';
import { countedBallots } from '../../commands/polls/counted-ballots.js';
import { rulesOf } from '../../commands/polls/rules.js';
import type { PollDocument } from '../../models/poll.js';
import { isTallyBatched, pollAbilities } from '../../policies/poll.js';
import { presentPoll, type PollDto } from '../../presenters/poll.js';
import { presentOwnVote } from '../../presenters/vote.js';

/**
 * What presenting polls needs besides the polls: the viewer's own votes, the
 * ballots (live, and published batches for anonymous polls) of the polls whose
 * results may be shown, and the people named. The live fan-out loads these once
 * per change and presents every view and voter from them.
 */
export interface PollExtras {
  mine: Map<string, VoteLikeRecord>;
  live: Map<string, Choice[][]>;
  published: Map<string, Choice[][]>;
  people: People;
}

type VoteLikeRecord = Parameters<typeof presentOwnVote>[0] & { pollId: unknown };

/** Presents polls for `viewer` from extras already loaded (no database access). */
export function presentPollsFrom(
  viewer: Viewer,
  polls: PollDocument[],
  ctx: LoadedDiscussion,
  { mine, live, published, people }: PollExtras,
  now = new Date(),
): PollDto[] {
  return polls.map((poll) => {
    const own = mine.get(String(poll._id));
    const abilities = pollAbilities(viewer, poll, { ...ctx, hasVoted: own !== undefined, now });
    const batched = isTallyBatched(poll, now);
    const votes = (batched ? published : live).get(String(poll._id));
    const results: PollResults | null =
      abilities.canSeeResults && votes ? tally(rulesOf(poll), votes) : null;
    return presentPoll(poll, {
      groupId: ctx.discussion.groupId === null ? null : String(ctx.discussion.groupId),
      abilities,
      results,
      // Where ballots were read, the count is theirs: the poll's own count, read a moment
      // earlier, may lag behind votes stored in between, and the two would disagree.
      voterCount: batched
        ? poll.publishedVoterCount
        : results && votes
          ? votes.length
          : poll.voterCount,
      myVote: own ? presentOwnVote(own) : null,
      people,
    });
  });
}

/** Polls of one discussion, presented for `viewer`, in the given order. */
export async function presentPollsFor(
  viewer: Viewer,
  polls: PollDocument[],
  ctx: LoadedDiscussion,
  /** Where the ballots come from; a caller presenting several views passes one shared load. */
  loadBallots: typeof ballots = ballots,
): Promise<PollDto[]> {
  const mine = await ownVotes(
    viewer,
    polls.map((p) => p._id),
  );
  return presentWithVotes(viewer, polls, ctx, mine, loadBallots);
}

/**
 * A poll presented for the voter who has just cast `vote` in it: their own
 * vote is known, so only what the tally needs is read.
 */
export async function presentPollForVoter(
  viewer: Viewer,
  poll: PollDocument,
  ctx: LoadedDiscussion,
  vote: VoteLikeRecord,
  peopleOf: (ids: unknown[]) => Promise<People> = loadPeople,
): Promise<PollDto> {
  // The ballots as the vote left them: the same read its timeline entry's tally takes.
  const [dto] = await presentWithVotes(
    viewer,
    [poll],
    ctx,
    new Map([[String(poll._id), vote]]),
    countedBallots(poll),
    peopleOf,
  );
  return dto;
}

/**
 * A poll presented for the stand-in viewer of a view (who has voted in
 * nothing), with its people already loaded: only what the tally needs is
 * read. Live meetings present their quick vote this way for every view.
 */
export async function presentPollForView(
  viewer: Viewer,
  poll: PollDocument,
  ctx: LoadedDiscussion,
  known: { people: People; loadBallots?: typeof ballots },
): Promise<PollDto> {
  const [dto] = await presentWithVotes(viewer, [poll], ctx, new Map(), known.loadBallots, () =>
    Promise.resolve(known.people),
  );
  return dto;
}

async function presentWithVotes(
  viewer: Viewer,
  polls: PollDocument[],
  ctx: LoadedDiscussion,
  mine: PollExtras['mine'],
  loadBallots: typeof ballots = ballots,
  peopleOf: (ids: unknown[]) => Promise<People> = loadPeople,
): Promise<PollDto[]> {
  const now = new Date();
  const visible = polls.filter(
    (poll) =>
      pollAbilities(viewer, poll, { ...ctx, hasVoted: mine.has(String(poll._id)), now })
        .canSeeResults,
  );
  const batched = (poll: PollDocument) => isTallyBatched(poll, now);
  const [live, published, people] = await Promise.all([
    loadBallots(visible.filter((p) => !batched(p)).map((p) => p._id)),
    publishedBallots(visible.filter(batched).map((p) => p._id)),
    peopleOf(pollPeople(polls)),
  ]);
  return presentPollsFrom(viewer, polls, ctx, { mine, live, published, people }, now);
}

/** The people a poll names: its author and its outcome's author. */
export const pollPeople = (polls: PollDocument[]) =>
  polls.flatMap((p) => [p.authorId, p.outcome?.authorId]);

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
