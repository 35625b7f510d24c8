import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import {
  Field,
  FormError,
  NewPasswordField,
  fieldError,
  formError,
} from '../../components/Form.js';
import { signUpThroughInvitation } from '../../data/session.js';
import { useAction } from '../../lib/use-action.js';

/**
 * Creating an account from an invitation link: no email field, because the
 * account takes the address the invitation was sent to, and accepting the
 * invitation confirms it. Goes to `next` once the account exists and is in.
 */
export function InvitationSignUp({ token, next }: { token: string; next: string }) {
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      await signUpThroughInvitation(token, { name, password });
      void navigate(next);
    });
  }

  return (
    <form
      onSubmit={(e) => void submit(e)}
      noValidate
      className="invitation-signup"
      aria-label="Create an account"
    >
      <h2>New to Quorum?</h2>
      <p className="small muted">
        Your account will use the address this invitation was sent to; accepting it confirms the
        address. Any name you like: pseudonyms are welcome.
      </p>
      <FormError message={formError(error, ['name', 'password'])} />
      <Field
        label="Name"
        type="text"
        autoComplete="name"
        required
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={fieldError(error, 'name')}
      />
      <NewPasswordField
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={fieldError(error, 'password')}
      />
      <button type="submit" disabled={busy}>
        {busy ? 'Creating…' : 'Create account and accept'}
      </button>
    </form>
  );
}
