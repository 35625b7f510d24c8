import type { StateCreator } from 'zustand';
import type { CommentDto } from '../../../shared/dto.js';
import { upsertAll, type ById } from './records.js';
import type { Store } from './index.js';

/** A comment the person posted that the server has not confirmed yet (or refused). */
export interface PendingComment {
  clientId: string;
  discussionId: string;
  parentId: string | null;
  body: string;
  status: 'sending' | 'failed';
  error: string | null;
  /**
   * Failed only because Quorum could not be reached (offline, or the server
   * not answering): sent again by itself once it answers (realtime/resend.ts).
   * A refusal (rate limited, muted, slow mode...) waits for Retry instead.
   */
  unreachable?: boolean;
  createdAt: string;
}

export interface CommentsSlice {
  comments: ById<CommentDto>;
  pendingComments: ById<PendingComment>;
  /** Confirmed comments; a confirmed one with a clientId settles its pending twin. */
  upsertComments: (comments: readonly CommentDto[]) => void;
  addPendingComment: (pending: PendingComment) => void;
  failPendingComment: (clientId: string, error: string, unreachable?: boolean) => void;
  dropPendingComment: (clientId: string) => void;
}

export const commentsSlice: StateCreator<Store, [], [], CommentsSlice> = (set) => ({
  comments: {},
  pendingComments: {},
  upsertComments: (comments) =>
    set((s) => {
      let pending: Record<string, PendingComment> | null = null;
      for (const c of comments) {
        if (c.clientId !== null && c.clientId in (pending ?? s.pendingComments)) {
          pending ??= { ...s.pendingComments };
          delete pending[c.clientId];
        }
      }
      return {
        comments: upsertAll(s.comments, comments),
        pendingComments: pending ?? s.pendingComments,
      };
    }),
  addPendingComment: (p) =>
    set((s) => ({ pendingComments: { ...s.pendingComments, [p.clientId]: p } })),
  failPendingComment: (clientId, error, unreachable = false) =>
    set((s) => {
      const held = s.pendingComments[clientId];
      if (!held) return {};
      return {
        pendingComments: {
          ...s.pendingComments,
          [clientId]: { ...held, status: 'failed', error, unreachable },
        },
      };
    }),
  dropPendingComment: (clientId) =>
    set((s) => {
      if (!(clientId in s.pendingComments)) return {};
      const next = { ...s.pendingComments };
      delete next[clientId];
      return { pendingComments: next };
    }),
});
