import { useEffect } from 'react';
import { useParams } from 'react-router';
import { Countdown } from '../../components/meeting/Countdown.js';
import { HAND_LABELS } from '../../components/meeting/Speakers.js';
import { QuickVote } from '../../components/meeting/QuickVote.js';
import { LoadGate } from '../../components/Loading.js';
import { loadMeeting } from '../../data/meetings.js';
import { useLoad } from '../../lib/use-load.js';
import { watchMeeting } from '../../realtime/meeting.js';
import { useStore } from '../../store/index.js';
import '../../components/meeting/meeting.css';

/** For a shared screen in the room: current item, timers, speaker and queue, revealed results. Read-only. */
export function ProjectorPage() {
  const { id = '' } = useParams();
  const status = useStore((s) => s.sessionStatus);
  const state = useLoad(status === 'unknown' ? null : `${id}:${status}`, () => loadMeeting(id));
  const meeting = useStore((s) => s.meetings[id]);
  useEffect(() => watchMeeting(id), [id]);
  if (state.status !== 'ready' || !meeting) return <LoadGate state={state} what="the meeting" />;
  const ended = meeting.state === 'ended';
  // An ended meeting keeps its last item as current: the room sees that it ended, not that item.
  const item = ended ? undefined : meeting.agenda.find((i) => i.id === meeting.currentItemId);
  const heading = item
    ? item.title
    : ended
      ? 'Meeting ended'
      : meeting.state === 'live'
        ? 'Between items'
        : 'Starting soon';
  return (
    <div className="projector" data-revision={meeting.revision}>
      <p className="projector-meeting">{meeting.title}</p>
      <h1 className="projector-item">{heading}</h1>
      {!ended && meeting.itemTimer && (
        <Countdown timer={meeting.itemTimer} label="Item time" large />
      )}
      <div className="projector-grid">
        <section aria-labelledby="projector-speaker">
          <h2 id="projector-speaker">Speaking</h2>
          {meeting.speaker ? (
            <>
              <p className="projector-speaker">{meeting.speaker.user.name}</p>
              <Countdown timer={meeting.speaker.timer} label="Speaker" large />
            </>
          ) : (
            <p className="muted">Nobody</p>
          )}
        </section>
        <section aria-labelledby="projector-queue">
          <h2 id="projector-queue">Next</h2>
          {meeting.queue.length === 0 && <p className="muted">No hands raised</p>}
          <ol className="projector-queue">
            {meeting.queue.slice(0, 8).map((hand) => (
              <li key={hand.id}>
                {hand.user?.name ?? 'Point of order'}{' '}
                {hand.kind !== 'speak' && <span className="pill">{HAND_LABELS[hand.kind]}</span>}
              </li>
            ))}
          </ol>
          {meeting.queue.length > 8 && <p className="muted">and {meeting.queue.length - 8} more</p>}
        </section>
      </div>
      <QuickVote meeting={meeting} projector />
    </div>
  );
}
