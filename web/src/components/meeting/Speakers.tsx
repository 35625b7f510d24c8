import type { HandDto, HandKind, MeetingDto } from '../../../../shared/meetings.js';
import { messageOf } from '../../api/client.js';
import { useAction } from '../../lib/use-action.js';
import { act } from '../../realtime/meeting.js';
import { Countdown } from './Countdown.js';

export const HAND_LABELS: Record<HandKind, string> = {
  point_of_order: 'Point of order',
  direct_reply: 'Direct reply',
  speak: 'To speak',
};

function who(hand: HandDto): string {
  return hand.user?.name ?? 'Someone (point of order)';
}

/** The current speaker with their timer, and the queue; facilitators call, skip and remove. */
export function Speakers({ meeting, large = false }: { meeting: MeetingDto; large?: boolean }) {
  const facilitate = meeting.abilities.canFacilitate && meeting.state === 'live';
  const { busy, error, run } = useAction();
  const send = (action: Parameters<typeof act>[1]) => void run(() => act(meeting.id, action));
  return (
    <section className="card meeting-speakers" aria-labelledby="speakers-title">
      <h2 id="speakers-title">Speakers</h2>
      {meeting.speaker ? (
        <div className="speaker-now">
          <p className="speaker-name">
            <span className="small muted">Speaking: </span>
            <strong>{meeting.speaker.user.name}</strong>{' '}
            <span className="pill">{HAND_LABELS[meeting.speaker.kind]}</span>
          </p>
          <Countdown timer={meeting.speaker.timer} label="Speaker" large={large} />
        </div>
      ) : (
        <p className="muted">Nobody is speaking.</p>
      )}
      {facilitate && (
        <div className="row controls">
          <button
            className="button small"
            disabled={busy}
            onClick={() => send({ type: 'speaker.next', from: meeting.speaker?.handId ?? null })}
          >
            Next speaker
          </button>
          {meeting.speaker && (
            <>
              <button
                className="button small secondary"
                disabled={busy}
                onClick={() =>
                  send({
                    type: meeting.speaker!.timer.runningSince ? 'timer.pause' : 'timer.resume',
                    target: 'speaker',
                  })
                }
              >
                {meeting.speaker.timer.runningSince ? 'Pause speaker' : 'Resume speaker'}
              </button>
              <button
                className="button small secondary"
                disabled={busy}
                onClick={() => send({ type: 'speaker.finish', handId: meeting.speaker!.handId })}
              >
                End turn
              </button>
            </>
          )}
        </div>
      )}
      <h3 className="queue-title">
        Queue <span className="small muted">({meeting.queue.length})</span>
      </h3>
      {meeting.queue.length === 0 ? (
        <p className="small muted">No hands raised.</p>
      ) : (
        <ol className="queue-list">
          {meeting.queue.map((hand) => (
            <li key={hand.id} data-kind={hand.kind}>
              <span className="queue-name">{who(hand)}</span>{' '}
              <span className="pill">{HAND_LABELS[hand.kind]}</span>
              {hand.spokeOnItem && <span className="small muted"> spoke already</span>}
              {facilitate && (
                <span className="queue-actions">
                  <button
                    className="link"
                    onClick={() => send({ type: 'speaker.call', handId: hand.id })}
                    aria-label={`Call ${who(hand)}`}
                  >
                    Call
                  </button>
                  <button
                    className="link"
                    onClick={() => send({ type: 'hand.skip', handId: hand.id })}
                    aria-label={`Skip ${who(hand)}`}
                  >
                    Skip
                  </button>
                  <button
                    className="link"
                    onClick={() => send({ type: 'hand.remove', handId: hand.id })}
                    aria-label={`Remove ${who(hand)}`}
                  >
                    Remove
                  </button>
                </span>
              )}
            </li>
          ))}
        </ol>
      )}
      {error !== null && (
        <p className="form-error" role="alert">
          {messageOf(error)}
        </p>
      )}
    </section>
  );
}
