import type { TimelineEventDto, UserSummaryDto } from '../../../../shared/dto.js';
import { useStore } from '../../store/index.js';
import { displayName } from '../Avatar.js';
import { RelativeTime } from '../RelativeTime.js';
import { MinutesEvent } from './MinutesEvent.js';

function joinNames(names: string[], max = 3): string {
  if (names.length <= 1) return names.join('');
  if (names.length <= max) return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  const rest = names.length - max;
  return `${names.slice(0, max).join(', ')} and ${rest} ${rest === 1 ? 'other' : 'others'}`;
}

function usePollTitle(pollId: string | null): string | null {
  return useStore((s) => (pollId ? (s.polls[pollId]?.title ?? null) : null));
}

function who(actor: UserSummaryDto | null): string {
  return actor ? displayName(actor) : 'Quorum';
}

function describe(event: TimelineEventDto, poll: string | null): string {
  const by = who(event.actor);
  const title = poll ? `“${poll}”` : 'a poll';
  switch (event.kind) {
    case 'discussion_edited':
      return `${by} edited the discussion`;
    case 'discussion_closed':
      return `${by} closed the discussion`;
    case 'discussion_reopened':
      return `${by} reopened the discussion`;
    case 'discussion_moved':
      return `${by} moved the discussion to another group`;
    case 'poll_created':
      return `${by} started ${poll ? `the poll ${title}` : 'a poll'}`;
    case 'poll_closed':
      return event.actor
        ? `${by} closed ${title}`
        : `${poll ? `The poll ${title}` : 'A poll'} closed`;
    case 'poll_reopened':
      return `${by} reopened ${title}`;
    case 'outcome_published':
      return `${by} shared the outcome of ${title}`;
    default:
      return `${by} updated the discussion`;
  }
}

/** One timeline event worth a line of its own (a poll started, the discussion closed...). */
export function EventLine({ event }: { event: TimelineEventDto }) {
  const poll = usePollTitle(event.pollId);
  if (event.kind === 'minutes_published') return <MinutesEvent event={event} />;
  return (
    <div className={`timeline-event kind-${event.kind}`} data-sequence={event.sequence}>
      <span className="event-dot" aria-hidden="true" />
      <span>
        {describe(event, poll)} · <RelativeTime iso={event.createdAt} />
      </span>
    </div>
  );
}

/** A run of votes in one line: who voted (anonymous votes only counted), never one line per vote. */
export function VotesLine({ events, sequence }: { events: TimelineEventDto[]; sequence: number }) {
  const polls = useStore((s) => s.polls);
  const named = new Map<string, string>();
  let anonymous = 0;
  for (const e of events) {
    if (e.actor) named.set(e.actor.id, displayName(e.actor));
    else anonymous += 1;
  }
  const titles = [
    ...new Set(events.map((e) => (e.pollId ? polls[e.pollId]?.title : undefined))),
  ].filter((t): t is string => t !== undefined);
  const where = titles.length === 1 ? ` on “${titles[0]}”` : '';
  const anon = `${anonymous} anonymous ${anonymous === 1 ? 'vote' : 'votes'}`;
  const text =
    named.size > 0
      ? `${joinNames([...named.values()])} voted${where}${anonymous > 0 ? `, with ${anon}` : ''}`
      : `${anon}${where}`;
  const last = events[events.length - 1];
  return (
    <div className="timeline-event kind-votes" data-sequence={sequence}>
      <span className="event-dot" aria-hidden="true" />
      <span>
        {text} · <RelativeTime iso={last.createdAt} />
      </span>
    </div>
  );
}
