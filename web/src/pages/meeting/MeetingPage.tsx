import { projectorPath } from '../../../../shared/routes.js';
import type { MeetingDto } from '../../../../shared/meetings.js';
import { useEffect, useRef } from 'react';
import { Link, useParams } from 'react-router';
import { Agenda } from '../../components/meeting/Agenda.js';
import { Countdown } from '../../components/meeting/Countdown.js';
import {
  FacilitatorBar,
  ParticipantControls,
  TemperatureCounts,
} from '../../components/meeting/Controls.js';
import { useGroupChoices } from '../../components/meeting/group-choices.js';
import { MeetingDetails } from '../../components/meeting/MeetingDetails.js';
import { QuickVote } from '../../components/meeting/QuickVote.js';
import { Speakers } from '../../components/meeting/Speakers.js';
import { NotFound } from '../NotFound.js';
import { LoadGate } from '../../components/Loading.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { loadGroup } from '../../data/groups.js';
import { loadMeeting } from '../../data/meetings.js';
import { groupPath } from '../../lib/paths.js';
import { useLoad } from '../../lib/use-load.js';
import { watchMeeting } from '../../realtime/meeting.js';
import { useStore } from '../../store/index.js';
import '../../components/meeting/meeting.css';
import { MinutesPanel } from './MinutesPanel.js';

const STATE_LABELS = { scheduled: 'Scheduled', live: 'Live', ended: 'Ended' } as const;

/** One meeting, live: facilitators run it, participants take part, visitors watch. */
export function MeetingPage() {
  const { id = '' } = useParams();
  const status = useStore((s) => s.sessionStatus);
  const state = useLoad(status === 'unknown' ? null : `${id}:${status}`, () => loadMeeting(id));
  const meeting = useStore((s) => s.meetings[id]);
  const revoked = useStore((s) => s.meetingRevoked[id] ?? false);
  useEffect(() => watchMeeting(id), [id]);

  // Signed out, a meeting one may not watch may be one's own group's: 'Not found' offers to sign in.
  if (revoked && status === 'signed_out') return <NotFound />;
  if (revoked)
    return (
      <section className="card">
        <h1>This meeting is no longer available to you</h1>
        <Link to="/">Back to your inbox</Link>
      </section>
    );
  if (state.status !== 'ready' || !meeting) return <LoadGate state={state} what="the meeting" />;
  return <Meeting meeting={meeting} />;
}

function Meeting({ meeting }: { meeting: MeetingDto }) {
  const group = useStore((s) => s.groups[meeting.groupId]);
  useEffect(() => {
    if (!group) void loadGroup(meeting.groupId).catch(() => undefined);
  }, [group, meeting.groupId]);
  // Titles of linked discussions (the details and the agenda name them).
  useGroupChoices(meeting.groupId, {
    enabled:
      meeting.discussionIds.length > 0 || meeting.agenda.some((i) => i.discussionId !== null),
  });
  const ended = meeting.state === 'ended';
  // The facilitator who ended it had the focus on a control that is gone: it goes to the heading
  // that says so, rather than to the page's start.
  const endedHeading = useRef<HTMLHeadingElement>(null);
  const wasLive = useRef(meeting.state === 'live');
  useEffect(() => {
    if (ended && wasLive.current && document.activeElement === document.body)
      endedHeading.current?.focus();
    wasLive.current = meeting.state === 'live';
  }, [ended, meeting.state]);
  const item = meeting.agenda.find((i) => i.id === meeting.currentItemId);
  const head = (
    <header className="page-head meeting-head">
      <div>
        {group && (
          <Link className="small meeting-group-link" to={groupPath(group)}>
            ← {group.name}
          </Link>
        )}
        <h1>{meeting.title}</h1>
        <p className="small muted">
          <span className={`pill${meeting.state === 'live' ? ' brand' : ''}`}>
            {STATE_LABELS[meeting.state]}
          </span>{' '}
          {meeting.view === 'visitor'
            ? 'Watching'
            : meeting.view === 'facilitator'
              ? 'Facilitating'
              : 'Participating'}
        </p>
      </div>
      <Link className="button secondary small" to={projectorPath(meeting.id)}>
        Projector view
      </Link>
    </header>
  );
  // Before it starts, its agenda and details. Once it has ended, nobody speaks or signals any
  // more: its record is what remains (its last item stays current in the record, but the page
  // says it ended instead), its last vote first, which facilitators may still close and reveal.
  // Keys hold the cards that both layouts show (the minutes' editor above all): the meeting
  // ending does not remount them.
  if (meeting.state !== 'live')
    return (
      <div className="meeting-page" data-view={meeting.view} data-revision={meeting.revision}>
        {head}
        <FacilitatorBar key="bar" meeting={meeting} />
        {ended && (
          <section key="current" className="card current-item" aria-labelledby="current-title">
            <h2 id="current-title" tabIndex={-1} ref={endedHeading}>
              Meeting ended
            </h2>
            {meeting.endedAt && (
              <p className="small muted">
                Ended <RelativeTime iso={meeting.endedAt} />
              </p>
            )}
          </section>
        )}
        {ended && meeting.quickVote && <QuickVote key="vote" meeting={meeting} />}
        <div className="grid-2">
          <Agenda meeting={meeting} />
          <aside>
            <MeetingDetails meeting={meeting} />
          </aside>
        </div>
        {ended && <MinutesPanel key="minutes" meeting={meeting} />}
      </div>
    );
  return (
    <div className="meeting-page" data-view={meeting.view} data-revision={meeting.revision}>
      {head}
      <FacilitatorBar key="bar" meeting={meeting} />
      <section key="current" className="card current-item" aria-labelledby="current-title">
        <h2 id="current-title">{item ? item.title : 'Between items'}</h2>
        {item?.notes && <p>{item.notes}</p>}
        {meeting.itemTimer && <Countdown timer={meeting.itemTimer} label="Item time" />}
      </section>
      <div className="grid-2">
        <div>
          {/* One's own hand first: on a phone it stays in reach however long the queue grows. */}
          <ParticipantControls meeting={meeting} />
          <Speakers meeting={meeting} />
        </div>
        <aside>
          <QuickVote meeting={meeting} />
          <TemperatureCounts meeting={meeting} />
          <Agenda meeting={meeting} />
          <MeetingDetails meeting={meeting} />
        </aside>
      </div>
      <MinutesPanel key="minutes" meeting={meeting} />
    </div>
  );
}
