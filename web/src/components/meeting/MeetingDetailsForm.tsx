import { useState, type FormEvent } from 'react';
import type { MeetingDto } from '../../../../shared/meetings.js';
import { scheduleMeeting, updateMeeting } from '../../data/meetings.js';
import { useAction } from '../../lib/use-action.js';
import { useStore } from '../../store/index.js';
import { Field, FormError, fieldError, formError } from '../Form.js';
import { ChoiceList } from './ChoiceList.js';
import { listFieldError, localInputValue, nextFullHour, useGroupChoices } from './group-choices.js';
import './meeting-edit.css';

const FIELDS = ['title', 'scheduledAt', 'expectedMinutes'];

/**
 * A meeting's details: title, start, expected length, facilitators (among the
 * group's members) and linked discussions. Schedules a new meeting in the
 * group, or (given `meeting`) edits that one; `onDone` gets the result.
 */
export function MeetingDetailsForm({
  groupId,
  meeting,
  onDone,
  onCancel,
}: {
  groupId: string;
  meeting?: MeetingDto;
  onDone: (meeting: MeetingDto) => void;
  onCancel: () => void;
}) {
  const me = useStore((s) => s.me);
  const choices = useGroupChoices(groupId, { members: true });
  // The creator always facilitates (the server keeps them first), so only the others are chosen.
  const creator = meeting ? meeting.facilitators[0] : me;
  const [title, setTitle] = useState(meeting?.title ?? '');
  const [when, setWhen] = useState(() =>
    localInputValue(meeting ? new Date(meeting.scheduledAt) : nextFullHour()),
  );
  const [minutes, setMinutes] = useState(String(meeting?.expectedMinutes ?? 60));
  const [facilitators, setFacilitators] = useState<string[]>(
    meeting ? meeting.facilitators.slice(1).map((f) => f.id) : [],
  );
  const [discussions, setDiscussions] = useState<string[]>(meeting?.discussionIds ?? []);
  const { busy, error, run } = useAction();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const when_ = new Date(when);
    const input = {
      title,
      scheduledAt: Number.isNaN(when_.getTime()) ? '' : when_.toISOString(),
      expectedMinutes: minutes.trim() === '' ? NaN : Number(minutes),
      facilitatorIds: facilitators,
      discussionIds: discussions,
    };
    void run(async () =>
      onDone(
        meeting ? await updateMeeting(meeting.id, input) : await scheduleMeeting(groupId, input),
      ),
    );
  };

  const memberChoices = choices.members
    .filter((m) => m.id !== creator?.id)
    .map((m) => ({
      id: m.id,
      label: m.name,
      note: m.role === 'coordinator' ? <span className="pill">coordinator</span> : undefined,
    }));
  const facilitatorError = listFieldError(error, 'facilitatorIds');
  const discussionError = listFieldError(error, 'discussionIds');
  const named = (ids: string[], index: number, of: (id: string) => string | undefined) =>
    of(ids[index] ?? '') ?? 'One of them';

  return (
    <form
      className="meeting-details-form"
      onSubmit={submit}
      noValidate
      aria-label={meeting ? 'Edit the meeting' : 'Schedule a meeting'}
    >
      {/* Scheduling happens inside the group's Meetings card; editing replaces the details card. */}
      {meeting ? <h2>Edit the meeting</h2> : <h3>Schedule a meeting</h3>}
      <FormError
        message={
          facilitatorError || discussionError
            ? undefined
            : formError(error, [...FIELDS, 'facilitatorIds', 'discussionIds'])
        }
      />
      <Field
        label="Title"
        type="text"
        maxLength={200}
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        error={fieldError(error, 'title')}
        autoFocus
      />
      <div className="details-row">
        <Field
          label="Starts"
          type="datetime-local"
          value={when}
          onChange={(e) => setWhen(e.target.value)}
          error={fieldError(error, 'scheduledAt')}
        />
        <Field
          label="Expected length (minutes)"
          type="number"
          inputMode="numeric"
          min={5}
          max={1440}
          value={minutes}
          onChange={(e) => setMinutes(e.target.value)}
          error={fieldError(error, 'expectedMinutes')}
        />
      </div>
      <ChoiceList
        legend="Facilitators"
        hint={
          <>
            {meeting
              ? `${creator?.name ?? 'Whoever scheduled it'} scheduled it and always facilitates.`
              : 'You facilitate it.'}{' '}
            The group’s coordinators always may. Name others who will run it with you.
          </>
        }
        choices={memberChoices}
        selected={facilitators}
        onChange={setFacilitators}
        empty={choices.state.status === 'loading' ? 'Loading members…' : 'No other members.'}
        error={
          facilitatorError &&
          `${named(facilitators, facilitatorError.index, (id) => choices.members.find((m) => m.id === id)?.name)} ${facilitatorError.message}.`
        }
      />
      <ChoiceList
        legend="Linked discussions"
        hint="Optional. Quick votes during the meeting are opened in the first one you pick."
        choices={choices.discussions.map((d) => ({
          id: d.id,
          label: d.title,
          note:
            discussions[0] === d.id ? <span className="pill brand">quick votes</span> : undefined,
        }))}
        selected={discussions}
        onChange={setDiscussions}
        empty={choices.state.status === 'loading' ? 'Loading discussions…' : 'No discussions yet.'}
        error={
          discussionError &&
          `${named(discussions, discussionError.index, choices.titleOf)} ${discussionError.message}.`
        }
      />
      <div className="row">
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : meeting ? 'Save changes' : 'Schedule meeting'}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
