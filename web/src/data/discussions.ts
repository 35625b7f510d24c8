/** Loading a discussion with everything on its page, and posting to it. */
import type { CommentDto, DiscussionDto, PollDto, TimelineEventDto } from '../../../shared/dto.js';
import { ApiError, api, messageOf } from '../api/client.js';
import { useStore } from '../store/index.js';
import { readAll } from './pages.js';

/** Loads a discussion, its whole timeline, its comments and its polls into the store. */
export async function loadDiscussion(id: string): Promise<DiscussionDto> {
  const [{ discussion }, events, comments, polls] = await Promise.all([
    api.get<{ discussion: DiscussionDto }>(`/discussions/${id}`),
    readAll<TimelineEventDto>(`/discussions/${id}/events`, { after: 0 }),
    readAll<CommentDto>(`/discussions/${id}/comments`, { after: 0 }),
    readAll<PollDto>(`/discussions/${id}/polls`),
  ]);
  const store = useStore.getState();
  store.upsertDiscussions([discussion]);
  store.addEvents(id, events);
  store.upsertComments(comments);
  store.upsertPolls(polls, { withOwnVotes: true });
  return discussion;
}

/** Reloads what a discussion shows after the live feed could not cover a gap. */
export async function reloadPolls(discussionId: string): Promise<void> {
  const polls = await readAll<PollDto>(`/discussions/${discussionId}/polls`);
  useStore.getState().upsertPolls(polls, { withOwnVotes: true });
}

/**
 * Reloads a discussion's comments: what one may do with each (reply, react,
 * edit) follows the discussion's state, so when it closes or reopens live the
 * abilities the server sends with each comment are fetched again.
 */
export async function reloadComments(discussionId: string): Promise<void> {
  const comments = await readAll<CommentDto>(`/discussions/${discussionId}/comments`, { after: 0 });
  useStore.getState().upsertComments(comments);
}

function newClientId(): string {
  return `c-${crypto.randomUUID()}`;
}

/**
 * Posts a comment optimistically: it shows at once as "sending", is replaced
 * by the server's record (matched by its clientId, from the response or the
 * live event, whichever comes first), and on failure stays with the error and
 * a retry that reuses the same clientId, so a retry never posts twice.
 */
export async function postComment(input: {
  discussionId: string;
  parentId: string | null;
  body: string;
  clientId?: string;
}): Promise<void> {
  const store = useStore.getState();
  const clientId = input.clientId ?? newClientId();
  store.addPendingComment({
    clientId,
    discussionId: input.discussionId,
    parentId: input.parentId,
    body: input.body,
    status: 'sending',
    error: null,
    // Sent again: it keeps its place among one's unconfirmed comments.
    createdAt: store.pendingComments[clientId]?.createdAt ?? new Date().toISOString(),
  });
  try {
    const { comment } = await api.post<{ comment: CommentDto }>(
      `/discussions/${input.discussionId}/comments`,
      { body: input.body, clientId, ...(input.parentId ? { parentId: input.parentId } : {}) },
    );
    useStore.getState().upsertComments([comment]);
  } catch (error) {
    // No answer (offline) or a failing server is not a refusal: it goes again once Quorum answers.
    const unreachable =
      error instanceof ApiError && (error.id === 'network_error' || error.status >= 500);
    useStore.getState().failPendingComment(clientId, messageOf(error), unreachable);
    // Slow mode says when the next comment is allowed: the composer counts down to it.
    if (error instanceof ApiError && error.id === 'slow_mode' && error.until)
      useStore.getState().setNextPostAt(input.discussionId, Date.parse(error.until));
  }
}

/** Marks the discussion read up to `sequence`. */
export async function markRead(discussionId: string, sequence: number): Promise<void> {
  const { readState } = await api.post<{ readState: DiscussionDto['readState'] }>(
    `/discussions/${discussionId}/read`,
    { sequence },
  );
  if (readState) useStore.getState().setReadState(discussionId, readState);
}

async function settleDiscussion(
  request: Promise<{ discussion: DiscussionDto }>,
): Promise<DiscussionDto> {
  const { discussion } = await request;
  useStore.getState().upsertDiscussions([discussion]);
  return discussion;
}

/** Edits the title and/or context (everyone watching sees it live as discussion:upserted). */
export function editDiscussion(
  id: string,
  changes: { title?: string; context?: string },
): Promise<DiscussionDto> {
  return settleDiscussion(api.patch(`/discussions/${id}`, changes));
}

/** Closes or reopens the discussion to new comments. */
export function setDiscussionClosed(id: string, closed: boolean): Promise<DiscussionDto> {
  return settleDiscussion(api.post(`/discussions/${id}/${closed ? 'close' : 'reopen'}`));
}

/** Pins or unpins the discussion at the top of its group's list. */
export function setDiscussionPinned(id: string, pinned: boolean): Promise<DiscussionDto> {
  return settleDiscussion(api.post(`/discussions/${id}/${pinned ? 'pin' : 'unpin'}`));
}
