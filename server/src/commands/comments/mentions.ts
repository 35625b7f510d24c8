/**
 * @handle mentions: which people a comment text names, restricted to active
 * accounts that may read the discussion, so a mention never tells anyone
 * about a discussion they cannot see.
 */
import type { Types } from 'mongoose';
import { loadViewer } from '../../auth/viewer.js';
import type { Discussion } from '../../models/discussion.js';
import { UserModel } from '../../models/user.js';
import { canReadDiscussion } from '../../policies/discussion.js';
import { mentionableText } from '../../../../shared/markdown/plain-text.js';

/** At most this many handles of one text are looked up. */
export const MAX_MENTIONS = 30;

const MENTION = /(?<![\w@.])@([a-z0-9_](?:[a-z0-9_.-]{0,62}[a-z0-9_])?)/gi;

/**
 * The distinct handles a text mentions, lowercased, in order of first
 * appearance: in its words, not in code or in a link (the text is Markdown,
 * and the page marks mentions there only), so `@handle` in an address or a
 * code sample notifies no one.
 */
export function extractHandles(text: string): string[] {
  const handles = new Set<string>();
  for (const match of mentionableText(text).matchAll(MENTION)) {
    handles.add(match[1].toLowerCase());
    if (handles.size >= MAX_MENTIONS) break;
  }
  return [...handles];
}

/** Whether the person may read the discussion now (loads their roles). */
export async function personCanRead(
  userId: Types.ObjectId,
  discussion: Pick<Discussion, '_id' | 'groupId' | 'authorId' | 'private' | 'closedAt'>,
  group: Parameters<typeof canReadDiscussion>[2],
): Promise<boolean> {
  const user = await UserModel.findOne({ _id: userId, deactivatedAt: null, deletedAt: null });
  return user !== null && canReadDiscussion(await loadViewer(user), discussion, group);
}

/** Ids of the people `text` mentions who may read the discussion, except `excludeId` (the writer). */
export async function mentionedReaders(props: {
  text: string;
  discussion: Pick<Discussion, '_id' | 'groupId' | 'authorId' | 'private' | 'closedAt'>;
  group: Parameters<typeof canReadDiscussion>[2];
  excludeId: Types.ObjectId;
}): Promise<Types.ObjectId[]> {
  const handles = extractHandles(props.text);
  if (handles.length === 0) return [];
  const users = await UserModel.find(
    {
      handle: { $in: handles },
      _id: { $ne: props.excludeId },
      deactivatedAt: null,
      deletedAt: null,
    },
    { _id: 1 },
  ).lean();
  const readable = await Promise.all(
    users.map((u) => personCanRead(u._id, props.discussion, props.group)),
  );
  return users.filter((_, i) => readable[i]).map((u) => u._id);
}
