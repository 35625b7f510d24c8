/**
 * Polls as they leave the server. Results (the tally and the voter count) are
 * included only when the caller's policy said the viewer may see them; when
 * hidden, the response has no `results` and no `voterCount` field at all, so no
 * per-option number can reach a viewer early. `myVote` is the viewer's own.
 */
import { effectiveSettings, type PollResults } from '../../../shared/polls.js';
import type { Poll } from '../models/poll.js';
import type { PollAbilities } from '../policies/poll.js';
import { rulesOf } from '../commands/polls/rules.js';
import type { UserSummaryDto } from './user.js';
import type { PollDto, PollOptionDto, PollSettingsDto } from '../../../shared/dto.js';

export type { PollDto, PollOptionDto, PollSettingsDto };
import type { OwnVoteDto } from './vote.js';

export interface PollView {
  /**
   * The group of the poll's discussion as it is now (the poll's own `groupId`
   * is a copy taken at creation, which a move of the discussion leaves behind).
   */
  groupId: string | null;
  abilities: PollAbilities;
  /** The tally; ignored unless `abilities.canSeeResults`. */
  results: PollResults | null;
  /** The voter count shown with the results (an anonymous poll's last published one while open). */
  voterCount: number;
  myVote: OwnVoteDto | null;
  /** Resolves the poll's author and the outcome's author (see commands/discussions/people.ts). */
  people: (id: unknown) => UserSummaryDto;
}

function settingsOf(poll: Poll): PollSettingsDto {
  const s = effectiveSettings(rulesOf(poll));
  const kind = poll.kind;
  return {
    minChoices: kind === 'multiple_choice' ? s.minChoices : null,
    maxChoices: kind === 'multiple_choice' ? s.maxChoices : null,
    minScore: kind === 'score' ? s.minScore : null,
    maxScore: kind === 'score' ? s.maxScore : null,
    dotsPerPerson: kind === 'dot_vote' ? s.dotsPerPerson : null,
    threshold: kind === 'count' ? poll.threshold : null,
    anonymous: poll.anonymous,
    hideResults: poll.hideResults,
    reasonRequired: poll.reasonRequired,
    voterIds: poll.voterIds === null ? null : poll.voterIds.map(String),
  };
}

/** A poll for one viewer, as decided by the caller's `PollView`; every field listed. */
export function presentPoll(poll: Poll, view: PollView): PollDto {
  const userOf = view.people;
  const dto: PollDto = {
    id: String(poll._id),
    discussionId: String(poll.discussionId),
    groupId: view.groupId,
    author: userOf(poll.authorId),
    kind: poll.kind,
    title: poll.title,
    details: poll.details,
    options: poll.options.map((o) =>
      poll.kind === 'meeting_time' && typeof o.startsAt === 'string'
        ? { id: o.id, label: o.label, startsAt: o.startsAt }
        : { id: o.id, label: o.label },
    ),
    settings: settingsOf(poll),
    closesAt: poll.closesAt?.toISOString() ?? null,
    closedAt: poll.closedAt?.toISOString() ?? null,
    outcome:
      poll.outcome === null
        ? null
        : {
            statement: poll.outcome.statement,
            author: userOf(poll.outcome.authorId),
            createdAt: poll.outcome.createdAt.toISOString(),
          },
    myVote: view.myVote,
    abilities: view.abilities,
    createdAt: poll.createdAt.toISOString(),
    updatedAt: poll.updatedAt.toISOString(),
  };
  if (view.abilities.canSeeResults && view.results !== null) {
    dto.voterCount = view.voterCount;
    dto.results = view.results;
  }
  return dto;
}
