/**
 * The typed Socket.IO contract between server and client: every event name and
 * payload both ways, used as generics on both sides so neither can drift.
 * Acknowledgements answer `{ data }` or `{ error }`, never both.
 */
import type { CommentDto, TimelineEventDto } from './dto.js';
import type { ErrorId } from './api.js';

export type AckResponse<T> =
  { data: T } | { error: { id: ErrorId; message: string; field?: string } };
export type Ack<T> = (response: AckResponse<T>) => void;

export interface WatchDiscussionRequest {
  discussionId: string;
  /** The last timeline sequence this client saw; the reply carries everything after it. */
  afterSequence?: number;
}

/** What a (re)connecting client missed in a discussion, presented for its view. */
export interface DiscussionCatchUp {
  discussionId: string;
  events: TimelineEventDto[];
  comments: CommentDto[];
  lastSequence: number;
  /** True when more than one reply's worth was missed: the client should reload the discussion. */
  truncated: boolean;
}

export interface ServerToClientEvents {
  /** A new entry on the timeline of a watched discussion. */
  'timeline:event': (event: TimelineEventDto) => void;
  /** A comment was posted, edited, deleted or reacted to. */
  'comment:upserted': (comment: CommentDto) => void;
  /**
   * This socket lost access: to one discussion (removed from its group, the
   * discussion became private or moved), or entirely (signed out everywhere,
   * account deactivated), in which case the server then disconnects it.
   */
  'access:revoked': (notice: {
    discussionId?: string;
    reason: 'access_removed' | 'signed_out';
  }) => void;
  /** The server's change history could not cover a gap: reload what is on screen. */
  'feed:resync': (notice: { reason: string }) => void;
}

export interface ClientToServerEvents {
  'discussion:watch': (request: WatchDiscussionRequest, ack: Ack<DiscussionCatchUp>) => void;
  'discussion:unwatch': (request: { discussionId: string }, ack: Ack<null>) => void;
}
