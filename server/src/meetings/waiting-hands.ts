/**
 * Brings a database from before one waiting hand per person and item was an
 * index up to date: where two raises at once left a person two waiting hands
 * on one item, the earlier keeps its place and the others are lowered, so the
 * unique index (models/meeting-hand.ts) can be built. Runs at start-up before
 * indexes are built, and does nothing once the index exists.
 */
import type { Types } from 'mongoose';
import { MeetingHandModel } from '../models/meeting-hand.js';

const INDEX_KEY = { meetingId: 1, itemId: 1, userId: 1 };
const INDEX_KEY_FIELDS = { meetingId: '$meetingId', itemId: '$itemId', userId: '$userId' };

export async function lowerDuplicateWaitingHands(now = new Date()): Promise<void> {
  const collection = MeetingHandModel.collection;
  // No hands collection yet: nothing to bring up to date.
  const indexes = await collection.indexes().catch(() => null);
  if (indexes === null) return;
  const built = indexes.some(
    (index) =>
      JSON.stringify(index.key) === JSON.stringify(INDEX_KEY) && index.partialFilterExpression,
  );
  if (built) return;
  const duplicates = await collection
    .aggregate<{ ids: Types.ObjectId[] }>([
      { $match: { state: 'waiting' } },
      { $sort: { raisedAt: 1, _id: 1 } },
      { $group: { _id: INDEX_KEY_FIELDS, ids: { $push: '$_id' }, n: { $sum: 1 } } },
      { $match: { n: { $gt: 1 } } },
    ])
    .toArray();
  const later = duplicates.flatMap(({ ids }) => ids.slice(1));
  if (later.length === 0) return;
  await collection.updateMany(
    { _id: { $in: later }, state: 'waiting' },
    { $set: { state: 'lowered', doneAt: now } },
  );
}
