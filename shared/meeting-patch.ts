/**
 * Small live changes of a meeting instead of its whole state (issue 13's
 * benchmark: 300 hands made every state ~60 kB, sent to every socket after
 * every change). The server presents each view as before, diffs it against
 * the view's previous presentation and sends only what changed, numbered:
 * a patch applies to the state of version `base` and makes version
 * `version`. A client holding another version (it missed one, or its view
 * changed) asks for the whole state again (`meeting:watch`). Both sides use
 * these functions, so they agree on the arithmetic.
 */
import type { HandDto, MeetingDto, MeetingView } from './meetings.js';

/** Queue changes: hands gone, then hands (new, changed or moved) placed right after another (null: first). */
export interface QueuePatch {
  removed: string[];
  placed: Array<{ after: string | null; hand: HandDto }>;
}

/** One change of a meeting as one view sees it. */
export interface MeetingPatchDto {
  meetingId: string;
  view: MeetingView;
  /** The version this patch applies to. */
  base: number;
  /** The version it makes. */
  version: number;
  /** Fields whose value changed, whole (everything but the queue). */
  set: Partial<Omit<MeetingDto, 'queue'>>;
  /** Queue edits, or the whole queue when edits would not say it shorter (a reorder). */
  queue?: QueuePatch | { all: HandDto[] };
}

/** Applies queue edits to `queue` (a new array). */
export function applyQueuePatch(queue: readonly HandDto[], patch: QueuePatch): HandDto[] {
  const gone = new Set([...patch.removed, ...patch.placed.map((p) => p.hand.id)]);
  const next = queue.filter((hand) => !gone.has(hand.id));
  for (const { after, hand } of patch.placed) {
    // From the end: a new hand is placed after the last one or near it.
    const at = after === null ? 0 : next.findLastIndex((h) => h.id === after) + 1;
    if (after !== null && at === 0) throw new Error(`queue patch: no hand ${after}`);
    next.splice(at, 0, hand);
  }
  return next;
}

/**
 * Each hand's content as compared, computed once per hand object: a live
 * server diffs every presentation against the one before, whose hands were
 * the last diff's `after` (a queue of 300 was encoded twice per view per
 * change).
 */
const contents = new WeakMap<HandDto, string>();
function contentOf(hand: HandDto): string {
  let content = contents.get(hand);
  if (content === undefined) contents.set(hand, (content = JSON.stringify(hand)));
  return content;
}

/** The edits that turn `before` into `after` (hands compared by content). */
export function diffQueue(before: readonly HandDto[], after: readonly HandDto[]): QueuePatch {
  const old = new Map(before.map((hand) => [hand.id, contentOf(hand)]));
  const present = new Set(after.map((hand) => hand.id));
  const removed = before.filter((hand) => !present.has(hand.id)).map((hand) => hand.id);
  // Survivors in their old order: a hand stays where it is when it comes next among them.
  const survivors = before.filter((hand) => present.has(hand.id)).map((hand) => hand.id);
  const placed: QueuePatch['placed'] = [];
  let next = 0;
  after.forEach((hand, i) => {
    const same = old.get(hand.id) === contentOf(hand);
    if (same && survivors[next] === hand.id) return void next++;
    placed.push({ after: i === 0 ? null : after[i - 1].id, hand });
    const at = survivors.indexOf(hand.id, next);
    if (at >= 0) survivors.splice(at, 1);
  });
  return { removed, placed };
}

/**
 * The patch from `before` to `after` (same meeting and view), or null when
 * nothing but the server time changed. Falls back to the whole queue when
 * its edits are not shorter or do not reproduce it.
 */
export function diffMeeting(
  before: MeetingDto,
  after: MeetingDto,
  base: number,
): MeetingPatchDto | null {
  const set: Record<string, unknown> = {};
  let changed = false;
  for (const key of Object.keys(after) as Array<keyof MeetingDto>) {
    if (key === 'queue' || key === 'version') continue;
    if (JSON.stringify(before[key]) === JSON.stringify(after[key])) continue;
    set[key] = after[key];
    if (key !== 'serverTime') changed = true;
  }
  let queue: MeetingPatchDto['queue'];
  // The very same queue (a live server keeps it while no hand moved) has no edits.
  const edits = before.queue === after.queue ? null : diffQueue(before.queue, after.queue);
  if (edits && (edits.removed.length > 0 || edits.placed.length > 0)) {
    changed = true;
    const ids = (q: readonly HandDto[]) => q.map((h) => h.id).join();
    const exact = ids(applyQueuePatch(before.queue, edits)) === ids(after.queue);
    queue = exact && edits.placed.length < after.queue.length ? edits : { all: after.queue };
  }
  if (!changed) return null;
  return {
    meetingId: after.id,
    view: after.view,
    base,
    version: base + 1,
    set: { ...set, version: base + 1 },
    ...(queue ? { queue } : {}),
  };
}

/** The state `patch` makes of `state`, or null when it does not apply (another version or view: ask again). */
export function applyMeetingPatch(state: MeetingDto, patch: MeetingPatchDto): MeetingDto | null {
  if (state.view !== patch.view || state.version !== patch.base) return null;
  let queue = state.queue;
  if (patch.queue)
    queue = 'all' in patch.queue ? patch.queue.all : applyQueuePatch(queue, patch.queue);
  return { ...state, ...patch.set, queue, version: patch.version };
}
