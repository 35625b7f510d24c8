/**
 * The rules that keep a group's settings coherent, in one place so creation,
 * editing and the documentation agree:
 *
 * - Membership policy by privacy: an open group may let people join directly,
 *   ask, or need an invitation; a closed group lets people ask or needs an
 *   invitation (joining directly would make it open in all but name); a secret
 *   group is by invitation only (nobody outside can see it to ask).
 * - When privacy changes and the membership policy is not given, an
 *   incompatible policy moves to the nearest allowed one (closed: `request`,
 *   secret: `invitation`); an explicitly incompatible pair is a 400.
 * - Subgroups are one level deep. A subgroup of a secret parent must itself be
 *   secret (it cannot be more public than its parent, and a visible subgroup
 *   would reveal the parent); a parent cannot become secret while it has a
 *   subgroup that is not secret (409: make those secret first). Subgroups of
 *   open or closed parents may have any privacy.
 */
import type { GroupPrivacy, MembershipPolicy } from '../../../../shared/domain.js';
import { ValidationError } from '../../errors.js';
import { FieldConflictError } from './errors.js';

const ALLOWED_POLICIES: Record<GroupPrivacy, readonly MembershipPolicy[]> = {
  open: ['open', 'request', 'invitation'],
  closed: ['request', 'invitation'],
  secret: ['invitation'],
};

const DEFAULT_POLICY: Record<GroupPrivacy, MembershipPolicy> = {
  open: 'request',
  closed: 'request',
  secret: 'invitation',
};

/**
 * The membership policy a group ends up with, given its (new) privacy, the
 * policy asked for (if any) and its current policy (when editing).
 */
export function resolveMembershipPolicy(
  privacy: GroupPrivacy,
  requested: MembershipPolicy | undefined,
  current: MembershipPolicy | null,
): MembershipPolicy {
  const allowed = ALLOWED_POLICIES[privacy];
  if (requested !== undefined) {
    if (!allowed.includes(requested)) {
      throw ValidationError(
        'membershipPolicy',
        `A ${privacy} group's membership policy must be one of: ${allowed.join(', ')}`,
      );
    }
    return requested;
  }
  return current !== null && allowed.includes(current) ? current : DEFAULT_POLICY[privacy];
}

/** Throws a 400 on `privacy` when a subgroup would be more public than its secret parent. */
export function assertSubgroupPrivacy(parentPrivacy: GroupPrivacy, privacy: GroupPrivacy): void {
  if (parentPrivacy === 'secret' && privacy !== 'secret') {
    throw ValidationError('privacy', 'A subgroup of a secret group must be secret too');
  }
}

/** Throws a 409 on `privacy` when a group would turn secret above subgroups that are not. */
export function assertParentCanBecome(
  privacy: GroupPrivacy,
  subgroupPrivacies: GroupPrivacy[],
): void {
  if (privacy === 'secret' && subgroupPrivacies.some((p) => p !== 'secret')) {
    throw FieldConflictError(
      'privacy',
      'Make every subgroup secret before making this group secret',
    );
  }
}

/** Handles that look like ObjectIds would be ambiguous in `/api/groups/:handleOrId`. */
export const HANDLE_PATTERN = /^[a-z0-9-]{3,40}$/;
export const OBJECT_ID_PATTERN = /^[0-9a-f]{24}$/;
