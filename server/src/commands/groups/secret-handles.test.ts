import { expect } from 'chai';
import mongoose from 'mongoose';
import { GroupModel } from '../../models/group.js';
import { buildGroup, buildUser } from '../../test/factories.js';
import { startTestApp, type TestApp } from '../../test/harness.js';
import { releaseSecretHandles } from './secret-handles.js';

describe('releaseSecretHandles (a database from before secret groups lost their handles)', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  it('clears secret groups’ handles and replaces the unique index with one over handles only', async () => {
    const collection = mongoose.connection.collection('groups');
    await collection.dropIndex('handle_1');
    await collection.createIndex({ handle: 1 }, { unique: true });
    const creator = await buildUser();
    const { insertedId } = await collection.insertOne({
      handle: 'old-finance',
      name: 'Finance',
      privacy: 'secret',
      createdById: creator._id,
    });
    const open = await buildGroup({ privacy: 'open' });
    await releaseSecretHandles();
    await GroupModel.syncIndexes();
    expect((await GroupModel.findById(insertedId).lean())?.handle).to.equal(null);
    expect((await GroupModel.findById(open._id).lean())?.handle).to.equal(open.handle);
    const index = (await collection.indexes()).find((i) => i.key.handle === 1);
    expect(index?.partialFilterExpression).to.deep.equal({ handle: { $type: 'string' } });
    // Several secret groups without handles now coexist, and visible handles stay unique.
    await buildGroup({ privacy: 'secret' });
    await buildGroup({ privacy: 'secret' });
    let duplicate: unknown = null;
    await buildGroup({ privacy: 'closed', handle: String(open.handle) }).catch((e: unknown) => {
      duplicate = e;
    });
    expect(duplicate).to.be.instanceOf(Error);
    // Running again changes nothing.
    await releaseSecretHandles();
  });
});
