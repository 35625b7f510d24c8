/**
 * Poll actions: each calls the API and puts what it answers into the store
 * through the same upsert the live events use, so the screen shows one truth
 * whichever arrives first. Votes are optimistic: the viewer's own vote shows
 * at once and is put back as it was when the server refuses it.
 */
import type {
  AnonymousVoteDto,
  ChoiceDto,
  NamedVoteDto,
  OwnVoteDto,
  PollDto,
} from '../../../shared/dto.js';
import type { HideResults, PollKind } from '../../../shared/domain.js';
import { api, type Page } from '../api/client.js';
import { useStore } from '../store/index.js';

/** The body of `POST /api/discussions/:id/polls` (see createPollSchema on the server). */
export interface NewPollInput {
  kind: PollKind;
  title: string;
  details: string;
  options?: { label: string; startsAt?: string }[];
  minChoices?: number;
  maxChoices?: number;
  minScore?: number;
  maxScore?: number;
  dotsPerPerson?: number;
  threshold?: number;
  closesAt: string | null;
  anonymous: boolean;
  hideResults: HideResults;
  reasonRequired: boolean;
}

/** A listed vote: named votes carry their voter; anonymous ones carry nothing that identifies. */
export type ListedVote = NamedVoteDto | AnonymousVoteDto;

export function isNamedVote(vote: ListedVote): vote is NamedVoteDto {
  return 'voter' in vote;
}

function upsertWithOwnVote(poll: PollDto): void {
  useStore.getState().upsertPolls([poll], { withOwnVotes: true });
}

/** A poll as the viewer may see it, with their own vote, into the store (e.g. a meeting's quick vote). */
export async function loadPoll(pollId: string): Promise<PollDto> {
  const { poll } = await api.get<{ poll: PollDto }>(`/polls/${pollId}`);
  upsertWithOwnVote(poll);
  return poll;
}

/** Starts a poll in a discussion; resolves with it once the store holds it. */
export async function createPoll(discussionId: string, input: NewPollInput): Promise<PollDto> {
  const { poll } = await api.post<{ poll: PollDto }>(`/discussions/${discussionId}/polls`, input);
  upsertWithOwnVote(poll);
  return poll;
}

/**
 * Casts or changes the viewer's vote. The vote shows as cast at once; when
 * the server refuses it, the previous vote comes back (unless something newer
 * arrived meanwhile) and the error is thrown for the form to show.
 */
export async function castVote(
  pollId: string,
  ballot: { choices: ChoiceDto[]; reason: string },
): Promise<void> {
  const store = useStore.getState();
  const previous = store.myVotes[pollId] ?? null;
  const now = new Date().toISOString();
  const optimistic: OwnVoteDto = {
    choices: ballot.choices,
    reason: ballot.reason,
    createdAt: previous?.createdAt ?? now,
    updatedAt: now,
  };
  store.setMyVote(pollId, optimistic);
  try {
    const { poll, vote } = await api.put<{ poll: PollDto; vote: OwnVoteDto }>(
      `/polls/${pollId}/vote`,
      ballot,
    );
    const after = useStore.getState();
    after.upsertPolls([poll]);
    if (after.myVotes[pollId] === optimistic) after.setMyVote(pollId, vote);
  } catch (error) {
    const after = useStore.getState();
    if (after.myVotes[pollId] === optimistic) after.setMyVote(pollId, previous);
    throw error;
  }
}

export async function closePoll(pollId: string): Promise<void> {
  const { poll } = await api.post<{ poll: PollDto }>(`/polls/${pollId}/close`);
  upsertWithOwnVote(poll);
}

/** Reopens a closed poll; `closesAt` (ISO) is needed when its old closing time has passed. */
export async function reopenPoll(pollId: string, closesAt?: string | null): Promise<void> {
  const { poll } = await api.post<{ poll: PollDto }>(
    `/polls/${pollId}/reopen`,
    closesAt === undefined ? {} : { closesAt },
  );
  upsertWithOwnVote(poll);
}

export async function publishOutcome(pollId: string, statement: string): Promise<void> {
  const { poll } = await api.post<{ poll: PollDto }>(`/polls/${pollId}/outcome`, { statement });
  upsertWithOwnVote(poll);
}

/** One page of a poll's votes with their reasons (only when the viewer may see results). */
export function loadVotes(
  pollId: string,
  cursor?: string,
  signal?: AbortSignal,
): Promise<Page<ListedVote>> {
  return api.get<Page<ListedVote>>(`/polls/${pollId}/votes`, { limit: 50, cursor }, signal);
}
