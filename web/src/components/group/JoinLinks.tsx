import { useState, type FormEvent } from 'react';
import type { GroupDetailDto, JoinLinkDto } from '../../../../shared/dto.js';
import { createJoinLink, loadJoinLinks, revokeJoinLink } from '../../data/join-links.js';
import { useAction } from '../../lib/use-action.js';
import { useLoad } from '../../lib/use-load.js';
import { displayName } from '../Avatar.js';
import { Field, FormError, fieldError, formError } from '../Form.js';
import { LoadGate } from '../Loading.js';
import { RelativeTime } from '../RelativeTime.js';
import { ConfirmButton } from './ConfirmButton.js';
import './join-links.css';

const EXPIRIES = [
  { days: 1, label: '1 day' },
  { days: 7, label: '7 days' },
  { days: 30, label: '30 days' },
  { days: 90, label: '90 days' },
];

const STATUS: Record<JoinLinkDto['status'], string> = {
  active: 'Active',
  expired: 'Expired',
  revoked: 'Withdrawn',
  used_up: 'Used up',
};

/** The link just created, shown once (only its hash is kept), with a button to copy it. */
function NewLink({ url }: { url: string }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    await navigator.clipboard.writeText(url).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  }
  return (
    <div className="join-link-new" data-testid="new-join-link">
      <label htmlFor="join-link-url">Your new link (shown only now: copy it)</label>
      <div className="row">
        <input
          id="join-link-url"
          readOnly
          value={url}
          onFocus={(e) => e.currentTarget.select()}
          spellCheck={false}
        />
        <button type="button" className="secondary" onClick={() => void copy()}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
    </div>
  );
}

function CreateForm({ group, onCreated }: { group: GroupDetailDto; onCreated: () => void }) {
  const [days, setDays] = useState(7);
  const [maxUses, setMaxUses] = useState('20');
  const [url, setUrl] = useState<string | null>(null);
  const { busy, error, run } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setUrl(null);
    await run(async () => {
      const created = await createJoinLink(group.id, {
        expiresInDays: days,
        maxUses: Number(maxUses),
      });
      // The address this page was opened at, so the link works whatever PUBLIC_URL says.
      setUrl(`${window.location.origin}/join/${created.token}`);
      onCreated();
    });
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="join-link-form">
      <FormError message={formError(error, ['expiresInDays', 'maxUses'])} />
      <div className="join-link-fields">
        <div className="field">
          <label htmlFor={`join-link-expiry-${group.id}`}>Expires after</label>
          <select
            id={`join-link-expiry-${group.id}`}
            value={days}
            onChange={(e) => setDays(Number(e.target.value))}
          >
            {EXPIRIES.map((e) => (
              <option key={e.days} value={e.days}>
                {e.label}
              </option>
            ))}
          </select>
        </div>
        <Field
          label="People who may join"
          type="number"
          min={1}
          max={1000}
          required
          value={maxUses}
          onChange={(e) => setMaxUses(e.target.value)}
          error={fieldError(error, 'maxUses')}
        />
      </div>
      <button type="submit" disabled={busy}>
        {busy ? 'Creating…' : 'Create join link'}
      </button>
      {url && <NewLink url={url} />}
    </form>
  );
}

function LinkRow({
  group,
  link,
  onRevoked,
}: {
  group: GroupDetailDto;
  link: JoinLinkDto;
  onRevoked: (link: JoinLinkDto) => void;
}) {
  return (
    <li className="join-link-row" data-testid="join-link-row" data-status={link.status}>
      <div>
        <span className={`pill join-link-status is-${link.status}`}>{STATUS[link.status]}</span>{' '}
        <span className="join-link-uses">
          {link.uses} of {link.maxUses} joined
        </span>
        <div className="small muted">
          by {displayName(link.createdBy)} <RelativeTime iso={link.createdAt} />
          {link.status === 'active' && (
            <>
              {' '}
              · expires <RelativeTime iso={link.expiresAt} />
            </>
          )}
        </div>
      </div>
      {link.status === 'active' && (
        <ConfirmButton
          label="Withdraw"
          ariaLabel="Withdraw this join link"
          question="Withdraw this link? Nobody more can join through it."
          confirmLabel="Yes, withdraw"
          onConfirm={async () => onRevoked(await revokeJoinLink(group.id, link.id))}
        />
      )}
    </li>
  );
}

/**
 * A group's shareable join links, in its settings, for coordinators: unlike an
 * email invitation, anyone holding one may join, so each has an expiry and a
 * use limit and can be withdrawn.
 */
export function JoinLinks({ group }: { group: GroupDetailDto }) {
  const [round, setRound] = useState(0);
  const [links, setLinks] = useState<JoinLinkDto[]>([]);
  const state = useLoad(`${group.id}:${round}`, async () =>
    setLinks(await loadJoinLinks(group.id)),
  );
  return (
    <section className="card join-links-card" aria-labelledby="join-links-title">
      <h2 id="join-links-title">Join links</h2>
      <p className="small muted join-links-explain">
        Anyone with a join link can become a member
        {group.privacy === 'secret' ? ', and learn that this secret group exists' : ''}, until it
        expires, is used up or you withdraw it. To invite one person, invite them by email instead.
      </p>
      <CreateForm group={group} onCreated={() => setRound((r) => r + 1)} />
      <h3>Links</h3>
      <LoadGate state={state} what="join links" />
      {state.status === 'ready' &&
        (links.length === 0 ? (
          <p className="small muted">No join links yet.</p>
        ) : (
          <ul className="list" aria-label="Join links">
            {links.map((link) => (
              <LinkRow
                key={link.id}
                group={group}
                link={link}
                onRevoked={(revoked) =>
                  setLinks((held) => held.map((l) => (l.id === revoked.id ? revoked : l)))
                }
              />
            ))}
          </ul>
        ))}
    </section>
  );
}
