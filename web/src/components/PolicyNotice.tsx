/**
 * The notice that the privacy policy changed (P16): shown to a signed-in
 * person whose account predates the new version, until they dismiss it.
 * Whether it is due comes from the server; the client only asks and tells.
 */
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { PolicyNoticeDto } from '../../../shared/dto.js';
import { api } from '../api/client.js';
import { useStore } from '../store/index.js';
import '../pages/privacy/privacy.css';

export function PolicyNotice() {
  const meId = useStore((s) => s.me?.id ?? null);
  const [due, setDue] = useState<string | null>(null);

  useEffect(() => {
    setDue(null);
    if (meId === null) return;
    let current = true;
    api.get<PolicyNoticeDto>('/privacy/policy/notice').then(
      (notice) => current && setDue(notice.noticeDue ? notice.version : null),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [meId]);

  if (due === null) return null;
  const dismiss = () => {
    setDue(null);
    void api.post('/privacy/policy/seen').catch(() => undefined);
  };
  return (
    <aside className="notice policy-notice" aria-label="Privacy policy update">
      <p>
        Our privacy policy has changed (version {due}).{' '}
        <Link to="/privacy">Read the new policy</Link>
      </p>
      <button className="secondary small" onClick={dismiss}>
        Dismiss
      </button>
    </aside>
  );
}
