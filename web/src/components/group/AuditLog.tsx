import { useState } from 'react';
import type { GroupAuditEntryDto, GroupDetailDto } from '../../../../shared/dto.js';
import { messageOf } from '../../api/client.js';
import { loadGroupAudit } from '../../data/support.js';
import { useLoad } from '../../lib/use-load.js';
import { displayName } from '../Avatar.js';
import { LoadGate } from '../Loading.js';
import { RelativeTime } from '../RelativeTime.js';
import './support.css';

/** What each recorded action is called, and in which role its actor took it. */
const ACTIONS: Record<string, { label: string; role: string }> = {
  content_redacted: { label: 'Content redacted', role: 'Data Protection Officer' },
  support_access_granted: { label: 'Support access granted', role: 'coordinator' },
  support_access_revoked: { label: 'Support access revoked', role: 'coordinator' },
  support_read: { label: 'Read under support access', role: 'site administrator' },
  join_link_created: { label: 'Join link created', role: 'coordinator' },
  join_link_revoked: { label: 'Join link withdrawn', role: 'coordinator' },
  joined_through_link: { label: 'Joined through a join link', role: 'new member' },
};

const items = (n: number) => (n === 1 ? '1 item' : `${n} items`);

function describe(action: string): { label: string; role: string | null } {
  const known = ACTIONS[action] as { label: string; role: string } | undefined;
  if (known) return known;
  const words = action.replace(/_/g, ' ');
  return { label: words.charAt(0).toUpperCase() + words.slice(1), role: null };
}

function AuditEntry({ entry }: { entry: GroupAuditEntryDto }) {
  const { label, role } = describe(entry.action);
  const redacted = entry.action === 'content_redacted';
  // Counts matter for redactions (how much was replaced); support and join-link entries count one.
  const count =
    entry.count !== null && !/^(support_|join_link_|joined_)/.test(entry.action)
      ? entry.count
      : null;
  return (
    <li className="audit-entry" data-action={entry.action}>
      <div className="audit-entry-head">
        <span className="audit-entry-what">{label}</span>
        {count !== null && <span className="pill">{items(count)}</span>}
        <span className="small muted audit-entry-when">
          <RelativeTime iso={entry.at} />
        </span>
      </div>
      <div className="small audit-entry-detail">
        {entry.subject && (
          <>
            {redacted ? 'Written by ' : 'About '}
            <span className="audit-person">{displayName(entry.subject)}</span>
            {' · '}
          </>
        )}
        by{' '}
        {entry.actor ? (
          <span className="audit-person">{displayName(entry.actor)}</span>
        ) : (
          'the system'
        )}
        {role && <span className="muted"> ({role})</span>}
      </div>
      {redacted && (
        <div className="small muted audit-entry-note">
          The text was replaced with a notice. What it said, and the reason given, are not shown to
          coordinators.
        </div>
      )}
    </li>
  );
}

/**
 * The group's audit log for its coordinators (P9, P12): what was done to the
 * group's content or access from outside it (the Data Protection Officer's
 * redactions, support access), by whom and when. The fact only: never the
 * content acted upon nor the reason given.
 */
export function AuditLog({ group }: { group: GroupDetailDto }) {
  const [entries, setEntries] = useState<GroupAuditEntryDto[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [more, setMore] = useState<{ busy: boolean; error: string | null }>({
    busy: false,
    error: null,
  });
  const state = useLoad(group.id, async () => {
    const page = await loadGroupAudit(group.id);
    setEntries(page.items);
    setCursor(page.nextCursor);
  });

  async function loadOlder() {
    if (!cursor) return;
    setMore({ busy: true, error: null });
    try {
      const page = await loadGroupAudit(group.id, cursor);
      setEntries((held) => [
        ...held,
        ...page.items.filter((e) => !held.some((h) => h.id === e.id)),
      ]);
      setCursor(page.nextCursor);
      setMore({ busy: false, error: null });
    } catch (e) {
      setMore({ busy: false, error: messageOf(e) });
    }
  }

  return (
    <section className="card audit-card" aria-labelledby="audit-title">
      <div className="audit-title-row">
        <h2 id="audit-title">Audit log</h2>
        <button
          type="button"
          className="secondary small"
          onClick={state.reload}
          disabled={state.status === 'loading'}
        >
          Refresh
        </button>
      </div>
      <p className="small muted">
        What was done to this group from outside it: content redacted by the Data Protection
        Officer, and support access granted, used and revoked. It records that something happened,
        never what the content said.
      </p>
      <LoadGate state={state} what="the audit log" />
      {state.status === 'ready' &&
        (entries.length === 0 ? (
          <p className="empty">Nothing has been recorded for this group.</p>
        ) : (
          <ul className="list audit-list" aria-label="Audit entries" data-testid="audit-list">
            {entries.map((entry) => (
              <AuditEntry key={entry.id} entry={entry} />
            ))}
          </ul>
        ))}
      {state.status === 'ready' && cursor && (
        <div className="list-more">
          <button
            type="button"
            className="secondary small"
            disabled={more.busy}
            onClick={() => void loadOlder()}
          >
            {more.busy ? 'Loading…' : 'Show older entries'}
          </button>
          {more.error && (
            <span className="small form-error" role="alert">
              {more.error}
            </span>
          )}
        </div>
      )}
    </section>
  );
}
