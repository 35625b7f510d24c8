/**
 * Which handle a group gets. Only open and closed groups have one; a secret
 * group has none (models/group.ts), so uniqueness, and every "that handle is
 * already taken" answer, concerns visible groups only and cannot confirm that
 * a secret group exists. A handle for a secret group is refused whatever it
 * is, taken or free, so that refusal reveals nothing either.
 */
import type { Types } from 'mongoose';
import type { GroupPrivacy } from '../../../../shared/domain.js';
import { ValidationError } from '../../errors.js';
import { GroupModel } from '../../models/group.js';
import { FieldConflictError } from './errors.js';

export const handleTaken = () => FieldConflictError('handle', 'That handle is already taken');

/**
 * The handle a group with `privacy` ends up with: null for a secret group (400
 * if one was asked for), otherwise the requested one or the current one (400
 * when there is neither), checked free among other groups (409 on `handle`).
 */
export async function resolveGroupHandle(props: {
  privacy: GroupPrivacy;
  requested: string | undefined;
  current: string | null;
  groupId?: Types.ObjectId;
}): Promise<string | null> {
  if (props.privacy === 'secret') {
    if (props.requested !== undefined)
      throw ValidationError(
        'handle',
        'A secret group has no handle: it is reached by its id, so nobody can guess its address',
      );
    return null;
  }
  const handle = props.requested ?? props.current;
  if (handle === null || handle === undefined)
    throw ValidationError('handle', 'A group that is not secret needs a handle');
  if (handle !== props.current) {
    const other = props.groupId ? { _id: { $ne: props.groupId } } : {};
    if (await GroupModel.exists({ handle, ...other })) throw handleTaken();
  }
  return handle;
}
