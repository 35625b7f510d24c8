import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import {
  Field,
  FormError,
  NewPasswordField,
  fieldError,
  formError,
} from '../../components/Form.js';
import { signUp } from '../../data/session.js';
import { safeNext } from './SignIn.js';
import { useAction } from '../../lib/use-action.js';

export function SignUp() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      await signUp({ name, email, password });
      void navigate(safeNext(params.get('next')));
    });
  }

  return (
    <div className="page-narrow">
      <div className="card">
        <h1>Create your account</h1>
        <p className="muted">
          Any name you like: pseudonyms are welcome. Your email is only shown to coordinators of
          your groups.
        </p>
        <form onSubmit={(e) => void submit(e)} noValidate>
          <FormError message={formError(error, ['name', 'email', 'password'])} />
          <Field
            label="Name"
            autoComplete="name"
            required
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={fieldError(error, 'name')}
          />
          <Field
            label="Email"
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            error={fieldError(error, 'email')}
          />
          <NewPasswordField
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={fieldError(error, 'password')}
          />
          <button type="submit" disabled={busy}>
            {busy ? 'Creating…' : 'Create account'}
          </button>
        </form>
        <p className="small muted" style={{ marginTop: '1rem' }}>
          Already have an account? <Link to="/signin">Sign in</Link>
        </p>
      </div>
    </div>
  );
}
