import { Link } from 'react-router';

/** Also what a private record looks like to someone who may not see it: it does not exist for them. */
export function NotFound() {
  return (
    <div className="page-narrow card" style={{ textAlign: 'center' }}>
      <h1>Not found</h1>
      <p className="muted">This page does not exist, or you do not have access to it.</p>
      <Link to="/">Back to Quorum</Link>
    </div>
  );
}
