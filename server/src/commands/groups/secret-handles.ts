/**
 * Brings a database from before secret groups lost their handles up to date:
 * the old unique index on every handle (which counted secret groups' handles,
 * so creating a group could confirm a secret one) is dropped, and secret
 * groups' handles are released. Runs at start-up before indexes are built,
 * and does nothing on a database already in this shape.
 */
import mongoose from 'mongoose';
import { GroupModel } from '../../models/group.js';

/** Drops the non-partial `handle_1` index if present and clears secret groups' handles. */
export async function releaseSecretHandles(): Promise<void> {
  const collection = mongoose.connection.collection(GroupModel.collection.collectionName);
  // No groups collection yet: nothing to bring up to date.
  const indexes = await collection.indexes().catch(() => null);
  if (indexes === null) return;
  const legacy = indexes.find((i) => i.name === 'handle_1' && !i.partialFilterExpression);
  if (legacy) await collection.dropIndex('handle_1');
  await collection.updateMany(
    { privacy: 'secret', handle: { $type: 'string' } },
    { $set: { handle: null } },
  );
}
