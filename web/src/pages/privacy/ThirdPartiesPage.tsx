/**
 * `/third-parties`: who receives personal data besides this server, read
 * from the server's own configuration (P3), so the page cannot drift from
 * what is actually enabled.
 */
import { useState } from 'react';
import { Link } from 'react-router';
import type { ThirdPartyDto } from '../../../../shared/dto.js';
import { api } from '../../api/client.js';
import { LoadGate } from '../../components/Loading.js';
import { useLoad } from '../../lib/use-load.js';
import './privacy.css';

export function ThirdPartiesPage() {
  const [processors, setProcessors] = useState<ThirdPartyDto[]>([]);
  const state = useLoad('third-parties', async () =>
    setProcessors(
      (await api.get<{ processors: ThirdPartyDto[] }>('/privacy/third-parties')).processors,
    ),
  );
  return (
    <div className="policy-page">
      <div className="page-head">
        <div>
          <h1>Third parties</h1>
          <p className="muted">
            The services outside this server that receive personal data, as this server is
            configured right now.
          </p>
        </div>
        <Link to="/privacy">Privacy policy</Link>
      </div>
      <LoadGate state={state} what="the third parties" />
      {state.status === 'ready' && (
        <div className="stack">
          {processors.length === 0 ? (
            <section className="card" aria-labelledby="none-heading">
              <h2 id="none-heading">None</h2>
              <p>
                This server shares personal data with no third party: everything is stored in its
                own database, and email is not sent through any outside service.
              </p>
            </section>
          ) : (
            processors.map((p) => (
              <section key={p.id} className="card processor" aria-labelledby={`processor-${p.id}`}>
                <h2 id={`processor-${p.id}`}>{p.name}</h2>
                <dl>
                  <dt>What for</dt>
                  <dd>{p.purpose}</dd>
                  <dt>What it receives</dt>
                  <dd>{p.data}</dd>
                </dl>
              </section>
            ))
          )}
          <section className="card" aria-labelledby="never-heading">
            <h2 id="never-heading">Never</h2>
            <p>
              Quorum loads no script, font, image or tracker from another site, sets no cookie but
              the one that keeps you signed in, and shows no advertising.
            </p>
          </section>
        </div>
      )}
    </div>
  );
}
