import { Link } from 'react-router';
import type { GroupDto } from '../../../shared/dto.js';
import { useStore } from '../store/index.js';
import { groupPath } from '../lib/paths.js';

const PRIVACY_LABEL = { open: 'Open', closed: 'Closed', secret: 'Secret' } as const;

export function GroupList({ ids, empty }: { ids: string[]; empty: string }) {
  const groups = useStore((s) => s.groups);
  const shown = ids.map((id) => groups[id]).filter((g): g is GroupDto => g !== undefined);
  if (shown.length === 0) return <p className="empty">{empty}</p>;
  return (
    <ul className="list">
      {shown.map((g) => (
        <li key={g.id} className="group-card">
          <span className="group-mark" aria-hidden="true">
            {g.name.slice(0, 1).toUpperCase()}
          </span>
          <div style={{ minWidth: 0 }}>
            <Link to={groupPath(g)} className="discussion-title">
              {g.name}
            </Link>
            <div className="muted small">
              {PRIVACY_LABEL[g.privacy]} group · {g.memberCount}{' '}
              {g.memberCount === 1 ? 'member' : 'members'}
              {g.role === 'coordinator' && ' · you coordinate'}
              {g.parent && <> · in {g.parent.name}</>}
            </div>
          </div>
        </li>
      ))}
    </ul>
  );
}
