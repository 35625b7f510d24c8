import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import type { GroupDto } from '../../../../shared/dto.js';
import { startDiscussion } from '../../data/groups.js';
import { Field, FormError, TextAreaField, fieldError, formError } from '../Form.js';
import { useAction } from '../../lib/use-action.js';

/** Starting a discussion in a group; on success the discussion opens. */
export function StartDiscussionForm({
  group,
  onCancel,
}: {
  group: GroupDto;
  onCancel: () => void;
}) {
  const navigate = useNavigate();
  const [title, setTitle] = useState('');
  const [context, setContext] = useState('');
  const [isPrivate, setPrivate] = useState(false);
  const { busy, error, run } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      const discussion = await startDiscussion({
        groupId: group.id,
        title,
        context,
        ...(group.privacy === 'open' ? { private: isPrivate } : {}),
      });
      void navigate(`/d/${discussion.id}`);
    });
  }

  return (
    <form className="start-discussion" onSubmit={(e) => void submit(e)} noValidate>
      <h2>Start a discussion</h2>
      <FormError message={formError(error, ['title', 'context', 'private'])} />
      <Field
        label="Title"
        type="text"
        required
        maxLength={200}
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        error={fieldError(error, 'title')}
        autoFocus
      />
      <TextAreaField
        label="Context"
        hint="What is this about, and what would you like from the group?"
        formatting
        rows={5}
        value={context}
        onChange={(e) => setContext(e.target.value)}
        error={fieldError(error, 'context')}
      />
      {group.privacy === 'open' ? (
        <label className="check">
          <input
            type="checkbox"
            checked={isPrivate}
            onChange={(e) => setPrivate(e.target.checked)}
          />
          <span>
            Private: only members of {group.name} can read it
            <span className="choice-hint">
              Otherwise anyone can read it, as with everything in an open group.
            </span>
          </span>
        </label>
      ) : (
        <p className="small muted">Only members of {group.name} can read discussions here.</p>
      )}
      <div className="row">
        <button type="submit" disabled={busy}>
          {busy ? 'Starting…' : 'Start discussion'}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
