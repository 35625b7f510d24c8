import { useState } from 'react';
import { ApiError } from '../../api/client.js';
import { takeAction } from '../../data/moderation.js';
import { useAction } from '../../lib/use-action.js';
import { Field, fieldError, FormError, formError } from '../Form.js';

/**
 * Hiding a comment pending review, or restoring a hidden one, straight from
 * the comment, for the group's moderators: the same action the review queue
 * takes, which asks for a reason (it goes to the audit log and to the author).
 * The question names the comment; the comment changes live for everyone.
 */
export function ModerateComment({
  groupId,
  commentId,
  action,
  target,
  onClose,
}: {
  groupId: string;
  commentId: string;
  action: 'hide' | 'restore';
  /** Whose comment and how it begins ("Ben Okri’s comment “Buy my…”"). */
  target: string;
  onClose: () => void;
}) {
  const [reason, setReason] = useState('');
  const { busy, error, setError, run } = useAction();
  const verb = action === 'hide' ? 'Hide' : 'Restore';
  const submit = () => {
    if (reason.trim() === '')
      return setError(new ApiError('validation_error', 'Give a reason', 400, 'reason'));
    void run(async () => {
      await takeAction(groupId, {
        target: { kind: 'comment', id: commentId },
        action,
        reason: reason.trim(),
      });
      onClose();
    });
  };
  const reasonError = fieldError(error, 'reason');
  return (
    <form
      className="confirm comment-confirm moderate-comment"
      aria-label={`${verb} comment`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onClose();
        }
      }}
    >
      <p className="small">
        {verb} {target}?{' '}
        {action === 'hide'
          ? 'Readers see that a comment was hidden pending review; its author is told why.'
          : 'It shows to everyone again; its author is told why.'}
      </p>
      <Field
        label="Reason"
        type="text"
        value={reason}
        maxLength={1000}
        autoFocus
        onChange={(e) => setReason(e.target.value)}
        error={reasonError}
      />
      <FormError message={formError(error, ['reason'])} />
      <div className="row">
        <button
          type="submit"
          className={action === 'hide' ? 'danger small' : 'small'}
          disabled={busy}
        >
          {verb} comment
        </button>
        <button type="button" className="secondary small" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
