import { useEffect, useRef, useState } from 'react';
import {
  HAND_KINDS,
  TEMPERATURE_SIGNALS,
  type MeetingDto,
  type TemperatureSignal,
} from '../../../../shared/meetings.js';
import { messageOf } from '../../api/client.js';
import { useAction } from '../../lib/use-action.js';
import { act, newClientId } from '../../realtime/meeting.js';
import { useStore } from '../../store/index.js';
import { ConfirmButton } from '../group/ConfirmButton.js';
import { HAND_LABELS } from './Speakers.js';

const SIGNAL_LABELS: Record<TemperatureSignal, string> = {
  agree: 'Agree',
  unsure: 'Unsure',
  disagree: 'Disagree',
  slow_down: 'Slow down',
  louder: 'Louder',
};

/**
 * Whether one's waiting hand went without one lowering it or being called
 * (the facilitator removed it, or the meeting moved on: hands are raised on
 * an item), until one raises a hand again. `ownLowering` is set while one's
 * own lowering is on its way.
 */
const LOWERED_AFTER_MS = 1000;

function useHandLoweredForYou(
  handUp: boolean,
  speaking: boolean,
  ownLowering: { current: boolean },
): boolean {
  const [lowered, setLowered] = useState(false);
  const wasUp = useRef(handUp);
  useEffect(() => {
    const went = !handUp && wasUp.current && !ownLowering.current;
    if (!handUp) ownLowering.current = false;
    wasUp.current = handUp;
    // Called to speak, or a hand changed to or from a point of order (the old one lowered, a
    // new one raised), may show a moment after the hand left the queue: said only if it stays.
    if (handUp || speaking) return setLowered(false);
    if (!went) return;
    const timer = setTimeout(() => setLowered(true), LOWERED_AFTER_MS);
    return () => clearTimeout(timer);
  }, [handUp, speaking, ownLowering]);
  return lowered;
}

/** A participant's hand (three kinds, lower) and temperature signal. */
export function ParticipantControls({ meeting }: { meeting: MeetingDto }) {
  const me = useStore((s) => s.me);
  const setMySignal = useStore((s) => s.setMySignal);
  const { busy, error, run } = useAction();
  const hands = useRef<HTMLDivElement>(null);
  const mine = meeting.queue.find((hand) => hand.user?.id === me?.id);
  const ownLowering = useRef(false);
  const speaking = meeting.speaker !== null && meeting.speaker.user.id === me?.id;
  const lowered = useHandLoweredForYou(mine !== undefined, speaking, ownLowering);
  if (!meeting.abilities.canParticipate) return null;
  // Buttons stay enabled while a call is under way (a disabled button drops the keyboard's
  // focus to the page); a press meanwhile is ignored instead.
  const send = (action: Parameters<typeof act>[1]) =>
    busy ? Promise.resolve(false) : run(() => act(meeting.id, action));
  return (
    <section className="card meeting-participate" aria-labelledby="participate-title">
      <h2 id="participate-title">Take part</h2>
      <div className="row" role="group" aria-label="Raise your hand" ref={hands}>
        {HAND_KINDS.map((kind) => (
          <button
            key={kind}
            className={`button small${mine?.kind === kind ? '' : ' secondary'}`}
            aria-pressed={mine?.kind === kind}
            data-kind={kind}
            onClick={() => void send({ type: 'hand.raise', kind, clientId: newClientId() })}
          >
            {HAND_LABELS[kind]}
          </button>
        ))}
        {mine && (
          <button
            className="button small secondary"
            onClick={(e) => {
              const button = e.currentTarget;
              ownLowering.current = true;
              // Lowered, this button goes: the keyboard's focus goes back to the kind it was
              // (unless one has moved it elsewhere meanwhile).
              void send({ type: 'hand.lower' }).then((done) => {
                if (!done) return void (ownLowering.current = false);
                const at = document.activeElement;
                if (at === button || at === document.body || at === null)
                  hands.current?.querySelector<HTMLElement>(`[data-kind="${mine.kind}"]`)?.focus();
              });
            }}
          >
            Lower my hand
          </button>
        )}
      </div>
      {mine && (
        <p className="small" role="status">
          Your hand is up: number {meeting.queue.indexOf(mine) + 1} in the queue.
        </p>
      )}
      {lowered && (
        <p className="small" role="status">
          Your hand is no longer up: the facilitator lowered it, or the meeting moved on. Raise it
          again to speak.
        </p>
      )}
      <div className="row temperature" role="group" aria-label="Temperature check">
        {TEMPERATURE_SIGNALS.map((signal) => (
          <button
            key={signal}
            className={`button small${meeting.mySignal === signal ? '' : ' secondary'}`}
            aria-pressed={meeting.mySignal === signal}
            onClick={() => {
              const next = meeting.mySignal === signal ? null : signal;
              const itemId = meeting.currentItemId;
              void send({ type: 'temperature', signal: next }).then((done) => {
                if (done) setMySignal(meeting.id, next, itemId);
              });
            }}
          >
            {SIGNAL_LABELS[signal]}
          </button>
        ))}
      </div>
      {error !== null && (
        <p className="form-error" role="alert">
          {messageOf(error)}
        </p>
      )}
    </section>
  );
}

/** Temperature counts (facilitators only: the server sends them to nobody else). */
export function TemperatureCounts({ meeting }: { meeting: MeetingDto }) {
  if (!meeting.temperature) return null;
  const counts = meeting.temperature;
  return (
    <section className="card" aria-labelledby="temperature-title">
      <h2 id="temperature-title">Temperature</h2>
      <ul className="temperature-counts">
        {TEMPERATURE_SIGNALS.map((signal) => (
          <li key={signal}>
            <span className="count">{counts[signal]}</span> {SIGNAL_LABELS[signal]}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** What moving on does from here: to the next item, off the last one, or (again) to the first. */
function nextLabel(meeting: MeetingDto): string {
  const { agenda, currentItemId } = meeting;
  if (currentItemId !== null)
    return agenda.at(-1)?.id === currentItemId ? 'Close the last item' : 'Next item';
  const allDone = agenda.length > 0 && agenda.every((item) => item.endedAt !== null);
  return allDone ? 'Back to the first item' : 'First item';
}

/** Start and end, move on, the item timer. */
export function FacilitatorBar({ meeting }: { meeting: MeetingDto }) {
  const { busy, error, run } = useAction();
  if (!meeting.abilities.canFacilitate) return null;
  const send = (action: Parameters<typeof act>[1]) => void run(() => act(meeting.id, action));
  const timer = meeting.itemTimer;
  return (
    <section className="card facilitator-bar" aria-label="Facilitator controls">
      <div className="row">
        {meeting.state === 'scheduled' && (
          <button
            className="button"
            disabled={busy}
            onClick={() => send({ type: 'meeting.start' })}
          >
            Start the meeting
          </button>
        )}
        {meeting.state === 'live' && (
          <>
            <button
              className="button"
              disabled={busy}
              onClick={() => send({ type: 'agenda.next', from: meeting.currentItemId })}
            >
              {nextLabel(meeting)}
            </button>
            {timer && (
              <>
                <button
                  className="button secondary"
                  disabled={busy}
                  onClick={() =>
                    send({
                      type: timer.runningSince ? 'timer.pause' : 'timer.resume',
                      target: 'item',
                    })
                  }
                >
                  {timer.runningSince ? 'Pause timer' : 'Resume timer'}
                </button>
                <button
                  className="button secondary"
                  disabled={busy}
                  onClick={() => send({ type: 'timer.add_minute', target: 'item' })}
                >
                  +1 minute
                </button>
              </>
            )}
            <label className="check">
              <input
                type="checkbox"
                checked={meeting.progressiveStack}
                onChange={(e) => send({ type: 'settings', progressiveStack: e.target.checked })}
              />
              Progressive stack
            </label>
            <ConfirmButton
              className="button secondary"
              label="End the meeting"
              question="End the meeting for everyone? It cannot be started again."
              confirmLabel="End it"
              onConfirm={() => act(meeting.id, { type: 'meeting.end' })}
            />
          </>
        )}
      </div>
      {error !== null && (
        <p className="form-error" role="alert">
          {messageOf(error)}
        </p>
      )}
    </section>
  );
}
