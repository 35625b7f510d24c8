/**
 * One line of a group's member list: the person as the viewer may see them
 * (their email only when a policy allowed it, P5; "Deactivated account" when
 * deactivated, P8) with their role and when they joined.
 */
import type { Membership } from '../models/membership.js';
import { presentUser, presentUserSummary } from './user.js';
import type { MemberDto } from '../../../shared/dto.js';

export type { MemberDto };

type UserLike = Parameters<typeof presentUser>[0];

export function presentMember(
  membership: Pick<Membership, 'userId' | 'role' | 'createdAt'> &
    Partial<Pick<Membership, 'moderator'>>,
  user: UserLike | null | undefined,
  options: { includeEmail: boolean },
): MemberDto {
  const person = user ? presentUser(user, options) : presentUserSummary(null, membership.userId);
  return {
    ...person,
    role: membership.role,
    joinedAt: membership.createdAt.toISOString(),
    ...(membership.moderator ? { moderator: true } : {}),
  };
}
