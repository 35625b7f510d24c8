/** `/privacy`: the privacy policy this server publishes, at its configured version (P16). */
import { useState } from 'react';
import { Link } from 'react-router';
import type { PrivacyPolicyDto } from '../../../../shared/dto.js';
import { api } from '../../api/client.js';
import { LoadGate } from '../../components/Loading.js';
import { useLoad } from '../../lib/use-load.js';
import { Markdown } from '../../components/Markdown.js';
import './privacy.css';

export function PrivacyPolicyPage() {
  const [policy, setPolicy] = useState<PrivacyPolicyDto | null>(null);
  const state = useLoad('policy', async () =>
    setPolicy(await api.get<PrivacyPolicyDto>('/privacy/policy')),
  );
  return (
    <div className="policy-page">
      <div className="page-head">
        <div>
          <h1>Privacy policy</h1>
          {policy && <p className="muted small">Version {policy.version}</p>}
        </div>
        <Link to="/third-parties">Third parties</Link>
      </div>
      <LoadGate state={state} what="the privacy policy" />
      {state.status === 'ready' && policy && (
        <article className="card policy-text">
          <Markdown source={policy.markdown} />
        </article>
      )}
    </div>
  );
}
