/** Assertions shared by the tests of groups and people. */
import { expect } from 'chai';
import type { Types } from 'mongoose';
import type { ApiErrorBody } from '../../../../shared/api.js';
import { MembershipModel } from '../../models/membership.js';
import type { UserDocument } from '../../models/user.js';
import type { ApiResponse } from '../../test/harness.js';

/** The response is the error with this status, id and (when given) field. */
export function expectError(
  res: ApiResponse<unknown>,
  status: number,
  id: string,
  field?: string,
): void {
  expect(res.status, JSON.stringify(res.body)).to.equal(status);
  const { error } = res.body as ApiErrorBody;
  expect(error.id).to.equal(id);
  if (field !== undefined) expect(error.field).to.equal(field);
}

/** The stored role of a person in a group, straight from the database; null when not a member. */
export async function roleOf(groupId: Types.ObjectId, user: UserDocument): Promise<string | null> {
  return (await MembershipModel.findOne({ groupId, userId: user._id }).lean())?.role ?? null;
}
