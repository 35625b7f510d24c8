import { useEffect, useState } from 'react';
import { Link, NavLink, Route, Routes, useParams } from 'react-router';
import type { GroupDetailDto, GroupDto } from '../../../../shared/dto.js';
import { AuditLog } from '../../components/group/AuditLog.js';
import { GroupDiscussions } from '../../components/group/GroupDiscussions.js';
import { GroupHeader } from '../../components/group/GroupHeader.js';
import { GroupSettingsForm } from '../../components/group/GroupSettingsForm.js';
import { Invitations } from '../../components/group/Invitations.js';
import { JoinLinks } from '../../components/group/JoinLinks.js';
import { JoinRequests } from '../../components/group/JoinRequests.js';
import { GroupMeetings } from '../../components/meeting/GroupMeetings.js';
import { MeetingBanner } from '../../components/meeting/MeetingBanner.js';
import { MemberList } from '../../components/group/MemberList.js';
import { SupportAccess } from '../../components/group/SupportAccess.js';
import { GroupRestrictions } from '../../components/moderation/GroupRestrictions.js';
import { ModerationSettings } from '../../components/moderation/ModerationSettings.js';
import { ReviewQueue } from '../../components/moderation/ReviewQueue.js';
import { ReviewTabLink } from '../../components/moderation/ReviewTabLink.js';
import { LoadGate } from '../../components/Loading.js';
import { PartBoundary } from '../../components/PartBoundary.js';
import { loadGroup } from '../../data/groups.js';
import { useLoad } from '../../lib/use-load.js';
import { watchGroup } from '../../realtime/groups.js';
import { useStore } from '../../store/index.js';
import { NotFound } from '../NotFound.js';
import '../../components/group/group.css';
import { groupPath } from '../../lib/paths.js';

/** The page loads a detail record; a list's plain record may replace it in the store meanwhile. */
function asDetail(g: GroupDto | GroupDetailDto): GroupDetailDto {
  return 'subgroups' in g ? g : { subgroups: [], joinRequest: null, ...g };
}

function Subgroups({ group }: { group: GroupDetailDto }) {
  if (group.subgroups.length === 0 && !group.abilities.canCreateSubgroup) return null;
  return (
    <section className="card" aria-labelledby="subgroups-title">
      <h2 id="subgroups-title">Subgroups</h2>
      {group.subgroups.length === 0 ? (
        <p className="small muted">No subgroups yet.</p>
      ) : (
        <ul className="list subgroup-list">
          {group.subgroups.map((s) => (
            <li key={s.id}>
              <Link to={groupPath(s)}>{s.name}</Link>{' '}
              <span className="small muted">
                {s.privacy === 'open' ? 'open' : s.privacy === 'closed' ? 'closed' : 'secret'}
              </span>
            </li>
          ))}
        </ul>
      )}
      {group.abilities.canCreateSubgroup && (
        <Link to={`/groups/new?parent=${group.id}`} className="button secondary small subgroup-new">
          New subgroup
        </Link>
      )}
    </section>
  );
}

function DiscussionsTab({ group }: { group: GroupDetailDto }) {
  return (
    <div className="grid-2">
      <PartBoundary what="discussion list">
        <GroupDiscussions group={group} />
      </PartBoundary>
      <aside>
        <PartBoundary what="subgroups">
          <Subgroups group={group} />
        </PartBoundary>
        {group.subgroups.length === 0 && !group.abilities.canCreateSubgroup && (
          <section className="card about-card">
            <h2>About</h2>
            <p className="small muted">
              {group.privacy === 'open'
                ? 'An open group: anyone can read its discussions.'
                : group.privacy === 'closed'
                  ? 'A closed group: only members read its discussions.'
                  : 'A secret group: only members know it exists.'}
            </p>
          </section>
        )}
      </aside>
    </div>
  );
}

function MembersTab({ group }: { group: GroupDetailDto }) {
  if (!group.abilities.canSeeMembers)
    return (
      <section className="card">
        <p className="empty">Only members can see who belongs to this group.</p>
      </section>
    );
  const aside = group.abilities.canAddMembers || group.abilities.canManage;
  return (
    <div className={aside ? 'grid-2' : undefined}>
      <PartBoundary what="member list">
        <MemberList group={group} />
      </PartBoundary>
      {aside && (
        <aside>
          <PartBoundary what="join requests">
            {group.abilities.canManage && <JoinRequests group={group} />}
          </PartBoundary>
          <PartBoundary what="invitations">
            {group.abilities.canAddMembers && <Invitations group={group} />}
          </PartBoundary>
        </aside>
      )}
    </div>
  );
}

function SettingsTab({ group }: { group: GroupDetailDto }) {
  if (!group.abilities.canManage)
    return (
      <section className="card">
        <p className="empty">Only the group&apos;s coordinators can change its settings.</p>
      </section>
    );
  return (
    <>
      <PartBoundary what="group settings">
        <GroupSettingsForm key={group.id} group={group} />
      </PartBoundary>
      <PartBoundary what="moderation settings">
        <ModerationSettings key={`moderation:${group.id}`} group={group} />
      </PartBoundary>
      <PartBoundary what="join links">
        <JoinLinks key={`join-links:${group.id}`} group={group} />
      </PartBoundary>
      <PartBoundary what="support access">
        <SupportAccess key={`support:${group.id}`} group={group} />
      </PartBoundary>
      <PartBoundary what="audit log">
        <AuditLog key={`audit:${group.id}`} group={group} />
      </PartBoundary>
    </>
  );
}

/** For the group's moderators: the live review queue, then the mutes and bans in force. */
function ReviewTab({ group }: { group: GroupDetailDto }) {
  return (
    <>
      <PartBoundary what="review queue">
        <ReviewQueue group={group} />
      </PartBoundary>
      <PartBoundary what="mutes and bans">
        <GroupRestrictions key={`restrictions:${group.id}`} group={group} />
      </PartBoundary>
    </>
  );
}

/** A group: header, then its discussions, meetings, members and settings as nested tabs, all live. */
export function GroupPage() {
  const { handle = '' } = useParams();
  const status = useStore((s) => s.sessionStatus);
  const [groupId, setGroupId] = useState<string | null>(null);
  const state = useLoad(status === 'unknown' ? null : `${handle}:${status}`, async () => {
    const group = await loadGroup(handle);
    setGroupId(group.id);
  });
  const held = useStore((s) => (groupId ? s.groups[groupId] : undefined));
  const group = held ? asDetail(held) : undefined;

  // Set once the server confirms the live watch (again after each reconnect).
  const [watching, setWatching] = useState<string | null>(null);
  useEffect(() => {
    if (!groupId) return;
    const stop = watchGroup(groupId, (w) => setWatching(`${w.groupId}:${w.view}`));
    return () => {
      stop();
      setWatching(null);
    };
  }, [groupId]);

  if (state.status !== 'ready') return <LoadGate state={state} what="the group" />;
  if (!group)
    return (
      <section className="card">
        <h1>This group is no longer available to you</h1>
        <p className="muted">
          You may have left it, or its coordinators may have changed who can see it.
        </p>
        <Link to="/groups">Back to groups</Link>
      </section>
    );
  // The tabs keep the address the page was reached by (handle or id), so the current one is marked.
  const base = `/g/${encodeURIComponent(handle)}`;
  return (
    <div className="group-page" data-watching={watching ?? undefined}>
      <PartBoundary what="meeting banner">
        <MeetingBanner groupId={group.id} />
      </PartBoundary>
      <PartBoundary what="group header" resetKey={group.updatedAt}>
        <GroupHeader group={group} />
      </PartBoundary>
      <nav className="group-tabs" aria-label="Group sections">
        <NavLink to={base} end>
          Discussions
        </NavLink>
        <NavLink to={`${base}/meetings`}>Meetings</NavLink>
        {group.abilities.canSeeMembers && <NavLink to={`${base}/members`}>Members</NavLink>}
        {group.abilities.canModerate && <ReviewTabLink groupId={group.id} to={`${base}/review`} />}
        {group.abilities.canManage && <NavLink to={`${base}/settings`}>Settings</NavLink>}
      </nav>
      <Routes>
        <Route index element={<DiscussionsTab group={group} />} />
        <Route
          path="meetings"
          element={
            <PartBoundary what="meetings">
              <GroupMeetings group={group} />
            </PartBoundary>
          }
        />
        <Route path="members" element={<MembersTab group={group} />} />
        <Route path="settings" element={<SettingsTab group={group} />} />
        <Route
          path="review"
          element={group.abilities.canModerate ? <ReviewTab group={group} /> : <NotFound />}
        />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </div>
  );
}
