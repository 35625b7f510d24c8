/**
 * A folded run of timeline lines in words. Pure (no rendering), so it is
 * tested on its own; it reads only the lines, so it says no more than they do.
 */
import { displayName } from '../Avatar.js';
import type { LineItem } from './timeline-items.js';

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * A run of lines in a few words: "Ada Lovelace started 8 polls · votes on 8
 * polls · 1 poll closed · 1 outcome shared". Built only from the lines
 * themselves, so it says no more than they would.
 */
export function summarizeRun(
  lines: readonly LineItem[],
  pollTitle: (pollId: string | null) => string | null,
): string {
  const events = lines.flatMap((l) => (l.type === 'event' ? [l.event] : []));
  const of = (kind: string) => events.filter((e) => e.kind === kind);
  const parts: string[] = [];

  const started = of('poll_created');
  if (started.length > 0) {
    const actors = new Set(started.map((e) => e.actor?.id ?? ''));
    const first = started[0];
    const what =
      started.length === 1
        ? (pollTitle(first.pollId) ?? 'a poll')
        : count(started.length, 'poll', 'polls');
    const title = started.length === 1 && pollTitle(first.pollId) ? `“${what}”` : what;
    parts.push(
      actors.size === 1 && first.actor
        ? `${displayName(first.actor)} started ${title}`
        : `${title} started`,
    );
  }
  const votes = lines.filter((l) => l.type === 'votes');
  if (votes.length > 0) {
    const polls = new Set(votes.map((l) => l.pollId));
    parts.push(`votes on ${count(polls.size, 'poll', 'polls')}`);
  }
  const closed = of('poll_closed').length;
  if (closed > 0) parts.push(`${count(closed, 'poll', 'polls')} closed`);
  const reopened = of('poll_reopened').length;
  if (reopened > 0) parts.push(`${count(reopened, 'poll', 'polls')} reopened`);
  const outcomes = of('outcome_published').length;
  if (outcomes > 0) parts.push(`${count(outcomes, 'outcome', 'outcomes')} shared`);
  const other = events.length - started.length - closed - reopened - outcomes;
  if (other > 0) parts.push(count(other, 'other update', 'other updates'));
  const text = parts.join(' · ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
