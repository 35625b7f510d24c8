import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { Field, FormError, fieldError, formError } from '../../components/Form.js';
import { deactivateAccount, deleteAccount, EXPORT_URL } from '../../data/personal-data.js';
import { useStore } from '../../store/index.js';
import './privacy-data.css';
import { useAction } from '../../lib/use-action.js';

/** What Quorum keeps about a person, in the words of the export's sections. */
const HELD: { title: string; detail: string }[] = [
  {
    title: 'Your profile',
    detail:
      'name, handle, email address, when you last signed in and from which network (the address is masked: its last part is removed).',
  },
  {
    title: 'Your photo',
    detail:
      'the picture alone, in three small square sizes, stored in Quorum’s own database and shown from Quorum’s own address. What a photo file says about itself (the camera, the date, the place it was taken, comments) is removed before it is stored; the export holds the photo as Quorum keeps it.',
  },
  {
    title: 'Your groups',
    detail:
      'the groups you belong to, your role in each, and the discussions you were invited to as a guest.',
  },
  {
    title: 'What you wrote',
    detail: 'discussions, comments with every earlier version, polls and outcomes you started.',
  },
  {
    title: 'Your votes',
    detail:
      'every vote and reason, anonymous ones included. Only you see who cast an anonymous vote, here and nowhere else.',
  },
  {
    title: 'Your activity',
    detail:
      'reactions, notifications, how far you have read each discussion, invitations you sent and requests to join.',
  },
  {
    title: 'Your settings and history',
    detail:
      'email preferences, and the log of what was done to your account (deactivation, reactivation, any action of the Data Protection Officer).',
  },
];

function DeactivateForm() {
  const navigate = useNavigate();
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      await deactivateAccount(password);
      void navigate('/signin?deactivated=1', { replace: true });
    });
  }

  return (
    <section className="danger-action" aria-labelledby="deactivate-title">
      <h3 id="deactivate-title">Deactivate your account</h3>
      <ul className="consequences">
        <li>
          Your name, handle and photo disappear from everything you posted; others see “Deactivated
          account”.
        </li>
        <li>You are signed out everywhere at once, and Quorum sends you no more email.</li>
        <li>Your memberships are paused: you no longer count as a member of your groups.</li>
        <li>
          You can come back: sign in again with your password and confirm, and everything is
          restored.
        </li>
      </ul>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <FormError message={formError(error, ['password'])} />
        <Field
          label="Your password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fieldError(error, 'password')}
        />
        <button type="submit" className="danger" disabled={busy}>
          {busy ? 'Deactivating…' : 'Deactivate my account'}
        </button>
      </form>
    </section>
  );
}

function DeleteForm() {
  const navigate = useNavigate();
  const [confirm, setConfirm] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      await deleteAccount(password, confirm);
      void navigate('/', { replace: true });
    });
  }

  return (
    <section className="danger-action" aria-labelledby="delete-title">
      <h3 id="delete-title">Delete your account</h3>
      <ul className="consequences">
        <li>
          Your profile is erased for good: name, handle, email address, photo, password and sign-in
          records.
        </li>
        <li>Your notifications, preferences and memberships are removed. This cannot be undone.</li>
        <li>
          What you wrote stays in its discussions, shown as “Deleted account”. Removing it is for
          the Data Protection Officer to decide; ask them if you want it gone.
        </li>
        <li>Download your data first if you want to keep a copy.</li>
      </ul>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <FormError message={formError(error, ['password', 'confirm'])} />
        <Field
          label="Type DELETE to confirm"
          type="text"
          autoComplete="off"
          spellCheck={false}
          required
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
          error={fieldError(error, 'confirm')}
        />
        <Field
          label="Your password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fieldError(error, 'password')}
        />
        <button
          type="submit"
          className="danger danger-strong"
          disabled={busy || confirm !== 'DELETE'}
        >
          {busy ? 'Deleting…' : 'Delete my account for good'}
        </button>
      </form>
    </section>
  );
}

/** `/personal-data`: what Quorum holds about you, a download of all of it, and the end of the account (P2, P8, P9). */
export function PersonalDataPage() {
  const me = useStore((s) => s.me);
  return (
    <div className="personal-data">
      <div className="page-head">
        <h1>Your personal data</h1>
      </div>
      <p className="muted lead">
        Everything Quorum keeps about you, and what you can do with it. Members of your groups see
        your name, handle and photo; only their coordinators see your email address.{' '}
        <Link to="/privacy">Read the privacy policy</Link>.
      </p>

      <section className="card" aria-labelledby="held-title">
        <h2 id="held-title">What Quorum holds about you</h2>
        <dl className="held">
          {HELD.map((item) => (
            <div key={item.title}>
              <dt>{item.title}</dt>
              <dd>{item.detail}</dd>
            </div>
          ))}
        </dl>
        <div className="download row">
          <a className="button" href={EXPORT_URL} download>
            Download my data
          </a>
          <span className="small muted">
            One JSON file{me ? ` for ${me.email}` : ''}. Others appear in it by name only.
          </span>
        </div>
      </section>

      <section className="card danger-zone" aria-labelledby="danger-title">
        <h2 id="danger-title">Danger zone</h2>
        <p className="small muted">
          Both steps ask for your password, and both are recorded in your account’s log.
        </p>
        <div className="danger-actions">
          <DeactivateForm />
          <DeleteForm />
        </div>
      </section>
    </div>
  );
}
