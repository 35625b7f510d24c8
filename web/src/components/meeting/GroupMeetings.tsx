import { useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { GroupDetailDto } from '../../../../shared/dto.js';
import type { MeetingSummaryDto } from '../../../../shared/meetings.js';
import { meetingPath } from '../../../../shared/routes.js';
import { loadGroupMeetings } from '../../data/meetings.js';
import { useLoad } from '../../lib/use-load.js';
import { useStore } from '../../store/index.js';
import { LoadGate } from '../Loading.js';
import { RelativeTime } from '../RelativeTime.js';
import { formatMinutes, formatWhen } from './group-choices.js';
import { MeetingDetailsForm } from './MeetingDetailsForm.js';
import './meeting-edit.css';

function MeetingRow({ meeting }: { meeting: MeetingSummaryDto }) {
  return (
    <li className="meeting-row">
      <div>
        <Link className="meeting-row-title" to={meetingPath(meeting.id)}>
          {meeting.title}
        </Link>{' '}
        {meeting.state === 'live' && <span className="pill brand">Live</span>}
      </div>
      <div className="small muted">
        {meeting.state === 'ended' && meeting.endedAt ? (
          <>
            Ended <RelativeTime iso={meeting.endedAt} />
          </>
        ) : meeting.state === 'live' && meeting.startedAt ? (
          <>
            Started <RelativeTime iso={meeting.startedAt} /> · about{' '}
            {formatMinutes(meeting.expectedMinutes)}
          </>
        ) : (
          <>
            <time dateTime={meeting.scheduledAt}>{formatWhen(meeting.scheduledAt)}</time> ·{' '}
            {formatMinutes(meeting.expectedMinutes)}
          </>
        )}
      </div>
    </li>
  );
}

function Section({ title, meetings }: { title: string; meetings: MeetingSummaryDto[] }) {
  if (meetings.length === 0) return null;
  const id = `meetings-${title.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <section aria-labelledby={id} className="meeting-section">
      <h3 id={id}>{title}</h3>
      <ul className="list meeting-list">
        {meetings.map((m) => (
          <MeetingRow key={m.id} meeting={m} />
        ))}
      </ul>
    </section>
  );
}

/**
 * A group's meetings: live now, upcoming (soonest first) and past, each
 * linking to its page; whoever may schedule one does it here. Reloaded when a
 * meeting of the group starts or ends (the banner's live summaries).
 */
export function GroupMeetings({ group }: { group: GroupDetailDto }) {
  const navigate = useNavigate();
  const status = useStore((s) => s.sessionStatus);
  const live = useStore((s) =>
    Object.values(s.liveMeetings)
      .filter((m) => m.groupId === group.id)
      .map((m) => m.id)
      .sort()
      .join(),
  );
  const [items, setItems] = useState<MeetingSummaryDto[] | null>(null);
  const state = useLoad(`${group.id}:${status}:${group.role ?? 'none'}:${live}`, async () =>
    setItems(await loadGroupMeetings(group.id)),
  );
  const [scheduling, setScheduling] = useState(false);
  const scheduleButton = useRef<HTMLButtonElement>(null);
  const canSchedule = group.abilities.canScheduleMeeting;

  const of = (state: MeetingSummaryDto['state']) => (items ?? []).filter((m) => m.state === state);
  const upcoming = of('scheduled').sort((a, b) => a.scheduledAt.localeCompare(b.scheduledAt));
  const past = of('ended').sort((a, b) =>
    (b.endedAt ?? b.scheduledAt).localeCompare(a.endedAt ?? a.scheduledAt),
  );
  return (
    <section className="card group-meetings" aria-labelledby="group-meetings-title">
      <div className="page-head tight">
        <h2 id="group-meetings-title">Meetings</h2>
        {canSchedule && !scheduling && (
          <button
            ref={scheduleButton}
            type="button"
            className="small"
            onClick={() => setScheduling(true)}
          >
            Schedule a meeting
          </button>
        )}
      </div>
      {scheduling && (
        <MeetingDetailsForm
          groupId={group.id}
          onDone={(meeting) => void navigate(meetingPath(meeting.id))}
          onCancel={() => {
            setScheduling(false);
            requestAnimationFrame(() => scheduleButton.current?.focus());
          }}
        />
      )}
      {items === null ? (
        <LoadGate state={state} what="meetings" />
      ) : items.length === 0 ? (
        <p className="empty">
          {canSchedule ? 'No meetings yet. Schedule the first one.' : 'No meetings here yet.'}
        </p>
      ) : (
        <>
          <Section title="Live now" meetings={of('live')} />
          <Section title="Upcoming" meetings={upcoming} />
          <Section title="Past" meetings={past} />
        </>
      )}
    </section>
  );
}
