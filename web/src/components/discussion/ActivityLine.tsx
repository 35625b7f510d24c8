import { useId, useState } from 'react';
import { useStore } from '../../store/index.js';
import { RelativeTime } from '../RelativeTime.js';
import { EventLine, VotesLine } from './EventLine.js';
import type { LineItem } from './timeline-items.js';
import { summarizeRun } from './timeline-words.js';

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
