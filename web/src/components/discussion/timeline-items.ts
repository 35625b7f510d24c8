/**
 * The shape of a discussion's timeline as the page draws it: top-level
 * comments interleaved with the events worth a line (polls, closing,
 * reopening...), each comment with its replies. Replies nest two levels deep
 * and then stay flat, so a long exchange never drifts off a phone screen.
 * Vote events are folded into one summary line per run, never one per vote.
 */
import type { CommentDto, TimelineEventDto, UserSummaryDto } from '../../../../shared/dto.js';
import type { EventKind } from '../../../../shared/domain.js';
import type { PendingComment } from '../../store/comments.js';

/** How deep replies indent; deeper replies sit flat at this depth, naming whom they answer. */
export const MAX_DEPTH = 2;

export interface ThreadNode {
  comment: CommentDto;
  depth: number;
  /** Set on replies shown flat below their parent's depth: whom they answer. */
  replyTo: UserSummaryDto | null;
  replies: ThreadNode[];
  /** Unconfirmed replies to this comment (the viewer's own). */
  pending: PendingComment[];
}

/** The kinds that earn their own line; comment events are the comments themselves. */
const SHOWN: ReadonlySet<EventKind> = new Set<EventKind>([
  'discussion_edited',
  'discussion_closed',
  'discussion_reopened',
  'discussion_moved',
  'poll_created',
  'poll_closed',
  'poll_reopened',
  'outcome_published',
  'minutes_published',
]);

export type TimelineItem =
  | { type: 'thread'; key: string; sequence: number; node: ThreadNode }
  | { type: 'event'; key: string; sequence: number; event: TimelineEventDto }
  | {
      type: 'votes';
      key: string;
      /** The highest sequence in the run (what reading it marks read). */
      sequence: number;
      events: TimelineEventDto[];
    };

function bySequence<T extends { sequence: number }>(a: T, b: T): number {
  return a.sequence - b.sequence;
}

/** Builds the timeline from a discussion's comments, events and the viewer's pending posts. */
export function buildTimeline(
  comments: readonly CommentDto[],
  events: readonly TimelineEventDto[],
  pending: readonly PendingComment[] = [],
): { items: TimelineItem[]; pendingTopLevel: PendingComment[] } {
  const byId = new Map(comments.map((c) => [c.id, c]));
  const children = new Map<string, CommentDto[]>();
  const roots: CommentDto[] = [];
  for (const c of [...comments].sort(bySequence)) {
    // A reply whose parent this client does not hold (yet) shows at the top level.
    if (c.parentId !== null && byId.has(c.parentId)) {
      const list = children.get(c.parentId) ?? [];
      list.push(c);
      children.set(c.parentId, list);
    } else roots.push(c);
  }
  const pendingByParent = new Map<string, PendingComment[]>();
  const pendingTopLevel: PendingComment[] = [];
  for (const p of [...pending].sort((a, b) => a.createdAt.localeCompare(b.createdAt))) {
    if (p.parentId !== null && byId.has(p.parentId)) {
      const list = pendingByParent.get(p.parentId) ?? [];
      list.push(p);
      pendingByParent.set(p.parentId, list);
    } else pendingTopLevel.push(p);
  }

  const build = (
    comment: CommentDto,
    depth: number,
    replyTo: UserSummaryDto | null,
  ): ThreadNode => ({
    comment,
    depth,
    replyTo,
    replies: [],
    pending: pendingByParent.get(comment.id) ?? [],
  });

  const grow = (node: ThreadNode): void => {
    if (node.depth < MAX_DEPTH - 1) {
      for (const kid of children.get(node.comment.id) ?? []) {
        const child = build(kid, node.depth + 1, null);
        grow(child);
        node.replies.push(child);
      }
      return;
    }
    // At MAX_DEPTH - 1 every descendant sits flat one level deeper, in posting order;
    // those that answer a reply (not this comment) say whom they answer.
    const flat: ThreadNode[] = [];
    const walk = (parent: CommentDto): void => {
      for (const kid of children.get(parent.id) ?? []) {
        flat.push(build(kid, MAX_DEPTH, parent.id === node.comment.id ? null : parent.author));
        walk(kid);
      }
    };
    walk(node.comment);
    flat.sort((a, b) => a.comment.sequence - b.comment.sequence);
    // The viewer's unconfirmed replies to flat comments show at the end of the flat run.
    for (const f of flat) {
      node.pending.push(...f.pending);
      f.pending = [];
    }
    node.replies = flat;
  };

  const items: TimelineItem[] = [];
  for (const root of roots) {
    const node = build(root, 0, null);
    grow(node);
    items.push({ type: 'thread', key: `c-${root.id}`, sequence: root.sequence, node });
  }
  for (const e of events) {
    if (SHOWN.has(e.kind))
      items.push({ type: 'event', key: `e-${e.id}`, sequence: e.sequence, event: e });
    else if (e.kind === 'vote_cast')
      items.push({ type: 'votes', key: `v-${e.id}`, sequence: e.sequence, events: [e] });
  }
  items.sort(bySequence);

  // Fold each run of vote items (nothing else between them) into one.
  const folded: TimelineItem[] = [];
  for (const item of items) {
    const last = folded[folded.length - 1];
    if (item.type === 'votes' && last?.type === 'votes') {
      folded[folded.length - 1] = {
        ...last,
        sequence: item.sequence,
        events: [...last.events, ...item.events],
      };
    } else folded.push(item);
  }
  return { items: folded, pendingTopLevel };
}

/** Every comment of a thread, depth first (for counting and finding). */
export function* walkThread(node: ThreadNode): Generator<ThreadNode> {
  yield node;
  for (const reply of node.replies) yield* walkThread(reply);
}
