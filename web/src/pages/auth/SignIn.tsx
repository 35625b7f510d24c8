import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Field, FormError, fieldError, formError } from '../../components/Form.js';
import { ApiError } from '../../api/client.js';
import { reactivateAccount } from '../../data/personal-data.js';
import { signIn } from '../../data/session.js';
import { useAction } from '../../lib/use-action.js';

/** Where to go after signing in: only a path of this site, never another origin. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function SignIn() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();

  const deactivated = error instanceof ApiError && error.id === 'account_deactivated';

  async function submit(event: FormEvent, reactivate = false) {
    event.preventDefault();
    await run(async () => {
      await (reactivate ? reactivateAccount(email, password) : signIn(email, password));
      void navigate(safeNext(params.get('next')));
    });
  }

  return (
    <div className="page-narrow">
      <div className="card">
        <h1>Sign in</h1>
        <p className="muted">Welcome back. Your groups are waiting.</p>
        {params.get('deactivated') === '1' && !deactivated && (
          <p className="notice" role="status">
            Your account is deactivated and you are signed out everywhere. Sign in here whenever you
            want it back.
          </p>
        )}
        <form onSubmit={(e) => void submit(e)} noValidate>
          {deactivated ? (
            <div className="notice" role="alert">
              <p style={{ marginTop: 0 }}>
                This account is deactivated. Reactivate it to sign in: your name returns to what you
                posted and your memberships resume.
              </p>
              <button type="button" disabled={busy} onClick={(e) => void submit(e, true)}>
                {busy ? 'Reactivating…' : 'Reactivate my account'}
              </button>
            </div>
          ) : (
            <FormError message={formError(error, ['email', 'password'])} />
          )}
          <Field
            label="Email"
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            error={fieldError(error, 'email')}
          />
          <Field
            label="Password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={fieldError(error, 'password')}
          />
          <button type="submit" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <p className="small" style={{ marginTop: '1rem' }}>
          <Link to="/sign-in-link">Email me a sign-in link</Link> ·{' '}
          <Link to="/reset-password">Forgot your password?</Link>
        </p>
        <p className="small muted">
          New here? <Link to="/signup">Create an account</Link>
        </p>
      </div>
    </div>
  );
}
