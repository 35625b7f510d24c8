import { useRef, useState } from 'react';
import type { HandDto, HandKind, MeetingDto } from '../../../../shared/meetings.js';
import { messageOf } from '../../api/client.js';
import { useAction } from '../../lib/use-action.js';
import { act } from '../../realtime/meeting.js';
import { Countdown } from './Countdown.js';
import { SpeakingCap } from './SpeakingCap.js';
import { useReorder } from './use-reorder.js';

export const HAND_LABELS: Record<HandKind, string> = {
  point_of_order: 'Point of order',
  direct_reply: 'Direct reply',
  speak: 'To speak',
};

function who(hand: HandDto): string {
  return hand.user?.name ?? 'Someone (point of order)';
}

/**
 * The current speaker with their timer, and the queue; facilitators call,
 * move up and down, skip and remove hands, and cap speaking time.
 */
export function Speakers({ meeting, large = false }: { meeting: MeetingDto; large?: boolean }) {
  const facilitate = meeting.abilities.canFacilitate && meeting.state === 'live';
  const { busy, error, run } = useAction();
  const send = (action: Parameters<typeof act>[1]) => void run(() => act(meeting.id, action));
  const queue = meeting.queue;
  const list = useRef<HTMLOListElement>(null);
  const [said, setSaid] = useState('');
  const { move, refocus } = useReorder(
    list,
    queue.map((h) => h.id),
    (handIds) => run(() => act(meeting.id, { type: 'queue.reorder', handIds })),
    (id, position) => {
      const hand = queue.find((h) => h.id === id);
      setSaid(`Moved ${hand ? who(hand) : 'the hand'} to number ${position} in the queue.`);
    },
  );
  // Points of order always come first: a hand moves only among hands of its own side of that line.
  const poo = (i: number) => queue[i]?.kind === 'point_of_order';
  const canMove = (i: number, delta: -1 | 1) =>
    i + delta >= 0 && i + delta < queue.length && poo(i) === poo(i + delta);
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
      {facilitate && <SpeakingCap meeting={meeting} />}
      <div role="status" aria-live="polite" className="visually-hidden">
        {said}
      </div>
      <h3 className="queue-title">
        Queue <span className="small muted">({meeting.queue.length})</span>
      </h3>
      {meeting.queue.length === 0 ? (
        <p className="small muted">No hands raised.</p>
      ) : (
        <ol className="queue-list" ref={list}>
          {meeting.queue.map((hand, index) => (
            <li key={hand.id} data-kind={hand.kind} data-row={hand.id}>
              <span className="queue-who">
                <span className="queue-name">{who(hand)}</span>{' '}
                <span className="pill">{HAND_LABELS[hand.kind]}</span>
                {hand.spokeOnItem && <span className="small muted"> spoke already</span>}
              </span>
              {facilitate && (
                <span className="queue-actions" role="group" aria-label={`Hand of ${who(hand)}`}>
                  <button
                    className="link"
                    data-control="call"
                    onClick={() => send({ type: 'speaker.call', handId: hand.id })}
                    aria-label={`Call ${who(hand)}`}
                  >
                    Call
                  </button>
                  <button
                    className="link"
                    data-control="up"
                    disabled={!canMove(index, -1)}
                    onClick={() => move(index, -1)}
                    aria-label={`Move ${who(hand)} up`}
                  >
                    Up
                  </button>
                  <button
                    className="link"
                    data-control="down"
                    disabled={!canMove(index, 1)}
                    onClick={() => move(index, 1)}
                    aria-label={`Move ${who(hand)} down`}
                  >
                    Down
                  </button>
                  <button
                    className="link"
                    data-control="skip"
                    onClick={() => send({ type: 'hand.skip', handId: hand.id })}
                    aria-label={`Skip ${who(hand)}`}
                  >
                    Skip
                  </button>
                  <button
                    className="link"
                    data-control="remove"
                    onClick={() => {
                      const next = queue[index + 1] ?? queue[index - 1];
                      if (next) refocus.request({ row: next.id, control: 'call' });
                      send({ type: 'hand.remove', handId: hand.id });
                    }}
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
