import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../../api/client.js';
import {
  Field,
  FormError,
  NewPasswordField,
  fieldError,
  formError,
} from '../../components/Form.js';
import { confirmPasswordReset, confirmSignInLink } from '../../data/session.js';

/** Asks for an emailed link; says the same whether or not the address has an account. */
function RequestLink({ path, title, intro }: { path: string; title: string; intro: string }) {
  const [email, setEmail] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState(false);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      await api.post(path, { email });
      setSent(true);
    } catch (e) {
      setError(e);
    }
  }
  return (
    <div className="page-narrow card">
      <h1>{title}</h1>
      {sent ? (
        <p className="notice" role="status">
          If an account uses {email}, a link is on its way. It works once and expires soon.
        </p>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <p className="muted">{intro}</p>
          <FormError message={formError(error, ['email'])} />
          <Field
            label="Email"
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            error={fieldError(error, 'email')}
          />
          <button type="submit">Send the link</button>
        </form>
      )}
      <p className="small" style={{ marginTop: '1rem' }}>
        <Link to="/signin">Back to sign in</Link>
      </p>
    </div>
  );
}

export function SignInLink() {
  const [params] = useSearchParams();
  const token = params.get('token');
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  const started = useRef(false);
  useEffect(() => {
    if (!token || started.current) return;
    started.current = true;
    confirmSignInLink(token).then(() => navigate('/'), setError);
  }, [token, navigate]);
  if (!token)
    return (
      <RequestLink
        path="/auth/signin-link"
        title="Sign in with a link"
        intro="We will email you a link that signs you in, no password needed."
      />
    );
  return (
    <div className="page-narrow card">
      <h1>Signing you in…</h1>
      <FormError message={formError(error, [])} />
      {Boolean(error) && <Link to="/sign-in-link">Ask for a new link</Link>}
    </div>
  );
}

export function ResetPassword() {
  const [params] = useSearchParams();
  const token = params.get('token');
  const navigate = useNavigate();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  if (!token)
    return (
      <RequestLink
        path="/auth/password-reset"
        title="Reset your password"
        intro="We will email you a link to choose a new password."
      />
    );
  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      await confirmPasswordReset(token ?? '', password);
      void navigate('/');
    } catch (e) {
      setError(e);
    }
  }
  return (
    <div className="page-narrow card">
      <h1>Choose a new password</h1>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <FormError message={formError(error, ['newPassword'])} />
        <NewPasswordField
          label="New password"
          hint="This signs you out everywhere else."
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fieldError(error, 'newPassword')}
        />
        <button type="submit">Save and sign in</button>
      </form>
    </div>
  );
}

export function VerifyEmail() {
  const [params] = useSearchParams();
  const token = params.get('token');
  const [state, setState] = useState<unknown>('working');
  const started = useRef(false);
  useEffect(() => {
    if (!token || started.current) return;
    started.current = true;
    api.post('/auth/verify-email', { token }).then(() => setState('done'), setState);
  }, [token]);
  return (
    <div className="page-narrow card">
      <h1>Email address</h1>
      {state === 'working' ? (
        <p role="status">Confirming…</p>
      ) : state === 'done' ? (
        <p className="notice" role="status">
          Thank you: your email address is confirmed.
        </p>
      ) : (
        <FormError message={formError(state, [])} />
      )}
      <Link to="/">Go to Quorum</Link>
    </div>
  );
}
