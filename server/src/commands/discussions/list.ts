/**
 * The lists of discussions: a group's (pinned first, then newest activity
 * first) and a person's inbox (the discussions they take part in, newest
 * activity first). Both query only what the viewer may read, then check each
 * row with the policy again, so a query mistake cannot leak a discussion.
 */
import { Types, type QueryFilter } from 'mongoose';
import { userIdOf, type Viewer } from '../../auth/viewer.js';
import { ValidationError } from '../../errors.js';
import type { PageRequest } from '../../http/pagination.js';
import {
  DiscussionModel,
  type Discussion,
  type DiscussionDocument,
} from '../../models/discussion.js';
import { GroupModel, type GroupDocument } from '../../models/group.js';
import { canReadAllDiscussionsOf, canReadDiscussion } from '../../policies/discussion.js';

/** A position in a list ordered by a date, newest first, ties broken by id. */
export interface DateCursor {
  at: Date;
  id: Types.ObjectId;
  /** Discussions only: whether the position is still among the pinned ones. */
  pinned?: boolean;
}

export function encodeCursor(cursor: DateCursor): string {
  return `${cursor.pinned ? 'p' : 'u'}${cursor.at.getTime()}.${cursor.id.toHexString()}`;
}

/** Parses a cursor from a previous page; anything else is a 400 on `cursor`. */
export function decodeCursor(value: string | undefined): DateCursor | null {
  if (value === undefined) return null;
  const match = /^([pu])(\d{1,15})\.([0-9a-f]{24})$/.exec(value);
  if (!match) throw ValidationError('cursor', 'Must be a cursor returned by the previous page');
  return {
    pinned: match[1] === 'p',
    at: new Date(Number(match[2])),
    id: new Types.ObjectId(match[3]),
  };
}

/** Rows strictly after `cursor` in (field desc, _id desc) order. */
export function olderThan<T>(field: string, cursor: DateCursor | null): QueryFilter<T> {
  if (!cursor) return {};
  return {
    $or: [{ [field]: { $lt: cursor.at } }, { [field]: cursor.at, _id: { $lt: cursor.id } }],
  };
}

export interface DiscussionRows {
  rows: { discussion: DiscussionDocument; group: GroupDocument | null }[];
  nextCursor: string | null;
}

function finish(
  found: DiscussionDocument[],
  limit: number,
  groups: Map<string, GroupDocument>,
  viewer: Viewer,
): DiscussionRows {
  const shown = found.slice(0, limit);
  const last = shown[shown.length - 1];
  return {
    rows: shown
      .map((discussion) => ({
        discussion,
        group: discussion.groupId ? (groups.get(String(discussion.groupId)) ?? null) : null,
      }))
      .filter((row) => canReadDiscussion(viewer, row.discussion, row.group)),
    nextCursor:
      found.length > limit && last
        ? encodeCursor({ pinned: last.pinnedAt !== null, at: last.lastActivityAt, id: last._id })
        : null,
  };
}

const NEWEST = { lastActivityAt: -1, _id: -1 } as const;

/** A group's discussions the viewer may read; the caller has checked the group is visible. */
export async function listGroupDiscussions(
  viewer: Viewer,
  group: GroupDocument,
  page: PageRequest,
): Promise<DiscussionRows> {
  const cursor = decodeCursor(page.cursor);
  const guestOf = [...viewer.guestOf].map((id) => new Types.ObjectId(id));
  const readable: QueryFilter<Discussion> = canReadAllDiscussionsOf(viewer, group)
    ? { groupId: group._id }
    : {
        groupId: group._id,
        $or: [...(group.privacy === 'open' ? [{ private: false }] : []), { _id: { $in: guestOf } }],
      };

  const found: DiscussionDocument[] = [];
  if (!cursor || cursor.pinned) {
    found.push(
      ...(await DiscussionModel.find({
        $and: [readable, { pinnedAt: { $ne: null } }, olderThan('lastActivityAt', cursor)],
      })
        .sort(NEWEST)
        .limit(page.limit + 1)),
    );
  }
  if (found.length <= page.limit) {
    const after = cursor && !cursor.pinned ? cursor : null;
    found.push(
      ...(await DiscussionModel.find({
        $and: [readable, { pinnedAt: null }, olderThan('lastActivityAt', after)],
      })
        .sort(NEWEST)
        .limit(page.limit + 1 - found.length)),
    );
  }
  return finish(found, page.limit, new Map([[String(group._id), group]]), viewer);
}

/** The discussions the signed-in viewer takes part in (their groups', their guest invitations, their own guest-only ones). */
export async function listInbox(viewer: Viewer, page: PageRequest): Promise<DiscussionRows> {
  const cursor = decodeCursor(page.cursor);
  const groupIds = [...viewer.roles.keys()].map((id) => new Types.ObjectId(id));
  const guestOf = [...viewer.guestOf].map((id) => new Types.ObjectId(id));
  const participating: QueryFilter<Discussion> = {
    $or: [
      { groupId: { $in: groupIds } },
      { _id: { $in: guestOf } },
      { groupId: null, authorId: userIdOf(viewer) },
    ],
  };
  const found = await DiscussionModel.find({
    $and: [participating, olderThan('lastActivityAt', cursor)],
  })
    .sort(NEWEST)
    .limit(page.limit + 1);
  const ids = [
    ...new Set(
      found
        .map((d) => d.groupId)
        .filter((id) => id !== null)
        .map(String),
    ),
  ];
  const groups = ids.length > 0 ? await GroupModel.find({ _id: { $in: ids } }) : [];
  return finish(found, page.limit, new Map(groups.map((g) => [String(g._id), g])), viewer);
}
