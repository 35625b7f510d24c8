import { useId, useState } from 'react';
import { useStore } from '../../store/index.js';
import { displayName } from '../Avatar.js';
import { RelativeTime } from '../RelativeTime.js';
import { EventLine, VotesLine } from './EventLine.js';
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

function lastAt(line: LineItem): string {
  return line.type === 'event'
    ? line.event.createdAt
    : line.events[line.events.length - 1].createdAt;
}

/** One line of a run, as it shows on its own. */
export function Line({ line }: { line: LineItem }) {
  return line.type === 'event' ? (
    <EventLine event={line.event} />
  ) : (
    <VotesLine events={line.events} pollId={line.pollId} sequence={line.sequence} />
  );
}

/**
 * A long run of timeline lines with no comment between them (a batch of
 * polls started and voted on) as one summary line, opened to show every line.
 */
export function ActivityLine({ lines, sequence }: { lines: LineItem[]; sequence: number }) {
  const [open, setOpen] = useState(false);
  const listId = useId();
  const polls = useStore((s) => s.polls);
  const summary = summarizeRun(lines, (id) => (id ? (polls[id]?.title ?? null) : null));
  const latest = lines.map(lastAt).sort().at(-1) ?? lastAt(lines[0]);
  return (
    <div className="timeline-activity" data-testid="activity-line">
      <div className="timeline-event kind-activity" data-sequence={open ? undefined : sequence}>
        <span className="event-dot" aria-hidden="true" />
        <span>
          {summary} · <RelativeTime iso={latest} />{' '}
          <button
            type="button"
            className="link small"
            aria-expanded={open}
            aria-controls={open ? listId : undefined}
            onClick={() => setOpen((o) => !o)}
          >
            {open ? 'Hide updates' : `Show ${lines.length} updates`}
          </button>
        </span>
      </div>
      {open && (
        <ol className="timeline-activity-lines" id={listId} aria-label="Updates">
          {lines.map((line) => (
            <li key={line.key}>
              <Line line={line} />
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
