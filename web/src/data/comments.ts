/**
 * What a person does to comments once posted (posting itself, optimistic and
 * retry-safe, is `postComment` in discussions.ts): edit, delete, react, read
 * the history, and who can be @mentioned. Answers go through the same upsert
 * path as live `comment:upserted` events, so whichever arrives first wins and
 * the other is a no-op.
 */
import type {
  CommentDto,
  CommentRevisionDto,
  MemberDto,
  UserSummaryDto,
} from '../../../shared/dto.js';
import { api, type Page } from '../api/client.js';
import { useStore } from '../store/index.js';
import { readAll } from './pages.js';

/** The reactions offered on every comment; reactions others chose outside it still show. */
export const REACTION_SET = ['👍', '❤️', '🎉', '😄', '🤔', '👀'] as const;

function settle({ comment }: { comment: CommentDto }): CommentDto {
  useStore.getState().upsertComments([comment]);
  return comment;
}

export async function editComment(commentId: string, body: string): Promise<CommentDto> {
  return settle(await api.patch<{ comment: CommentDto }>(`/comments/${commentId}`, { body }));
}

/** Soft delete: the comment keeps its place in the thread, without its text. */
export async function deleteComment(commentId: string): Promise<CommentDto> {
  return settle(await api.delete<{ comment: CommentDto }>(`/comments/${commentId}`));
}

/** Adds (`on`) or takes back the viewer's reaction; both are idempotent on the server. */
export async function setReaction(commentId: string, emoji: string, on: boolean): Promise<void> {
  const path = `/comments/${commentId}/reactions/${encodeURIComponent(emoji)}`;
  settle(
    on
      ? await api.put<{ comment: CommentDto }>(path)
      : await api.delete<{ comment: CommentDto }>(path),
  );
}

/** A comment's earlier texts, newest first (the first page: up to 50 edits). */
export async function loadHistory(commentId: string): Promise<CommentRevisionDto[]> {
  const page = await api.get<Page<CommentRevisionDto>>(`/comments/${commentId}/history`, {
    limit: 50,
  });
  return page.items;
}

/**
 * People of a group who can be mentioned, kept in the store's member list.
 * The members list may be closed to the viewer (403/404): then there are none
 * from it, and the composer suggests people seen in the discussion only.
 */
export async function loadMentionableMembers(groupId: string): Promise<UserSummaryDto[]> {
  const held = useStore.getState().members[groupId];
  if (held) return held;
  try {
    const members = await readAll<MemberDto>(`/groups/${groupId}/members`, {}, 1000);
    useStore.getState().setMembers(groupId, members);
    return members;
  } catch {
    return [];
  }
}
