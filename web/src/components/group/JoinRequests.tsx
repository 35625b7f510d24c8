import { useState } from 'react';
import type { GroupDetailDto, JoinRequestDto } from '../../../../shared/dto.js';
import { messageOf } from '../../api/client.js';
import { decideJoinRequest, loadJoinRequests } from '../../data/groups.js';
import { useLoad } from '../../lib/use-load.js';
import { Avatar, displayName } from '../Avatar.js';
import { FormError } from '../Form.js';
import { LoadGate } from '../Loading.js';
import { RelativeTime } from '../RelativeTime.js';
import './group.css';

function RequestRow({
  group,
  request,
  onDecided,
}: {
  group: GroupDetailDto;
  request: JoinRequestDto;
  onDecided: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const name = displayName(request.requester);
  function decide(decision: 'approve' | 'decline') {
    setBusy(true);
    setError(undefined);
    decideJoinRequest(group.id, request.id, decision).then(onDecided, (e: unknown) => {
      setError(messageOf(e));
      setBusy(false);
    });
  }
  return (
    <li className="request-row">
      <div className="row request-who">
        <Avatar user={request.requester} size={32} />
        <div className="member-who">
          <div className="member-name">{name}</div>
          {'email' in request.requester && (
            <div className="small muted">{request.requester.email}</div>
          )}
          <div className="small muted">
            asked <RelativeTime iso={request.createdAt} />
          </div>
        </div>
      </div>
      {request.introduction && (
        <blockquote className="introduction">{request.introduction}</blockquote>
      )}
      <div className="row">
        <button
          type="button"
          className="small"
          disabled={busy}
          aria-label={`Approve ${name}`}
          onClick={() => decide('approve')}
        >
          Approve
        </button>
        <button
          type="button"
          className="secondary small"
          disabled={busy}
          aria-label={`Decline ${name}`}
          onClick={() => decide('decline')}
        >
          Decline
        </button>
      </div>
      <FormError message={error} />
    </li>
  );
}

/** Requests to join waiting for a coordinator's decision. */
export function JoinRequests({ group }: { group: GroupDetailDto }) {
  const [items, setItems] = useState<JoinRequestDto[]>([]);
  const state = useLoad(group.id, async () => setItems(await loadJoinRequests(group.id)));
  if (state.status === 'ready' && items.length === 0 && group.membershipPolicy !== 'request')
    return null;
  return (
    <section className="card" aria-labelledby="join-requests-title">
      <h2 id="join-requests-title">Requests to join</h2>
      <LoadGate state={state} what="requests to join" />
      {state.status === 'ready' &&
        (items.length === 0 ? (
          <p className="small muted">No one is waiting.</p>
        ) : (
          <ul className="list">
            {items.map((r) => (
              <RequestRow
                key={r.id}
                group={group}
                request={r}
                onDecided={() => setItems((held) => held.filter((x) => x.id !== r.id))}
              />
            ))}
          </ul>
        ))}
    </section>
  );
}
