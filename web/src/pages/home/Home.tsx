import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { DiscussionList } from '../../components/DiscussionList.js';
import { GroupList } from '../../components/GroupList.js';
import { LoadGate } from '../../components/Loading.js';
import { MeetingBanner } from '../../components/meeting/MeetingBanner.js';
import { loadGroups, loadInbox } from '../../data/inbox.js';
import { useLoad } from '../../lib/use-load.js';
import { followGroupEvents, INBOX_LIST } from '../../realtime/groups.js';
import { useStore } from '../../store/index.js';

const NO_IDS: string[] = [];

function Inbox() {
  const [groups, setGroups] = useState<string[]>([]);
  // The inbox list lives in the store, so discussions new to it arrive live.
  const inbox = useStore((s) => s.discussionLists[INBOX_LIST] ?? NO_IDS);
  useEffect(() => void followGroupEvents(), []);
  const state = useLoad('inbox', async () => {
    const [i, g] = await Promise.all([loadInbox(), loadGroups()]);
    useStore.getState().setDiscussionList(INBOX_LIST, i);
    setGroups(g);
  });
  return (
    <>
      <MeetingBanner />
      <div className="grid-2">
        <section className="card" aria-labelledby="inbox-title">
          <h1 id="inbox-title">Inbox</h1>
          <LoadGate state={state} what="your inbox" />
          {state.status === 'ready' && (
            <DiscussionList
              ids={inbox}
              showGroup
              empty="Nothing here yet. Discussions in your groups will appear here."
            />
          )}
        </section>
        <section className="card" aria-labelledby="groups-title">
          <div className="page-head" style={{ marginBottom: '0.5rem' }}>
            <h2 id="groups-title">Your groups</h2>
            <Link to="/groups/new" className="button small">
              New group
            </Link>
          </div>
          {state.status === 'ready' && (
            <GroupList
              ids={groups}
              empty="You are not in a group yet. Start one, or explore open groups."
            />
          )}
          <p className="small" style={{ marginTop: '0.75rem' }}>
            <Link to="/groups">Explore open groups</Link>
          </p>
        </section>
      </div>
    </>
  );
}

function Welcome() {
  const [groups, setGroups] = useState<string[]>([]);
  const state = useLoad('public-groups', async () => setGroups(await loadGroups(true)));
  return (
    <>
      <section className="hero">
        <h1>Discuss and decide together, live.</h1>
        <p>
          Quorum is where groups talk things through and make decisions: threaded discussions,
          proposals and polls, results that move as people vote, on a server you can run yourself.
        </p>
        <div className="row">
          <Link to="/signup" className="button">
            Create an account
          </Link>
          <Link to="/signin" className="button secondary">
            Sign in
          </Link>
        </div>
      </section>
      <section className="card" aria-labelledby="open-groups">
        <h2 id="open-groups">Open groups</h2>
        <LoadGate state={state} what="open groups" />
        {state.status === 'ready' && <GroupList ids={groups} empty="No open groups yet." />}
      </section>
    </>
  );
}

export function Home() {
  const status = useStore((s) => s.sessionStatus);
  if (status === 'unknown') return null;
  return status === 'signed_in' ? <Inbox /> : <Welcome />;
}
