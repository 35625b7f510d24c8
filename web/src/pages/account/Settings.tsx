import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { ROUTES } from '../../../../shared/routes.js';
import type { SelfDto } from '../../../../shared/dto.js';
import { ApiError } from '../../api/client.js';
import {
  Field,
  FormError,
  NewPasswordField,
  fieldError,
  formError,
} from '../../components/Form.js';
import { PartBoundary } from '../../components/PartBoundary.js';
import {
  changePassword,
  resendVerification,
  signOutEverywhere,
  updateProfile,
} from '../../data/account.js';
import { useStore } from '../../store/index.js';
import { EmailPreferences } from './EmailPreferences.js';
import { ProfilePhoto } from './ProfilePhoto.js';
import '../../components/group/group.css';
import { useAction } from '../../lib/use-action.js';

function Profile({ me }: { me: SelfDto }) {
  const [name, setName] = useState(me.name);
  const [handle, setHandle] = useState(me.handle ?? '');
  const { busy, error, run } = useAction();
  const [saved, setSaved] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    await run(async () => {
      await updateProfile({
        name,
        ...(handle !== '' && handle !== me.handle ? { handle } : {}),
      });
      setSaved(true);
    });
  }

  return (
    <section className="card" aria-labelledby="profile-title">
      <h2 id="profile-title">Profile</h2>
      <ProfilePhoto me={me} />
      <form onSubmit={(e) => void submit(e)} noValidate>
        <FormError message={formError(error, ['name', 'handle'])} />
        <Field
          label="Name"
          type="text"
          autoComplete="name"
          required
          maxLength={100}
          value={name}
          onChange={(e) => setName(e.target.value)}
          hint="How others see you in discussions."
          error={fieldError(error, 'name')}
        />
        <Field
          label="Handle"
          type="text"
          spellCheck={false}
          autoCapitalize="off"
          maxLength={30}
          value={handle}
          onChange={(e) => setHandle(e.target.value.toLowerCase())}
          hint="For @mentions: 2 to 30 lowercase letters, digits or underscores."
          error={fieldError(error, 'handle')}
        />
        <div className="row">
          <button type="submit" disabled={busy}>
            {busy ? 'Saving…' : 'Save profile'}
          </button>
          <span role="status" className="small ok-text">
            {saved ? 'Saved.' : ''}
          </span>
        </div>
      </form>
    </section>
  );
}

function Email({ me }: { me: SelfDto }) {
  const [state, setState] = useState<'idle' | 'busy' | 'sent'>('idle');
  const [error, setError] = useState<unknown>(null);
  async function resend() {
    setState('busy');
    setError(null);
    try {
      await resendVerification();
      setState('sent');
    } catch (e) {
      setError(e);
      setState('idle');
    }
  }
  return (
    <section className="card" aria-labelledby="email-title">
      <h2 id="email-title">Email</h2>
      <div className="status-line">
        <span>{me.email}</span>
        {me.emailVerified ? (
          <span className="pill brand">Verified</span>
        ) : (
          <span className="pill warn">Not verified</span>
        )}
      </div>
      {!me.emailVerified && (
        <>
          <p className="small muted" style={{ marginTop: '0.5rem' }}>
            Follow the link we emailed you to confirm this address. Nothing arrived?
          </p>
          <FormError
            message={
              error instanceof ApiError && error.id === 'conflict'
                ? 'This address is already verified. Reload to see it.'
                : formError(error, [])
            }
          />
          <div className="row">
            <button
              type="button"
              className="secondary"
              disabled={state !== 'idle'}
              onClick={() => void resend()}
            >
              {state === 'busy'
                ? 'Sending…'
                : state === 'sent'
                  ? 'Link sent'
                  : 'Send the link again'}
            </button>
            <span role="status" className="small ok-text">
              {state === 'sent' ? `Sent to ${me.email}. It may take a minute.` : ''}
            </span>
          </div>
        </>
      )}
    </section>
  );
}

function Password() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const { busy, error, run } = useAction();
  const [saved, setSaved] = useState(false);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    await run(async () => {
      await changePassword(current, next);
      setCurrent('');
      setNext('');
      setSaved(true);
    });
  }
  return (
    <section className="card" aria-labelledby="password-title">
      <h2 id="password-title">Password</h2>
      <p className="small muted">Changing it signs you out everywhere else.</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <FormError message={formError(error, ['currentPassword', 'newPassword'])} />
        <Field
          label="Current password"
          type="password"
          autoComplete="current-password"
          required
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          error={fieldError(error, 'currentPassword')}
        />
        <NewPasswordField
          label="New password"
          value={next}
          onChange={(e) => setNext(e.target.value)}
          error={fieldError(error, 'newPassword')}
        />
        <div className="row">
          <button type="submit" disabled={busy}>
            {busy ? 'Changing…' : 'Change password'}
          </button>
          <span role="status" className="small ok-text">
            {saved ? 'Password changed.' : ''}
          </span>
        </div>
      </form>
    </section>
  );
}

function Sessions() {
  const navigate = useNavigate();
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <section className="card" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Sessions</h2>
      <p className="small muted">
        Lost a device, or signed in on a shared computer? Sign out everywhere, this browser
        included.
      </p>
      <FormError message={formError(error, [])} />
      {asking ? (
        <div className="confirm" role="group" aria-label="Sign out everywhere?">
          <span className="confirm-question">Sign out on every device?</span>
          <button
            type="button"
            className="danger small"
            onClick={() =>
              void signOutEverywhere().then(
                () => navigate('/signin'),
                (e: unknown) => setError(e),
              )
            }
          >
            Yes, sign out everywhere
          </button>
          <button type="button" className="secondary small" onClick={() => setAsking(false)}>
            Cancel
          </button>
        </div>
      ) : (
        <button type="button" className="danger" onClick={() => setAsking(true)}>
          Sign out everywhere
        </button>
      )}
    </section>
  );
}

/** One's own account: profile and photo, email verification, password and sessions. */
export function Settings() {
  const me = useStore((s) => s.me);
  if (!me) return null;
  return (
    <div className="settings-page">
      <div className="page-head">
        <h1>Settings</h1>
      </div>
      <PartBoundary what="profile">
        <Profile me={me} />
      </PartBoundary>
      <PartBoundary what="email address">
        <Email me={me} />
      </PartBoundary>
      <PartBoundary what="email preferences">
        <EmailPreferences />
      </PartBoundary>
      <PartBoundary what="password">
        <Password />
      </PartBoundary>
      <PartBoundary what="sessions">
        <Sessions />
      </PartBoundary>
      <section className="card" aria-labelledby="moderation-title">
        <h2 id="moderation-title">Reports and moderation</h2>
        <p className="small muted">
          The reports you made and whether they were handled, and what moderators told you about
          your content or account.
        </p>
        <Link to={ROUTES.myModeration}>Your reports and notices</Link>
      </section>
    </div>
  );
}
