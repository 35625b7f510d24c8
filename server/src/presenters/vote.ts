/**
 * Votes as they leave the server. In an anonymous poll a vote is its choices
 * and reason only: no voter, no id (an ObjectId carries its creation time) and
 * no timestamps, for every viewer, coordinators and the poll's author included.
 * The one mark a viewer gets is `mine` on their own vote.
 */
import type { Vote, VoteChoice } from '../models/vote.js';
import type { UserSummaryDto } from './user.js';
import type { ChoiceDto, OwnVoteDto } from '../../../shared/dto.js';
import type { AnonymousVoteDto, NamedVoteDto } from '../../../shared/dto.js';

export type { AnonymousVoteDto, NamedVoteDto };

export type { ChoiceDto, OwnVoteDto };

type VoteLike = Pick<Vote, '_id' | 'userId' | 'choices' | 'reason' | 'createdAt' | 'updatedAt'>;

/** Choices with exactly their two fields. */
export const presentChoices = (choices: VoteChoice[]): ChoiceDto[] =>
  choices.map((c) => ({ optionId: c.optionId, value: c.value }));

/**
 * How the caller decided to show one vote: anonymous for every vote of an
 * anonymous poll; otherwise named, with the voter's summary.
 */
export type VoteView =
  { anonymous: true; mine: boolean } | { anonymous: false; mine: boolean; voter: UserSummaryDto };

/** One vote in a list of votes, anonymous or named as the caller decided. */
export function presentVote(vote: VoteLike, view: VoteView): AnonymousVoteDto | NamedVoteDto {
  const shown = { choices: presentChoices(vote.choices), reason: vote.reason, mine: view.mine };
  if (view.anonymous) return shown;
  return {
    id: String(vote._id),
    voter: view.voter,
    ...shown,
    createdAt: vote.createdAt.toISOString(),
    updatedAt: vote.updatedAt.toISOString(),
  };
}

/** The viewer's own vote; only ever called with a vote whose userId is the viewer. */
export function presentOwnVote(vote: VoteLike): OwnVoteDto {
  return {
    choices: presentChoices(vote.choices),
    reason: vote.reason,
    createdAt: vote.createdAt.toISOString(),
    updatedAt: vote.updatedAt.toISOString(),
  };
}
