import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { PollDto } from '../../../../shared/dto.js';
import type { AgendaItemDto, MeetingDto } from '../../../../shared/meetings.js';
import { loadPollChoices } from '../../data/meetings.js';
import { useAction } from '../../lib/use-action.js';
import { act, newClientId } from '../../realtime/meeting.js';
import { Field, FormError, TextAreaField, fieldError, formError } from '../Form.js';
import { useGroupChoices } from './group-choices.js';
import './meeting-edit.css';

const FIELDS = ['title', 'notes', 'timeboxSeconds', 'discussionId', 'pollId'].map(
  (f) => `action.${f}`,
);

/** A labelled select wired like the project's fields (label, error). */
function SelectField({
  label,
  value,
  onChange,
  error,
  options,
  disabled,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  options: Array<{ value: string; label: string }>;
  disabled?: boolean;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {error && (
        <div className="error" id={`${id}-error`}>
          {error}
        </div>
      )}
    </div>
  );
}

/** The polls of the chosen discussion, loaded when it changes. */
function usePolls(discussionId: string): PollDto[] {
  const [polls, setPolls] = useState<PollDto[]>([]);
  useEffect(() => {
    setPolls([]);
    if (!discussionId) return;
    let current = true;
    loadPollChoices(discussionId).then(
      (found) => current && setPolls(found),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [discussionId]);
  return polls;
}

/**
 * Adds an agenda item or (given `item`) edits one: title, time box in
 * minutes, notes, and a linked discussion of the group with, optionally, one
 * of its polls. Adding keeps the form open for the next item; the client id
 * stays the same until an add succeeds, so a double submit adds once.
 */
export function AgendaItemForm({
  meeting,
  item,
  onDone,
  onCancel,
}: {
  meeting: MeetingDto;
  item?: AgendaItemDto;
  onDone?: () => void;
  onCancel?: () => void;
}) {
  const [title, setTitle] = useState(item?.title ?? '');
  const [minutes, setMinutes] = useState(item ? String(item.timeboxSeconds / 60) : '10');
  const [notes, setNotes] = useState(item?.notes ?? '');
  const [discussionId, setDiscussionId] = useState(item?.discussionId ?? '');
  const [pollId, setPollId] = useState(item?.pollId ?? '');
  const [clientId, setClientId] = useState(newClientId);
  const [more, setMore] = useState(Boolean(item));
  const { discussions } = useGroupChoices(meeting.groupId);
  const polls = usePolls(discussionId);
  const { busy, error, run } = useAction();
  const formRef = useRef<HTMLFormElement>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const timeboxSeconds = Math.round(Number(minutes || 0) * 60);
    const links = { discussionId: discussionId || null, pollId: pollId || null };
    void run(async () => {
      if (item) {
        await act(meeting.id, {
          type: 'agenda.edit',
          itemId: item.id,
          title,
          notes,
          timeboxSeconds,
          ...links,
        });
        onDone?.();
        return;
      }
      await act(meeting.id, {
        type: 'agenda.add',
        clientId,
        title,
        notes,
        timeboxSeconds,
        ...links,
      });
      setClientId(newClientId());
      setTitle('');
      setNotes('');
      setPollId('');
      formRef.current?.querySelector<HTMLInputElement>('input[type="text"]')?.focus();
    });
  };

  const name = item ? `Edit “${item.title}”` : 'Add an agenda item';
  return (
    <form
      ref={formRef}
      className={`agenda-item-form${item ? ' editing' : ''}`}
      onSubmit={submit}
      noValidate
      aria-label={name}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && onCancel) onCancel();
      }}
    >
      {!item && <h3 className="agenda-form-title">Add an item</h3>}
      <FormError message={formError(error, FIELDS)} />
      <div className="agenda-form-row">
        <Field
          label="Item title"
          type="text"
          maxLength={200}
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          error={fieldError(error, 'action.title')}
          frameClassName="agenda-title-field"
          autoFocus={Boolean(item)}
        />
        <Field
          label="Time box (minutes)"
          type="number"
          inputMode="decimal"
          min={1}
          max={360}
          step="any"
          value={minutes}
          onChange={(e) => setMinutes(e.target.value)}
          error={fieldError(error, 'action.timeboxSeconds')}
          frameClassName="agenda-minutes-field"
        />
      </div>
      {!more && (
        <button type="button" className="link agenda-more" onClick={() => setMore(true)}>
          Add notes or a link…
        </button>
      )}
      {more && (
        <>
          <TextAreaField
            label="Notes"
            rows={3}
            maxLength={5000}
            value={notes}
            onChange={(e) => setNotes(e.target.value)}
            error={fieldError(error, 'action.notes')}
          />
          <div className="agenda-form-row">
            <SelectField
              label="Linked discussion"
              value={discussionId}
              onChange={(value) => {
                setDiscussionId(value);
                setPollId('');
              }}
              error={fieldError(error, 'action.discussionId')}
              options={[
                { value: '', label: 'None' },
                ...discussions.map((d) => ({ value: d.id, label: d.title })),
                // A linked discussion not among those loaded stays choosable.
                ...(discussionId && !discussions.some((d) => d.id === discussionId)
                  ? [{ value: discussionId, label: 'The linked discussion' }]
                  : []),
              ]}
            />
            <SelectField
              label="Linked poll"
              value={pollId}
              onChange={setPollId}
              disabled={!discussionId}
              error={fieldError(error, 'action.pollId')}
              options={[
                { value: '', label: discussionId ? 'None' : 'Pick a discussion first' },
                ...polls.map((p) => ({ value: p.id, label: p.title })),
                ...(pollId && !polls.some((p) => p.id === pollId)
                  ? [{ value: pollId, label: 'The linked poll' }]
                  : []),
              ]}
            />
          </div>
        </>
      )}
      <div className="row">
        <button type="submit" className="small" disabled={busy}>
          {item ? 'Save item' : 'Add item'}
        </button>
        {onCancel && (
          <button type="button" className="small secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
