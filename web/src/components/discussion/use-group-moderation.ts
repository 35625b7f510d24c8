import { useEffect } from 'react';
import type { DiscussionDto, GroupDto, MemberDto } from '../../../../shared/dto.js';
import { loadGroup, loadMembers } from '../../data/groups.js';
import { useStore } from '../../store/index.js';

/**
 * Loads what moderating people from the thread needs: the discussion's group,
 * for the abilities the server grants the viewer there, and, only when those
 * include `canManage`, its member list (so the action is offered to members
 * alone, never to guests or to people who already left). Failures leave the
 * action hidden; the discussion itself does not depend on them.
 */
export function useGroupModeration(discussion: DiscussionDto | undefined): void {
  const groupId = discussion?.group?.id ?? null;
  const meId = useStore((s) => s.me?.id ?? null);
  const canManage = useStore((s) =>
    groupId ? s.groups[groupId]?.abilities.canManage === true : false,
  );

  useEffect(() => {
    if (!groupId || !meId) return;
    void loadGroup(groupId).catch(() => undefined);
  }, [groupId, meId]);

  useEffect(() => {
    if (!groupId || !meId || !canManage) return;
    void loadMembers(groupId).catch(() => undefined);
  }, [groupId, meId, canManage]);
}

/**
 * Whom a comment's author may be removed as, from the thread: their
 * membership, when the server says the viewer manages the group and the author
 * is a member other than the viewer; otherwise null.
 */
export function useRemovableMember(
  discussion: DiscussionDto,
  authorId: string,
): { group: GroupDto; member: MemberDto } | null {
  const groupId = discussion.group?.id ?? null;
  const group = useStore((s) => (groupId ? s.groups[groupId] : undefined));
  const member = useStore((s) =>
    groupId ? s.members[groupId]?.find((m) => m.id === authorId) : undefined,
  );
  const meId = useStore((s) => s.me?.id ?? null);
  if (!group?.abilities.canManage || !member || !meId || authorId === meId) return null;
  return { group, member };
}
