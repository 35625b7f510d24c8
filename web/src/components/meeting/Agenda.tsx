import { useState, type FormEvent } from 'react';
import type { MeetingDto } from '../../../../shared/meetings.js';
import { messageOf } from '../../api/client.js';
import { useAction } from '../../lib/use-action.js';
import { act, newClientId } from '../../realtime/meeting.js';

/** The agenda, current item marked; facilitators add items and move on. */
export function Agenda({ meeting }: { meeting: MeetingDto }) {
  const facilitate = meeting.abilities.canFacilitate;
  return (
    <section className="card meeting-agenda" aria-labelledby="agenda-title">
      <h2 id="agenda-title">Agenda</h2>
      {meeting.agenda.length === 0 ? (
        <p className="small muted">No items yet.</p>
      ) : (
        <ol className="agenda-list">
          {meeting.agenda.map((item) => (
            <li
              key={item.id}
              aria-current={item.id === meeting.currentItemId ? 'step' : undefined}
              className={item.id === meeting.currentItemId ? 'current' : item.endedAt ? 'done' : ''}
            >
              <span className="agenda-title">{item.title}</span>{' '}
              <span className="small muted">{Math.round(item.timeboxSeconds / 60)} min</span>
              {item.notes && <p className="small muted">{item.notes}</p>}
            </li>
          ))}
        </ol>
      )}
      {facilitate && <AddItem meeting={meeting} />}
    </section>
  );
}

function AddItem({ meeting }: { meeting: MeetingDto }) {
  const [title, setTitle] = useState('');
  const [minutes, setMinutes] = useState('10');
  const { busy, error, run } = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await act(meeting.id, {
        type: 'agenda.add',
        clientId: newClientId(),
        title,
        timeboxSeconds: Math.max(1, Number(minutes)) * 60,
      });
      setTitle('');
    });
  };
  return (
    <form className="agenda-add row" onSubmit={submit} aria-label="Add an agenda item">
      <label className="field">
        <span>Item</span>
        <input value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={200} />
      </label>
      <label className="field">
        <span>Minutes</span>
        <input
          type="number"
          min={1}
          max={360}
          value={minutes}
          onChange={(e) => setMinutes(e.target.value)}
        />
      </label>
      <button className="button small secondary" disabled={busy}>
        Add item
      </button>
      {error !== null && (
        <p className="form-error" role="alert">
          {messageOf(error)}
        </p>
      )}
    </form>
  );
}
