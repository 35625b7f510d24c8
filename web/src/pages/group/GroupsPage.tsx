import { useState } from 'react';
import { Link } from 'react-router';
import { GroupList } from '../../components/GroupList.js';
import { LoadGate } from '../../components/Loading.js';
import { loadGroups } from '../../data/inbox.js';
import { useLoad } from '../../lib/use-load.js';
import { useStore } from '../../store/index.js';
import '../../components/group/group.css';

/** One's own groups (signed in) and the open groups anyone may discover. */
export function GroupsPage() {
  const status = useStore((s) => s.sessionStatus);
  const signedIn = status === 'signed_in';
  const [mine, setMine] = useState<string[]>([]);
  const [open, setOpen] = useState<string[]>([]);
  const mineState = useLoad(signedIn ? 'my-groups' : null, async () => setMine(await loadGroups()));
  const openState = useLoad(status === 'unknown' ? null : 'open-groups', async () =>
    setOpen(await loadGroups(true)),
  );
  // Open groups one already belongs to are listed once, under one's own.
  const discover = open.filter((id) => !mine.includes(id));
  if (status === 'unknown') return null;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Groups</h1>
          <p className="muted" style={{ margin: 0 }}>
            {signedIn
              ? 'Your groups, and open groups you can join or read.'
              : 'Open groups anyone can read. Sign in to join one or start your own.'}
          </p>
        </div>
        {signedIn ? (
          <Link to="/groups/new" className="button">
            New group
          </Link>
        ) : (
          <Link to="/signin?next=%2Fgroups%2Fnew" className="button">
            Sign in to start a group
          </Link>
        )}
      </div>
      <div className={signedIn ? 'grid-2' : undefined}>
        {signedIn && (
          <section className="card" aria-labelledby="my-groups-title">
            <h2 id="my-groups-title">Your groups</h2>
            <LoadGate state={mineState} what="your groups" />
            {mineState.status === 'ready' && (
              <GroupList
                ids={mine}
                empty="You are not in a group yet. Start one, or join an open group."
              />
            )}
          </section>
        )}
        <section className="card" aria-labelledby="open-groups-title">
          <h2 id="open-groups-title">{signedIn ? 'Discover open groups' : 'Open groups'}</h2>
          <LoadGate state={openState} what="open groups" />
          {openState.status === 'ready' && (
            <GroupList
              ids={discover}
              empty={signedIn ? 'No other open groups right now.' : 'No open groups yet.'}
            />
          )}
        </section>
      </div>
    </>
  );
}
