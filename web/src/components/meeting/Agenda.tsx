import { useRef, useState } from 'react';
import { Link } from 'react-router';
import type { AgendaItemDto, MeetingDto } from '../../../../shared/meetings.js';
import { discussionPath } from '../../../../shared/routes.js';
import { messageOf } from '../../api/client.js';
import { useAction } from '../../lib/use-action.js';
import { act } from '../../realtime/meeting.js';
import { useStore } from '../../store/index.js';
import { ConfirmButton } from '../group/ConfirmButton.js';
import { AgendaItemForm } from './AgendaItemForm.js';
import { formatMinutes } from './group-choices.js';
import { useReorder } from './use-reorder.js';
import './meeting-edit.css';

function Links({ item }: { item: AgendaItemDto }) {
  const title = useStore((s) => (item.discussionId ? s.discussions[item.discussionId]?.title : ''));
  if (!item.discussionId) return null;
  return (
    <p className="agenda-links small">
      <Link to={discussionPath(item.discussionId)}>{title || 'Linked discussion'}</Link>
      {item.pollId && (
        <>
          {' · '}
          <Link to={discussionPath(item.discussionId, { pollId: item.pollId })}>Linked poll</Link>
        </>
      )}
    </p>
  );
}

/**
 * The agenda, current item marked. Facilitators add items, edit them, move
 * them up and down, remove them and (live) take one up now, before and
 * during the meeting; moves are announced and keep keyboard focus on the
 * moved item's button.
 */
export function Agenda({ meeting }: { meeting: MeetingDto }) {
  const facilitate = meeting.abilities.canFacilitate;
  const live = meeting.state === 'live';
  const [editing, setEditing] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const list = useRef<HTMLOListElement>(null);
  const agenda = meeting.agenda;
  const titleOf = (id: string) => agenda.find((i) => i.id === id)?.title ?? '';
  const [said, setSaid] = useState('');
  const { move, refocus } = useReorder(
    list,
    agenda.map((i) => i.id),
    (itemIds) => run(() => act(meeting.id, { type: 'agenda.reorder', itemIds })),
    (id, position, of) => setSaid(`Moved “${titleOf(id)}” to position ${position} of ${of}.`),
  );

  const remove = (index: number) => {
    const neighbour = agenda[index + 1] ?? agenda[index - 1];
    if (neighbour) refocus.request({ row: neighbour.id, control: 'edit' });
    return act(meeting.id, { type: 'agenda.remove', itemId: agenda[index].id }).then(() =>
      setSaid(`Removed “${agenda[index].title}”.`),
    );
  };
  const stopEditing = (item: AgendaItemDto) => {
    refocus.request({ row: item.id, control: 'edit' }, { now: true });
    setEditing(null);
  };

  return (
    <section className="card meeting-agenda" aria-labelledby="agenda-title">
      <h2 id="agenda-title">Agenda</h2>
      <div role="status" aria-live="polite" className="visually-hidden">
        {said}
      </div>
      {agenda.length === 0 ? (
        <p className="small muted">
          {facilitate ? 'No items yet: add the first below.' : 'No items yet.'}
        </p>
      ) : (
        <ol className="agenda-list" ref={list}>
          {agenda.map((item, index) => {
            // An ended meeting keeps its last item as current (MeetingPage.tsx): nothing is now.
            const current = meeting.state !== 'ended' && item.id === meeting.currentItemId;
            return (
              <li
                key={item.id}
                data-row={item.id}
                aria-current={current ? 'step' : undefined}
                className={current ? 'current' : item.endedAt ? 'done' : ''}
              >
                <div className="agenda-item-head">
                  <span className="agenda-title">{item.title}</span>
                  <span className="small muted agenda-timebox">
                    {formatMinutes(item.timeboxSeconds / 60)}
                  </span>
                  {current && <span className="pill brand">Now</span>}
                </div>
                {item.notes && <p className="small muted agenda-notes">{item.notes}</p>}
                <Links item={item} />
                {facilitate && editing !== item.id && (
                  <div
                    className="agenda-item-actions"
                    role="group"
                    aria-label={`Item ${index + 1}: ${item.title}`}
                  >
                    <button
                      type="button"
                      className="secondary small"
                      data-control="up"
                      aria-label={`Move “${item.title}” up`}
                      disabled={index === 0}
                      onClick={() => move(index, -1)}
                    >
                      <span aria-hidden="true">↑</span> Up
                    </button>
                    <button
                      type="button"
                      className="secondary small"
                      data-control="down"
                      aria-label={`Move “${item.title}” down`}
                      disabled={index === agenda.length - 1}
                      onClick={() => move(index, 1)}
                    >
                      <span aria-hidden="true">↓</span> Down
                    </button>
                    <button
                      type="button"
                      className="secondary small"
                      data-control="edit"
                      aria-label={`Edit “${item.title}”`}
                      onClick={() => setEditing(item.id)}
                    >
                      Edit
                    </button>
                    {live && !current && (
                      <button
                        type="button"
                        className="secondary small"
                        data-control="goto"
                        aria-label={`Take up “${item.title}” now`}
                        disabled={busy}
                        onClick={() =>
                          void run(() => act(meeting.id, { type: 'agenda.goto', itemId: item.id }))
                        }
                      >
                        Take up now
                      </button>
                    )}
                    {!current && (
                      <ConfirmButton
                        label="Remove"
                        ariaLabel={`Remove “${item.title}”`}
                        question={`Remove “${item.title}”?`}
                        confirmLabel="Remove"
                        onConfirm={() => remove(index)}
                      />
                    )}
                  </div>
                )}
                {facilitate && editing === item.id && (
                  <AgendaItemForm
                    meeting={meeting}
                    item={item}
                    onDone={() => stopEditing(item)}
                    onCancel={() => stopEditing(item)}
                  />
                )}
              </li>
            );
          })}
        </ol>
      )}
      {error !== null && (
        <p className="form-error" role="alert">
          {messageOf(error)}
        </p>
      )}
      {facilitate && <AgendaItemForm meeting={meeting} />}
    </section>
  );
}
