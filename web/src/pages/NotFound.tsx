import { Link, useLocation } from 'react-router';
import { useStore } from '../store/index.js';

/**
 * Also what a private record looks like to someone who may not see it: it
 * does not exist for them. Signed out, it offers to sign in and come back
 * (a member following a link, or a projector of a closed group's meeting).
 */
export function NotFound() {
  const signedOut = useStore((s) => s.sessionStatus === 'signed_out');
  const { pathname, search } = useLocation();
  return (
    <div className="page-narrow card" style={{ textAlign: 'center' }}>
      <h1>Not found</h1>
      <p className="muted">This page does not exist, or you do not have access to it.</p>
      {signedOut && (
        <p>
          <Link to={`/signin?next=${encodeURIComponent(pathname + search)}`}>
            Sign in to see it
          </Link>{' '}
          if it belongs to one of your groups.
        </p>
      )}
      <Link to="/">Back to Quorum</Link>
    </div>
  );
}
