import { Suspense, useId, useState } from 'react';
import { Link } from 'react-router';
import type { DiscussionDto } from '../../../../shared/dto.js';
import { messageOf } from '../../api/client.js';
import {
  editDiscussion,
  setDiscussionClosed,
  setDiscussionPinned,
} from '../../data/discussions.js';
import { useStore } from '../../store/index.js';
import { Avatar, displayName } from '../Avatar.js';
import { Field, fieldError, FormError, formError } from '../Form.js';
import { RelativeTime } from '../RelativeTime.js';
import { Markdown } from '../Markdown.js';
import { PartBoundary } from '../PartBoundary.js';
import { CollabEditor } from '../../collab/LazyCollabEditor.js';
import { Presence } from './Presence.js';
import { DiscussionModeration } from '../moderation/DiscussionModeration.js';
import { groupPath } from '../../lib/paths.js';

function EditDiscussion({ discussion, onDone }: { discussion: DiscussionDto; onDone: () => void }) {
  const [title, setTitle] = useState(discussion.title);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  return (
    <form
      className="discussion-edit"
      aria-label="Edit discussion"
      onSubmit={(e) => {
        e.preventDefault();
        setSaving(true);
        setError(null);
        editDiscussion(discussion.id, { title: title.trim() }).then(onDone, (err: unknown) => {
          setSaving(false);
          setError(err);
        });
      }}
    >
      <FormError message={formError(error, ['title'])} />
      <Field
        label="Title"
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        required
        maxLength={200}
        error={fieldError(error, 'title')}
        autoFocus
      />
      <div className="row">
        <button type="submit" disabled={saving || title.trim() === ''}>
          {saving ? 'Saving…' : 'Save changes'}
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/**
 * The discussion's head: where it lives, its title and state, who started it,
 * its context, who is viewing now, and the controls its abilities allow
 * (edit, close or reopen, pin or unpin). Changes reach everyone live.
 */
export function DiscussionHeader({ discussion }: { discussion: DiscussionDto }) {
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const titleId = useId();
  const { abilities } = discussion;

  const act = (run: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    run().then(
      () => setBusy(false),
      (e: unknown) => {
        setBusy(false);
        setError(messageOf(e));
      },
    );
  };

  const controls = abilities.canEdit || abilities.canClose || abilities.canPin;
  const present = useStore((s) => {
    const p = s.presence[discussion.id];
    const someone = !!p && (p.viewers.length > 0 || p.participants > 0 || p.visitors > 0);
    return someone && s.connection === 'live';
  });
  return (
    <header className="card discussion-head" aria-labelledby={titleId}>
      {discussion.group && (
        <nav className="crumbs small" aria-label="Breadcrumb">
          <Link to={groupPath(discussion.group)}>{discussion.group.name}</Link>
        </nav>
      )}
      {editing ? (
        <>
          <h1 id={titleId} className="visually-hidden">
            {discussion.title}
          </h1>
          <EditDiscussion discussion={discussion} onDone={() => setEditing(false)} />
        </>
      ) : (
        <>
          <div className="discussion-title-row">
            <h1 id={titleId}>{discussion.title}</h1>
            <div className="row discussion-pills">
              {discussion.pinned && <span className="pill brand">Pinned</span>}
              {discussion.closed && <span className="pill warn">Closed</span>}
              <span className="pill">{discussion.private ? 'Private' : 'Public'}</span>
            </div>
          </div>
          <div className="row discussion-byline muted small">
            <Avatar user={discussion.author} size={24} />
            <span>
              Started by <strong className="ink">{displayName(discussion.author)}</strong>{' '}
              <RelativeTime iso={discussion.createdAt} />
              {discussion.closed && discussion.closedAt && (
                <>
                  {' '}
                  · closed <RelativeTime iso={discussion.closedAt} />
                </>
              )}
            </span>
          </div>
          {(abilities.canEdit || discussion.context.trim() !== '') && (
            // Written together, live: the title stays in the Edit form.
            <div className="discussion-context md">
              <PartBoundary what="discussion context" resetKey={discussion.context}>
                <Suspense fallback={<Markdown source={discussion.context} topLevel={3} />}>
                  <CollabEditor
                    docKey={`discussion:${discussion.id}:context`}
                    discussionId={discussion.id}
                    label="Context"
                    fallback={discussion.context}
                  />
                </Suspense>
              </PartBoundary>
            </div>
          )}
        </>
      )}
      {(present || (controls && !editing)) && (
        <div className="discussion-head-foot">
          <PartBoundary what="presence">
            <Presence discussionId={discussion.id} />
          </PartBoundary>
          {controls && !editing && (
            <div className="row discussion-controls" role="group" aria-label="Discussion controls">
              {abilities.canEdit && (
                <button type="button" className="secondary small" onClick={() => setEditing(true)}>
                  Edit
                </button>
              )}
              {abilities.canPin && (
                <button
                  type="button"
                  className="secondary small"
                  disabled={busy}
                  onClick={() => act(() => setDiscussionPinned(discussion.id, !discussion.pinned))}
                >
                  {discussion.pinned ? 'Unpin' : 'Pin'}
                </button>
              )}
              {abilities.canClose && (
                <button
                  type="button"
                  className="secondary small"
                  disabled={busy}
                  onClick={() => act(() => setDiscussionClosed(discussion.id, !discussion.closed))}
                >
                  {discussion.closed ? 'Reopen discussion' : 'Close discussion'}
                </button>
              )}
            </div>
          )}
        </div>
      )}
      {!editing && <DiscussionModeration discussion={discussion} />}
      {error && (
        <div className="form-error" role="alert">
          {error}
        </div>
      )}
    </header>
  );
}
