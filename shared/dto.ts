/**
 * The shapes of records as clients receive them, over HTTP and over sockets.
 * Server presenters produce exactly these; the web client consumes them.
 */
import type { EventKind } from './domain.js';

export interface UserSummaryDto {
  id: string;
  name: string;
  handle: string | null;
  avatarUrl: string | null;
  status: 'active' | 'deactivated' | 'deleted';
}

export interface ReactionSummaryDto {
  emoji: string;
  count: number;
  /** Whether the viewer is among those who reacted. */
  mine: boolean;
  /** Up to 50 of the people who reacted. */
  users: UserSummaryDto[];
}

export interface CommentAbilitiesDto {
  canEdit: boolean;
  canDelete: boolean;
  canReact: boolean;
  canReply: boolean;
}

export interface CommentDto {
  id: string;
  discussionId: string;
  parentId: string | null;
  author: UserSummaryDto;
  body: string;
  deleted: boolean;
  deletedAt: string | null;
  edited: boolean;
  editedAt: string | null;
  sequence: number;
  createdAt: string;
  /** The author's own client-generated id, so their client can match an optimistic post; null for others. */
  clientId: string | null;
  reactions: ReactionSummaryDto[];
  abilities: CommentAbilitiesDto;
}

export interface TimelineEventDto {
  id: string;
  discussionId: string;
  sequence: number;
  kind: EventKind;
  /** Null for system actions and anonymous votes. */
  actor: UserSummaryDto | null;
  commentId: string | null;
  pollId: string | null;
  createdAt: string;
}
