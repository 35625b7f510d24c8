/**
 * People as others see them. A deactivated or deleted account is shown as such,
 * with no name, handle or avatar (P8, P9). The email address is included only
 * when the caller decided, through a policy, that this viewer may see it (P5).
 */
import type { Types } from 'mongoose';
import { avatarPath } from '../../../shared/avatars.js';
import type { UserSummaryDto } from '../../../shared/dto.js';
import type { User } from '../models/user.js';
import type { SelfDto, UserWithEmailDto } from '../../../shared/dto.js';

export type { SelfDto, UserWithEmailDto };

export type { UserSummaryDto };

type SummaryLike = Pick<
  User,
  '_id' | 'name' | 'handle' | 'avatarId' | 'deactivatedAt' | 'deletedAt'
>;
type UserLike = SummaryLike & Pick<User, 'email'>;

/** A person as anyone may see them (never with an email); `id` names a user whose record is gone. */
export function presentUserSummary(
  user: SummaryLike | null | undefined,
  id?: Types.ObjectId | string,
): UserSummaryDto {
  if (!user || user.deletedAt)
    return {
      id: String(user?._id ?? id ?? ''),
      name: 'Deleted account',
      handle: null,
      avatarUrl: null,
      status: 'deleted',
    };
  if (user.deactivatedAt)
    return {
      id: String(user._id),
      name: 'Deactivated account',
      handle: null,
      avatarUrl: null,
      status: 'deactivated',
    };
  return {
    id: String(user._id),
    name: user.name,
    handle: user.handle,
    avatarUrl: user.avatarId ? avatarPath(user.avatarId) : null,
    status: 'active',
  };
}

export function presentUser(
  user: UserLike,
  options: { includeEmail: boolean },
): UserSummaryDto | UserWithEmailDto {
  const summary = presentUserSummary(user);
  return options.includeEmail && summary.status === 'active'
    ? { ...summary, email: user.email }
    : summary;
}

/** The signed-in person's own profile. */
export function presentSelf(
  user: UserLike & Pick<User, 'emailVerifiedAt' | 'isAdmin' | 'createdAt'>,
): SelfDto {
  return {
    ...presentUserSummary(user),
    email: user.email,
    emailVerified: user.emailVerifiedAt !== null,
    isAdmin: user.isAdmin,
    createdAt: user.createdAt.toISOString(),
  };
}
