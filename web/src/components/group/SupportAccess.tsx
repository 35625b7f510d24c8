import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { GroupDetailDto, SupportAuditEntryDto } from '../../../../shared/dto.js';
import {
  GRANT_LENGTHS,
  grantSupportAccess,
  loadSupportAccess,
  revokeSupportAccess,
  type SupportAccess as SupportAccessData,
} from '../../data/support.js';
import { useLoad } from '../../lib/use-load.js';
import { displayName } from '../Avatar.js';
import { FormError, fieldError, formError } from '../Form.js';
import { LoadGate } from '../Loading.js';
import { RelativeTime } from '../RelativeTime.js';
import { ConfirmButton } from './ConfirmButton.js';
import './support.css';

/** What an administrator read, in plain words, from the route the server recorded. */
const READS: Record<string, string> = {
  'GET /api/groups/:group': 'the group page',
  'GET /api/groups/:group/members': 'the member list, with email addresses',
  'GET /api/groups/:group/invitations': 'the pending invitations',
  'GET /api/groups/:group/join-requests': 'the requests to join',
  'GET /api/discussions': 'the list of discussions',
  'GET /api/discussions/:id': 'a discussion',
  'GET /api/discussions/:id/comments': "a discussion's comments",
  'GET /api/discussions/:id/events': "a discussion's timeline",
  'GET /api/discussions/:id/polls': "a discussion's polls",
  'GET /api/polls/:id': 'a poll',
  'GET /api/polls/:id/votes': "a poll's votes",
  'GET /api/comments/:id/history': "a comment's edit history",
};

/** How many history entries show before "Show all". */
const SHOWN = 10;

const exactTime = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

const lengthLabel = (hours: number) =>
  GRANT_LENGTHS.find((l) => l.hours === hours)?.label ?? `${hours} hours`;

function HistoryEntry({ entry }: { entry: SupportAuditEntryDto }) {
  const who = entry.actor ? displayName(entry.actor) : 'Someone';
  let what: string;
  let role: string;
  if (entry.action === 'support_read') {
    role = 'site administrator';
    what = entry.read ? `read ${READS[entry.read] ?? entry.read}` : 'read something';
  } else if (entry.action === 'support_access_granted') {
    role = 'coordinator';
    what = 'granted support access';
  } else if (entry.action === 'support_access_revoked') {
    role = 'coordinator';
    what = 'revoked support access';
  } else {
    role = '';
    what = entry.action.replace(/_/g, ' ');
  }
  return (
    <li className={`support-entry ${entry.action === 'support_read' ? 'is-read' : 'is-change'}`}>
      <div className="support-entry-what">
        <span className="support-entry-who">{who}</span>
        {role && <span className="small muted"> ({role})</span>} {what}
      </div>
      <div className="small muted support-entry-when">
        <RelativeTime iso={entry.at} />
      </div>
    </li>
  );
}

/** The support history: grants, revocations and every read under a grant, newest first. */
function SupportHistory({ audit }: { audit: SupportAuditEntryDto[] }) {
  const [all, setAll] = useState(false);
  const reads = audit.filter((e) => e.action === 'support_read').length;
  const shown = all ? audit : audit.slice(0, SHOWN);
  return (
    <div className="support-history">
      <h3 id="support-history-title">Reads and changes</h3>
      {audit.length === 0 ? (
        <p className="small muted">
          Nothing yet. Support access has never been granted for this group.
        </p>
      ) : (
        <>
          <p className="small muted">
            {reads === 0
              ? 'No administrator has read anything under a grant.'
              : `${reads} ${reads === 1 ? 'read' : 'reads'} by administrators under a grant.`}{' '}
            Each read names what was opened, never what it contained.
          </p>
          <ul className="list support-list" aria-labelledby="support-history-title">
            {shown.map((entry) => (
              <HistoryEntry key={entry.id} entry={entry} />
            ))}
          </ul>
          {audit.length > SHOWN && (
            <button type="button" className="link small" onClick={() => setAll((a) => !a)}>
              {all ? 'Show fewer' : `Show all ${audit.length}`}
            </button>
          )}
        </>
      )}
    </div>
  );
}

/** Choose a length, then confirm in place: nothing is granted on the first press. */
function GrantForm({
  groupId,
  replacing,
  onGranted,
}: {
  groupId: string;
  replacing: boolean;
  onGranted: (hours: number) => void;
}) {
  const id = useId();
  const [hours, setHours] = useState(GRANT_LENGTHS[1].hours);
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const openRef = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);

  useEffect(() => {
    if (asking) confirmRef.current?.focus();
    else if (wasAsking.current) openRef.current?.focus();
    wasAsking.current = asking;
  }, [asking]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!asking) {
      setError(null);
      setAsking(true);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await grantSupportAccess(groupId, hours);
      setAsking(false);
      onGranted(hours);
    } catch (e) {
      setError(e);
    }
    setBusy(false);
  }

  const hoursError = fieldError(error, 'hours');
  return (
    <form className="support-grant" onSubmit={(e) => void submit(e)} noValidate>
      <FormError message={formError(error, ['hours'])} />
      <div className="field">
        <label htmlFor={id}>{replacing ? 'Change the length, from now' : 'Grant access for'}</label>
        <select
          id={id}
          value={hours}
          disabled={asking}
          aria-invalid={hoursError ? true : undefined}
          aria-describedby={hoursError ? `${id}-error` : undefined}
          onChange={(e) => setHours(Number(e.target.value))}
        >
          {GRANT_LENGTHS.map((l) => (
            <option key={l.hours} value={l.hours}>
              {l.label}
            </option>
          ))}
        </select>
        {hoursError && (
          <div className="error" id={`${id}-error`}>
            {hoursError}
          </div>
        )}
      </div>
      {asking ? (
        <div
          className="support-confirm"
          role="group"
          aria-labelledby={`${id}-question`}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setAsking(false);
          }}
        >
          <p id={`${id}-question`}>
            Let site administrators read this group&apos;s discussions, members&apos; email
            addresses and votes for {lengthLabel(hours)}? Every read will be listed here.
          </p>
          <div className="row">
            <button ref={confirmRef} type="submit" disabled={busy}>
              {busy ? 'Granting…' : `Yes, grant ${lengthLabel(hours)}`}
            </button>
            <button type="button" className="secondary" onClick={() => setAsking(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <button ref={openRef} type="submit" className={replacing ? 'secondary' : undefined}>
          {replacing ? 'Replace the grant…' : 'Grant support access…'}
        </button>
      )}
    </form>
  );
}

/**
 * The coordinators' consent to support (P12): what administrators cannot see
 * without it, the grant in force, granting for a chosen length, revoking, and
 * the history of every read made under a grant.
 */
export function SupportAccess({ group }: { group: GroupDetailDto }) {
  const [data, setData] = useState<SupportAccessData | null>(null);
  const [round, setRound] = useState(0);
  const [said, setSaid] = useState('');
  const state = useLoad(`${group.id}:${round}`, async () =>
    setData(await loadSupportAccess(group.id)),
  );
  const grant = data?.grant ?? null;

  // When the grant runs out, ask again so the panel never shows access that has ended.
  useEffect(() => {
    if (!grant) return;
    const left = Date.parse(grant.expiresAt) - Date.now();
    const timer = setTimeout(
      () => setRound((r) => r + 1),
      Math.min(Math.max(left, 0) + 1000, 2 ** 31 - 1),
    );
    return () => clearTimeout(timer);
  }, [grant]);

  return (
    <section className="card support-card" aria-labelledby="support-title">
      <h2 id="support-title">Support access</h2>
      <p className="support-explain">
        The site&apos;s administrators run this Quorum server, but they cannot read this
        group&apos;s discussions, its members&apos; email addresses or how anyone voted. If you need
        their help with something here, you can let them in for a limited time, and end it whenever
        you like. Everything they open while access is on is listed below.
      </p>
      <p className="visually-hidden" role="status">
        {said}
      </p>
      {data === null ? (
        <LoadGate state={state} what="support access" />
      ) : (
        <>
          {state.status === 'error' && <LoadGate state={state} what="support access" />}
          {grant ? (
            <div className="support-status is-on" data-testid="support-status">
              <div className="support-status-text">
                <strong>Support access is on</strong> until{' '}
                <time dateTime={grant.expiresAt}>{exactTime(grant.expiresAt)}</time> (
                <RelativeTime iso={grant.expiresAt} />)
                <div className="small muted">
                  Granted by {displayName(grant.grantedBy)} <RelativeTime iso={grant.createdAt} />
                </div>
              </div>
              <ConfirmButton
                label="Revoke"
                ariaLabel="Revoke support access"
                question="End support access now?"
                confirmLabel="Yes, revoke"
                onConfirm={async () => {
                  await revokeSupportAccess(group.id);
                  setSaid('Support access revoked.');
                  setRound((r) => r + 1);
                }}
              />
            </div>
          ) : (
            <div className="support-status is-off" data-testid="support-status">
              <strong>No access granted.</strong>{' '}
              <span className="muted">Administrators cannot read this group.</span>
            </div>
          )}
          <GrantForm
            groupId={group.id}
            replacing={grant !== null}
            onGranted={(hours) => {
              setSaid(`Support access granted for ${lengthLabel(hours)}.`);
              setRound((r) => r + 1);
            }}
          />
          <SupportHistory audit={data.audit} />
        </>
      )}
    </section>
  );
}
