/**
 * Groups and the people in them: loading a group with its discussions and
 * members, creating and editing groups, joining and leaving, invitations and
 * join requests. Every answer goes into the store through the same upserts
 * live events use.
 */
import type {
  GroupPermissions,
  GroupPrivacy,
  GroupRole,
  MembershipPolicy,
} from '../../../shared/domain.js';
import type {
  DiscussionDto,
  GroupDetailDto,
  InvitationDto,
  InvitationPreviewDto,
  JoinRequestDto,
  MemberDto,
} from '../../../shared/dto.js';
import { api, ApiError, type Page } from '../api/client.js';
import { useStore } from '../store/index.js';
import { readAll } from './pages.js';
import { groupPath } from '../lib/paths.js';

/** The store key of a group's discussion list. */
export const groupListKey = (groupId: string) => `group:${groupId}`;

/** Loads a group by handle or id; returns it. */
export async function loadGroup(handleOrId: string): Promise<GroupDetailDto> {
  const { group } = await api.get<{ group: GroupDetailDto }>(
    `/groups/${encodeURIComponent(handleOrId)}`,
  );
  useStore.getState().upsertGroups([group]);
  return group;
}

/** Loads a group again after a change elsewhere; forgets it when the viewer may no longer see it. */
export async function refreshGroup(groupId: string): Promise<void> {
  try {
    await loadGroup(groupId);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) useStore.getState().removeGroup(groupId);
    else throw error;
  }
}

/**
 * Loads a page of a group's discussions (pinned first, then latest activity).
 * The first page replaces the list; later pages extend it. Returns the next cursor.
 */
export async function loadGroupDiscussions(
  groupId: string,
  cursor?: string,
): Promise<string | null> {
  const page = await api.get<Page<DiscussionDto>>('/discussions', { groupId, limit: 50, cursor });
  const store = useStore.getState();
  store.upsertDiscussions(page.items);
  const ids = page.items.map((d) => d.id);
  const key = groupListKey(groupId);
  const held = cursor ? (store.discussionLists[key] ?? []) : [];
  store.setDiscussionList(key, [...held, ...ids.filter((id) => !held.includes(id))]);
  return page.nextCursor;
}

export async function loadMembers(groupId: string): Promise<void> {
  const members = await readAll<MemberDto>(`/groups/${groupId}/members`, {}, 2000);
  useStore.getState().setMembers(groupId, members);
}

export interface GroupSettingsInput {
  handle?: string;
  name?: string;
  description?: string;
  privacy?: GroupPrivacy;
  membershipPolicy?: MembershipPolicy;
  permissions?: Partial<GroupPermissions>;
  parentMembersCanSee?: boolean;
}

export async function createGroup(
  input: GroupSettingsInput & { name: string; handle?: string; parentId?: string },
): Promise<GroupDetailDto> {
  const { group } = await api.post<{ group: GroupDetailDto }>('/groups', input);
  useStore.getState().upsertGroups([group]);
  return group;
}

export async function updateGroup(
  groupId: string,
  input: GroupSettingsInput,
): Promise<GroupDetailDto> {
  const { group } = await api.patch<{ group: GroupDetailDto }>(`/groups/${groupId}`, input);
  useStore.getState().upsertGroups([group]);
  return group;
}

export async function joinGroup(groupId: string): Promise<void> {
  const { group } = await api.post<{ group: GroupDetailDto }>(`/groups/${groupId}/join`);
  useStore.getState().upsertGroups([group]);
}

export async function requestToJoin(groupId: string, introduction: string): Promise<void> {
  await api.post<{ joinRequest: JoinRequestDto }>(`/groups/${groupId}/join-requests`, {
    introduction,
  });
  await refreshGroup(groupId);
}

export async function leaveGroup(groupId: string): Promise<void> {
  await api.post(`/groups/${groupId}/leave`);
  await refreshGroup(groupId);
}

export async function changeRole(groupId: string, userId: string, role: GroupRole) {
  const action = role === 'coordinator' ? 'promote' : 'demote';
  const { member } = await api.post<{ member: MemberDto }>(
    `/groups/${groupId}/members/${userId}/${action}`,
  );
  useStore.getState().upsertMember(groupId, member);
  await refreshGroup(groupId);
}

export async function removeMember(groupId: string, userId: string): Promise<void> {
  await api.delete(`/groups/${groupId}/members/${userId}`);
  useStore.getState().removeMember(groupId, userId);
  await refreshGroup(groupId);
}

export async function inviteByEmail(
  groupId: string,
  input: { emails: string[]; role: GroupRole; message?: string },
): Promise<InvitationDto[]> {
  const { invitations } = await api.post<{ invitations: InvitationDto[] }>(
    `/groups/${groupId}/invitations`,
    input,
  );
  return invitations;
}

export function loadPendingInvitations(groupId: string): Promise<InvitationDto[]> {
  return readAll<InvitationDto>(`/groups/${groupId}/invitations`, { status: 'pending' }, 500);
}

export async function revokeInvitation(invitationId: string): Promise<void> {
  await api.delete(`/invitations/${invitationId}`);
}

export function loadJoinRequests(groupId: string): Promise<JoinRequestDto[]> {
  return readAll<JoinRequestDto>(`/groups/${groupId}/join-requests`, { status: 'pending' }, 500);
}

export async function decideJoinRequest(
  groupId: string,
  requestId: string,
  decision: 'approve' | 'decline',
): Promise<void> {
  await api.post<{ joinRequest: JoinRequestDto }>(`/join-requests/${requestId}/${decision}`);
  if (decision === 'approve') await Promise.all([loadMembers(groupId), refreshGroup(groupId)]);
}

export async function previewInvitation(token: string): Promise<InvitationPreviewDto> {
  const { invitation } = await api.get<{ invitation: InvitationPreviewDto }>(
    `/invitations/${encodeURIComponent(token)}`,
  );
  return invitation;
}

/** Accepts an invitation; answers where to go next. */
export async function acceptInvitation(token: string): Promise<string> {
  const answer = await api.post<{
    group: GroupDetailDto | null;
    discussion: { id: string; title: string } | null;
  }>(`/invitations/${encodeURIComponent(token)}/accept`);
  if (answer.group) {
    useStore.getState().upsertGroups([answer.group]);
    return groupPath(answer.group);
  }
  return answer.discussion ? `/d/${answer.discussion.id}` : '/';
}

export async function startDiscussion(input: {
  groupId: string;
  title: string;
  context: string;
  private?: boolean;
}): Promise<DiscussionDto> {
  const { discussion } = await api.post<{ discussion: DiscussionDto }>('/discussions', input);
  const store = useStore.getState();
  store.upsertDiscussions([discussion]);
  store.addToDiscussionList(groupListKey(input.groupId), [discussion.id]);
  return discussion;
}
