import { useState } from 'react';
import type { RestrictionListItemDto } from '../../../../shared/moderation.js';
import { LoadGate } from '../../components/Loading.js';
import { RestrictionRow } from '../../components/moderation/RestrictionRow.js';
import { liftSuspension, loadSuspensions } from '../../data/moderation.js';
import { useLoad } from '../../lib/use-load.js';

/**
 * The suspensions in force across the site, newest first, each with the way
 * to lift it early (the person is told, with the reason). `version` changes
 * when the page suspends someone, so the list loads again.
 */
export function Suspensions({ version }: { version: number }) {
  const [items, setItems] = useState<RestrictionListItemDto[]>([]);
  const state = useLoad(`suspensions:${version}`, async () => setItems(await loadSuspensions()));
  return (
    <section
      id="suspensions"
      className="card restrictions"
      aria-labelledby="suspensions-title"
      data-testid="suspensions"
    >
      <h2 id="suspensions-title">
        Suspensions in force{' '}
        {state.status === 'ready' && <span className="muted count">{items.length}</span>}
      </h2>
      <p className="small muted">
        A suspended account can sign in and read, but not write anywhere on the site. A suspension
        ends by itself at its time, or when lifted here.
      </p>
      <LoadGate state={state} what="suspensions" />
      {state.status === 'ready' &&
        (items.length === 0 ? (
          <p className="empty">Nobody is suspended.</p>
        ) : (
          <ul className="list" aria-label="Suspended accounts">
            {items.map((item) => (
              <RestrictionRow
                key={item.id}
                item={item}
                onLift={async (reason) => {
                  await liftSuspension(item.person.id, reason);
                  setItems(await loadSuspensions());
                }}
              />
            ))}
          </ul>
        ))}
    </section>
  );
}
