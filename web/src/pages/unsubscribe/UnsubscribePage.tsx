import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { UnsubscribeDto } from '../../../../shared/email.js';
import { ApiError } from '../../api/client.js';
import { FormError, formError } from '../../components/Form.js';
import { previewUnsubscribe, unsubscribe } from '../../data/email-preferences.js';
import { useLoad } from '../../lib/use-load.js';
import { useStore } from '../../store/index.js';
import './unsubscribe.css';
import { useAction } from '../../lib/use-action.js';

const SETTINGS = '/settings#email-notifications';

/** A forged, damaged or void link (its account deleted): the server's `invalid_token`, or a malformed token. */
function isInvalidLink(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    (error.id === 'invalid_token' || (error.id === 'validation_error' && error.field === 'token'))
  );
}

/** Where to choose every other kind of email: the settings, through sign-in for visitors. */
function SettingsLink() {
  const signedIn = useStore((s) => s.sessionStatus === 'signed_in');
  if (signedIn)
    return (
      <p className="small">
        <Link to={SETTINGS}>Choose which emails you get</Link> in your settings.
      </p>
    );
  return (
    <p className="small muted">
      To choose which emails you get,{' '}
      <Link to={`/signin?next=${encodeURIComponent('/settings')}`}>sign in</Link> and open your
      settings.
    </p>
  );
}

function InvalidLink() {
  return (
    <div className="page-narrow unsubscribe">
      <div className="card">
        <div className="unsubscribe-mark warn" aria-hidden="true">
          !
        </div>
        <h1>This unsubscribe link does not work</h1>
        <p>
          It is invalid or has expired: it may have been cut short when it was copied, or the
          account it was for no longer exists.
        </p>
        <p className="muted small">
          Check that you opened the whole link from the email. Your email preferences have not been
          changed.
        </p>
        <SettingsLink />
      </div>
    </div>
  );
}

/**
 * The page an email's unsubscribe link opens (`/unsubscribe/:token`), signed
 * in or not: the signed token is the credential. It says what the link stops,
 * stops it with one click, and confirms.
 */
export function UnsubscribePage() {
  const { token = '' } = useParams();
  const [info, setInfo] = useState<UnsubscribeDto | null>(null);
  const [stoppedHere, setStoppedHere] = useState(false);
  const { busy, error, run } = useAction();
  const heading = useRef<HTMLHeadingElement>(null);
  const state = useLoad(token, async () => setInfo(await previewUnsubscribe(token)));

  // Once stopped, the button is gone: keyboard and screen reader users land on the confirmation.
  useEffect(() => {
    if (stoppedHere) heading.current?.focus();
  }, [stoppedHere]);

  if (state.status === 'loading')
    return (
      <p className="page-narrow muted" role="status">
        Opening your link…
      </p>
    );
  if (state.status === 'error') {
    if (isInvalidLink(state.error)) return <InvalidLink />;
    return (
      <div className="page-narrow">
        <FormError message={formError(state.error, [])} />
        <button type="button" className="secondary" onClick={state.reload}>
          Try again
        </button>
      </div>
    );
  }
  if (!info) return null;
  if (isInvalidLink(error)) return <InvalidLink />;

  async function stop() {
    await run(async () => {
      setInfo(await unsubscribe(token));
      setStoppedHere(true);
    });
  }

  return (
    <div className="page-narrow unsubscribe">
      <div className="card">
        <div className="unsubscribe-mark" aria-hidden="true">
          {info.subscribed ? '✉' : '✓'}
        </div>
        {info.subscribed ? (
          <>
            <h1>Unsubscribe from these emails?</h1>
            <p className="unsubscribe-what">
              You will no longer get <strong>{info.description}</strong>.
            </p>
            <p className="muted small">
              Every other email from Quorum keeps coming as before. You can turn this back on at any
              time in your settings.
            </p>
            <FormError message={formError(error, [])} />
            <button type="button" disabled={busy} onClick={() => void stop()}>
              {busy ? 'Unsubscribing…' : 'Unsubscribe'}
            </button>
          </>
        ) : (
          <>
            <h1 ref={heading} tabIndex={-1}>
              {stoppedHere ? 'You are unsubscribed' : 'You are already unsubscribed'}
            </h1>
            <p className="unsubscribe-what">
              You will no longer get <strong>{info.description}</strong>.
            </p>
            <p className="muted small">Every other email from Quorum keeps coming as before.</p>
          </>
        )}
        <p role="status" className="visually-hidden">
          {stoppedHere ? `Unsubscribed: you will no longer get ${info.description}.` : ''}
        </p>
        <hr />
        <SettingsLink />
      </div>
    </div>
  );
}
