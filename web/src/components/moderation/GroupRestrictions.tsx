import { useEffect } from 'react';
import type { GroupDto } from '../../../../shared/dto.js';
import type { RestrictionListItemDto } from '../../../../shared/moderation.js';
import { liftGroupRestriction, loadGroupRestrictions } from '../../data/moderation.js';
import { useLoad } from '../../lib/use-load.js';
import { showRestrictions } from '../../realtime/moderation.js';
import { useStore } from '../../store/index.js';
import { LoadGate } from '../Loading.js';
import { RestrictionRow } from './RestrictionRow.js';
import './moderation.css';

const NONE: RestrictionListItemDto[] = [];

/**
 * The mutes and bans in force in a group, for its moderators, with the way to
 * lift each early. It reloads whenever the review queue changes (a colleague's
 * mute or ban closes reports) and after one's own actions.
 */
export function GroupRestrictions({ group }: { group: GroupDto }) {
  const state = useLoad(`restrictions:${group.id}`, () => loadGroupRestrictions(group.id));
  const items = useStore((s) => s.groupRestrictions[group.id] ?? NONE);
  useEffect(() => showRestrictions(group.id), [group.id]);
  return (
    <section className="card restrictions" aria-labelledby="restrictions-title">
      <h2 id="restrictions-title">
        Mutes and bans in force{' '}
        {state.status === 'ready' && <span className="muted count">{items.length}</span>}
      </h2>
      <p className="small muted">
        A muted member can read but not take part; a banned person cannot rejoin. Each ends by
        itself at its time, or when lifted here.
      </p>
      <LoadGate state={state} what="mutes and bans" />
      {state.status === 'ready' &&
        (items.length === 0 ? (
          <p className="empty">Nobody is muted or banned in {group.name}.</p>
        ) : (
          <ul className="list" aria-label={`Mutes and bans in ${group.name}`}>
            {items.map((item) => (
              <RestrictionRow
                key={item.id}
                item={item}
                onLift={(reason) => liftGroupRestriction(group.id, item.id, reason)}
              />
            ))}
          </ul>
        ))}
    </section>
  );
}
