/**
 * Join links in two shapes. A group's coordinators see the record (status,
 * uses, expiry, who created it); the token never appears, it was shown once
 * at creation. Whoever holds the link sees only the group it leads to and
 * until when it works.
 */
import type { GroupSummaryDto, JoinLinkDto, JoinLinkPreviewDto } from '../../../shared/dto.js';
import type { Group } from '../models/group.js';
import { joinLinkStatus, type JoinLink } from '../models/join-link.js';
import { presentGroupSummary } from './group.js';
import { presentUserSummary } from './user.js';

export type { JoinLinkDto, JoinLinkPreviewDto };

type UserLike = Parameters<typeof presentUserSummary>[0];

/** For the group's coordinators. */
export function presentJoinLink(
  link: Pick<
    JoinLink,
    '_id' | 'groupId' | 'maxUses' | 'uses' | 'createdById' | 'createdAt' | 'expiresAt' | 'revokedAt'
  >,
  createdBy: UserLike | null | undefined,
): JoinLinkDto {
  return {
    id: String(link._id),
    groupId: String(link.groupId),
    status: joinLinkStatus(link),
    uses: link.uses,
    maxUses: link.maxUses,
    createdBy: presentUserSummary(createdBy, link.createdById),
    createdAt: link.createdAt.toISOString(),
    expiresAt: link.expiresAt.toISOString(),
    revokedAt: link.revokedAt ? link.revokedAt.toISOString() : null,
  };
}

/** For whoever holds the link. */
export function presentJoinLinkPreview(
  link: Pick<JoinLink, 'expiresAt'>,
  group: Pick<Group, '_id' | 'handle' | 'name' | 'privacy'>,
  alreadyMember: boolean | null,
): JoinLinkPreviewDto {
  const summary: GroupSummaryDto = presentGroupSummary(group);
  return { group: summary, expiresAt: link.expiresAt.toISOString(), alreadyMember };
}
