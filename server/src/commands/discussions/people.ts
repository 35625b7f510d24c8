/**
 * Resolves the people named on discussion records (authors, actors, reactors)
 * to summaries in one query. Email addresses are not even loaded (P5).
 */
import { UserModel } from '../../models/user.js';
import { presentUserSummary, type UserSummaryDto } from '../../presenters/user.js';
import { EVERY_DOCUMENT } from '../../db/read-all.js';

/** A lookup from user id to summary; unknown ids read as deleted accounts. */
export type People = (id: unknown) => UserSummaryDto;

/** The fields of a user a summary is presented from (presentUserSummary). */
export const SUMMARY_FIELDS = {
  name: 1,
  handle: 1,
  avatarId: 1,
  deactivatedAt: 1,
  deletedAt: 1,
} as const;

export async function loadPeople(ids: Iterable<unknown>): Promise<People> {
  const unique = [...new Set([...ids].filter((id) => id !== null && id !== undefined).map(String))];
  const users =
    unique.length > 0
      ? await UserModel.find({ _id: { $in: unique } }, SUMMARY_FIELDS, EVERY_DOCUMENT).lean()
      : [];
  const byId = new Map(users.map((user) => [String(user._id), presentUserSummary(user)]));
  return (id) => byId.get(String(id)) ?? presentUserSummary(null, String(id));
}
