import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useLocation } from 'react-router';
import type { NotificationKind } from '../../../../shared/domain.js';
import {
  GROUP_EMAIL_LEVELS,
  type EmailPreferencesDto,
  type GroupEmailLevel,
} from '../../../../shared/email.js';
import { FormError, fieldError, formError } from '../../components/Form.js';
import { LoadGate } from '../../components/Loading.js';
import {
  loadEmailPreferences,
  saveEmailPreferences,
  type EmailPreferencesChange,
} from '../../data/email-preferences.js';
import { loadGroups } from '../../data/inbox.js';
import { useLoad } from '../../lib/use-load.js';
import { useStore } from '../../store/index.js';
import { EMAIL_NOTIFICATIONS_ANCHOR } from '../../../../shared/routes.js';
import './email-preferences.css';

const KINDS: { kind: NotificationKind; label: string; hint: string }[] = [
  { kind: 'mention', label: 'Mentions', hint: 'When someone mentions you with @.' },
  { kind: 'reply', label: 'Replies to you', hint: 'When someone replies to your comment.' },
  {
    kind: 'new_discussion',
    label: 'New discussions',
    hint: 'When a discussion starts in a group you follow at “All activity”.',
  },
  { kind: 'new_poll', label: 'New polls', hint: 'When a poll opens in one of your groups.' },
  {
    kind: 'poll_closing',
    label: 'Polls closing soon',
    hint: 'A reminder before a poll you have not voted in closes.',
  },
  { kind: 'outcome', label: 'Outcomes', hint: 'When the outcome of a poll is announced.' },
  {
    kind: 'meeting_started',
    label: 'Meetings starting',
    hint: 'When a meeting of one of your groups goes live.',
  },
  {
    kind: 'meeting_minutes',
    label: 'Meeting minutes',
    hint: 'The minutes of a meeting of one of your groups, once published.',
  },
];
const PERSONAL = KINDS.slice(0, 2);
const GROUP_ACTIVITY = KINDS.slice(2);

const LEVELS: Record<GroupEmailLevel, { label: string; hint: string }> = {
  all: {
    label: 'All activity',
    hint: 'New discussions, new polls, polls closing soon, outcomes, meetings starting and their minutes.',
  },
  important: {
    label: 'Important only',
    hint: 'Decisions and meetings: new polls, polls closing soon, outcomes, meetings starting and their minutes. No email for each new discussion.',
  },
  none: {
    label: 'None',
    hint: 'No email about the group’s activity. Mentions and replies to you still come if they are on.',
  },
};

/** The parts of `draft` that differ from `saved`; null when nothing does. */
function changesOf(saved: EmailPreferencesDto, draft: EmailPreferencesDto) {
  const change: EmailPreferencesChange = {};
  const kinds = KINDS.filter(({ kind }) => saved.kinds[kind] !== draft.kinds[kind]);
  if (kinds.length > 0)
    change.kinds = Object.fromEntries(kinds.map(({ kind }) => [kind, draft.kinds[kind]]));
  if (saved.defaultGroupLevel !== draft.defaultGroupLevel)
    change.defaultGroupLevel = draft.defaultGroupLevel;
  if (saved.digest !== draft.digest) change.digest = draft.digest;
  const own = (p: EmailPreferencesDto, id: string) =>
    p.groups.find((g) => g.groupId === id)?.level ?? null;
  const ids = [...new Set([...saved.groups, ...draft.groups].map((g) => g.groupId))];
  const groups = ids
    .filter((id) => own(saved, id) !== own(draft, id))
    .map((id) => ({ groupId: id, level: own(draft, id) }));
  if (groups.length > 0) change.groups = groups;
  return Object.keys(change).length > 0 ? change : null;
}

function Switch(props: {
  label: string;
  hint: string;
  checked: boolean;
  onChange: (on: boolean) => void;
  error?: string;
}) {
  const id = useId();
  return (
    <div className="email-switch">
      <div className="email-switch-text">
        <label htmlFor={id}>{props.label}</label>
        <div className="hint" id={`${id}-hint`}>
          {props.hint}
        </div>
        {props.error && (
          <div className="error" id={`${id}-error`}>
            {props.error}
          </div>
        )}
      </div>
      <input
        id={id}
        type="checkbox"
        role="switch"
        checked={props.checked}
        onChange={(e) => props.onChange(e.target.checked)}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={`${id}-hint${props.error ? ` ${id}-error` : ''}`}
      />
    </div>
  );
}

function GroupLevel(props: {
  name: string;
  own: GroupEmailLevel | null;
  defaultLevel: GroupEmailLevel;
  onChange: (level: GroupEmailLevel | null) => void;
  error?: string;
}) {
  const id = useId();
  const effective = props.own ?? props.defaultLevel;
  return (
    <li className="email-group">
      <div className="email-group-text">
        <label htmlFor={id}>{props.name}</label>
        <div className="hint" id={`${id}-hint`}>
          {LEVELS[effective].hint}
        </div>
        {props.error && (
          <div className="error" id={`${id}-error`}>
            {props.error}
          </div>
        )}
      </div>
      <select
        id={id}
        value={props.own ?? ''}
        onChange={(e) => props.onChange((e.target.value || null) as GroupEmailLevel | null)}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={`${id}-hint${props.error ? ` ${id}-error` : ''}`}
      >
        <option value="">Default ({LEVELS[props.defaultLevel].label.toLowerCase()})</option>
        {GROUP_EMAIL_LEVELS.map((level) => (
          <option key={level} value={level}>
            {LEVELS[level].label}
          </option>
        ))}
      </select>
    </li>
  );
}

/**
 * Which emails one gets: each kind on or off, how much of each group's
 * activity, and the daily digest. Changes are kept as a draft and saved
 * together; the server's answer becomes the new starting point.
 */
export function EmailPreferences() {
  const groupsById = useStore((s) => s.groups);
  const location = useLocation();
  const section = useRef<HTMLElement>(null);
  const [saved, setSaved] = useState<EmailPreferencesDto | null>(null);
  const [draft, setDraft] = useState<EmailPreferencesDto | null>(null);
  const [groupIds, setGroupIds] = useState<string[]>([]);
  const [error, setError] = useState<{ error: unknown; groups: string[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const state = useLoad('email-preferences', async () => {
    const [preferences, ids] = await Promise.all([loadEmailPreferences(), loadGroups()]);
    setSaved(preferences);
    setDraft(preferences);
    setGroupIds(ids);
  });

  // `/settings#email-notifications` (from an unsubscribe page) lands here once it is drawn.
  const ready = state.status === 'ready';
  useEffect(() => {
    if (ready && location.hash === `#${EMAIL_NOTIFICATIONS_ANCHOR}`)
      section.current?.scrollIntoView({ block: 'start' });
  }, [ready, location.hash]);

  const change = saved && draft ? changesOf(saved, draft) : null;
  const edit = (next: Partial<EmailPreferencesDto>) => {
    setDraft((d) => (d ? { ...d, ...next } : d));
    setDone(false);
  };
  const setOwnLevel = (groupId: string, level: GroupEmailLevel | null) =>
    draft &&
    edit({
      groups: [
        ...draft.groups.filter((g) => g.groupId !== groupId),
        ...(level ? [{ groupId, level }] : []),
      ],
    });

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!change) return;
    setBusy(true);
    setError(null);
    setDone(false);
    try {
      const answer = await saveEmailPreferences(change);
      setSaved(answer);
      setDraft(answer);
      setDone(true);
    } catch (e) {
      setError({ error: e, groups: change.groups?.map((g) => g.groupId) ?? [] });
    }
    setBusy(false);
  }

  const err = error?.error;
  const groupError = (groupId: string) => {
    const at = error?.groups.indexOf(groupId) ?? -1;
    return at === -1 ? undefined : fieldError(err, `groups.${at}.groupId`);
  };
  const fields = [
    ...KINDS.map(({ kind }) => `kinds.${kind}`),
    'defaultGroupLevel',
    'digest',
    ...(error?.groups.map((_, i) => `groups.${i}.groupId`) ?? []),
  ];
  const groups = groupIds.flatMap((id) => (groupsById[id] ? [groupsById[id]] : []));

  return (
    <section
      className="card email-prefs"
      id={EMAIL_NOTIFICATIONS_ANCHOR}
      ref={section}
      aria-labelledby="email-prefs-title"
    >
      <h2 id="email-prefs-title">Email notifications</h2>
      <p className="small muted">
        What Quorum emails you about. Every email also carries a link to stop that kind with one
        click.
      </p>
      <LoadGate state={state} what="your email preferences" />
      {ready && draft && (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <fieldset>
            <legend>About you</legend>
            {PERSONAL.map(({ kind, label, hint }) => (
              <Switch
                key={kind}
                label={label}
                hint={hint}
                checked={draft.kinds[kind]}
                onChange={(on) => edit({ kinds: { ...draft.kinds, [kind]: on } })}
                error={fieldError(err, `kinds.${kind}`)}
              />
            ))}
          </fieldset>
          <fieldset aria-describedby="email-batch-note">
            <legend>In your groups</legend>
            <p className="small muted" id="email-batch-note">
              What happens within a few minutes comes together in one email.
            </p>
            {GROUP_ACTIVITY.map(({ kind, label, hint }) => (
              <Switch
                key={kind}
                label={label}
                hint={hint}
                checked={draft.kinds[kind]}
                onChange={(on) => edit({ kinds: { ...draft.kinds, [kind]: on } })}
                error={fieldError(err, `kinds.${kind}`)}
              />
            ))}
          </fieldset>

          <fieldset className="email-levels" aria-describedby="email-levels-note">
            <legend>How much of each group</legend>
            <p className="small muted" id="email-levels-note">
              A group’s level decides which of the emails switched on above it sends you.
            </p>
            <dl className="email-level-words">
              {GROUP_EMAIL_LEVELS.map((level) => (
                <div key={level}>
                  <dt>{LEVELS[level].label}</dt>
                  <dd>{LEVELS[level].hint}</dd>
                </div>
              ))}
            </dl>
            <div className="email-default">
              <label htmlFor="email-default-level">Default for your groups</label>
              <select
                id="email-default-level"
                value={draft.defaultGroupLevel}
                onChange={(e) => edit({ defaultGroupLevel: e.target.value as GroupEmailLevel })}
                aria-invalid={fieldError(err, 'defaultGroupLevel') ? true : undefined}
                aria-describedby={`email-default-hint${fieldError(err, 'defaultGroupLevel') ? ' email-default-error' : ''}`}
              >
                {GROUP_EMAIL_LEVELS.map((level) => (
                  <option key={level} value={level}>
                    {LEVELS[level].label}
                  </option>
                ))}
              </select>
              <div className="hint" id="email-default-hint">
                Also applies to groups you join later.
              </div>
              {fieldError(err, 'defaultGroupLevel') && (
                <div className="error" id="email-default-error">
                  {fieldError(err, 'defaultGroupLevel')}
                </div>
              )}
            </div>
            {groups.length === 0 ? (
              <p className="empty">You are not in a group yet.</p>
            ) : (
              <ul className="email-groups" aria-label="Your groups">
                {groups.map((g) => (
                  <GroupLevel
                    key={g.id}
                    name={g.name}
                    own={draft.groups.find((x) => x.groupId === g.id)?.level ?? null}
                    defaultLevel={draft.defaultGroupLevel}
                    onChange={(level) => setOwnLevel(g.id, level)}
                    error={groupError(g.id)}
                  />
                ))}
              </ul>
            )}
            {fieldError(err, 'groups') && <div className="error">{fieldError(err, 'groups')}</div>}
          </fieldset>

          <fieldset>
            <legend>Daily digest</legend>
            <Switch
              label="One email a day for group activity"
              hint="New discussions, new polls and outcomes come together once a day instead of one by one. Mentions, replies and closing-soon reminders still come at once."
              checked={draft.digest}
              onChange={(on) => edit({ digest: on })}
              error={fieldError(err, 'digest')}
            />
          </fieldset>

          <FormError message={formError(err, [...fields, 'groups'])} />
          <div className="row email-save">
            <button type="submit" disabled={busy || !change}>
              {busy ? 'Saving…' : 'Save email preferences'}
            </button>
            {change && !busy && (
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  setDraft(saved);
                  setError(null);
                }}
              >
                Undo changes
              </button>
            )}
            <span role="status" className="small email-saved">
              {done ? 'Saved. Your email preferences are up to date.' : ''}
            </span>
            {change && !busy && !error && (
              <span className="small muted">You have unsaved changes.</span>
            )}
          </div>
        </form>
      )}
    </section>
  );
}
