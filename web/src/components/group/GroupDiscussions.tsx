import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import type { DiscussionDto, GroupDetailDto } from '../../../../shared/dto.js';
import { messageOf } from '../../api/client.js';
import { groupListKey, loadGroupDiscussions } from '../../data/groups.js';
import { useLoad } from '../../lib/use-load.js';
import { useStore } from '../../store/index.js';
import { DiscussionList } from '../DiscussionList.js';
import { LoadGate } from '../Loading.js';
import { StartDiscussionForm } from './StartDiscussionForm.js';
import './group.css';
import { groupPath } from '../../lib/paths.js';

/** Pinned first, then latest activity: the server's order, kept as live updates arrive. */
function byListOrder(a: DiscussionDto, b: DiscussionDto): number {
  if (a.pinned !== b.pinned) return a.pinned ? -1 : 1;
  return b.lastActivityAt.localeCompare(a.lastActivityAt);
}

/** The group's discussions, live, with the form to start one where the viewer may. */
export function GroupDiscussions({ group }: { group: GroupDetailDto }) {
  const status = useStore((s) => s.sessionStatus);
  const [cursor, setCursor] = useState<string | null>(null);
  const [more, setMore] = useState<{ busy: boolean; error?: string }>({ busy: false });
  const [starting, setStarting] = useState(false);
  // Reloaded when the viewer's role changes (joined, left, removed): what they may read changes with it.
  const state = useLoad(`${group.id}:${status}:${group.role ?? 'none'}`, async () =>
    setCursor(await loadGroupDiscussions(group.id)),
  );
  const list = useStore((s) => s.discussionLists[groupListKey(group.id)]);
  const discussions = useStore((s) => s.discussions);
  const ids = useMemo(
    () =>
      (list ?? [])
        .map((id) => discussions[id])
        .filter((d): d is DiscussionDto => d !== undefined && d.group?.id === group.id)
        .sort(byListOrder)
        .map((d) => d.id),
    [list, discussions, group.id],
  );
  const announcement = useNewArrivals(ids, discussions, state.status === 'ready');

  return (
    <section className="card" aria-labelledby="group-discussions-title">
      <div className="page-head tight">
        <h2 id="group-discussions-title">Discussions</h2>
        {group.abilities.canStartDiscussion && !starting && (
          <button type="button" className="small" onClick={() => setStarting(true)}>
            Start a discussion
          </button>
        )}
      </div>
      {starting && <StartDiscussionForm group={group} onCancel={() => setStarting(false)} />}
      <div role="status" aria-live="polite" className="visually-hidden">
        {announcement}
      </div>
      <LoadGate state={state} what="discussions" />
      {state.status === 'ready' && (
        <>
          <DiscussionList
            ids={ids}
            empty={
              group.abilities.canStartDiscussion
                ? 'No discussions yet. Start the first one.'
                : 'No discussions here yet.'
            }
          />
          {cursor && (
            <div className="list-more">
              <button
                type="button"
                className="secondary small"
                disabled={more.busy}
                onClick={() => {
                  setMore({ busy: true });
                  loadGroupDiscussions(group.id, cursor).then(
                    (next) => {
                      setCursor(next);
                      setMore({ busy: false });
                    },
                    (e: unknown) => setMore({ busy: false, error: messageOf(e) }),
                  );
                }}
              >
                {more.busy ? 'Loading…' : 'Show more discussions'}
              </button>
              {more.error && <span className="form-error">{more.error}</span>}
            </div>
          )}
        </>
      )}
      {state.status === 'ready' && !group.abilities.canStartDiscussion && group.role === null && (
        <p className="small muted list-foot">
          {status === 'signed_out' ? (
            <>
              <Link to={`/signin?next=${encodeURIComponent(groupPath(group))}`}>Sign in</Link> to
              take part.
            </>
          ) : (
            'Members of this group start its discussions.'
          )}
        </p>
      )}
    </section>
  );
}

/** For screen readers: names a discussion that arrives live after the list loaded. */
function useNewArrivals(
  ids: string[],
  discussions: Readonly<Record<string, DiscussionDto>>,
  ready: boolean,
): string {
  const seen = useRef<Set<string> | null>(null);
  const [text, setText] = useState('');
  useEffect(() => {
    if (!ready) return;
    if (seen.current === null) {
      seen.current = new Set(ids);
      return;
    }
    const fresh = ids.filter((id) => !seen.current?.has(id));
    for (const id of fresh) seen.current.add(id);
    if (fresh.length > 0)
      setText(`New discussion: ${fresh.map((id) => discussions[id]?.title).join(', ')}`);
  }, [ids, discussions, ready]);
  return text;
}
