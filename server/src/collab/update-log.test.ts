import { expect } from 'chai';
import mongoose from 'mongoose';
import * as Y from 'yjs';
import { DocUpdateModel } from '../models/doc-update.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { bytesOf, UpdateLog } from './persistence.js';

describe('collaborative documents: the update log batches appends per document', function () {
  this.timeout(30_000);
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  it('stores concurrent appends in order, in fewer writes, each resolving once stored', async () => {
    const key = `discussion:${new mongoose.Types.ObjectId().toHexString()}:context`;
    const doc = new Y.Doc();
    const text = doc.getText('t');
    const updates: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => updates.push(update));
    for (let i = 0; i < 30; i += 1) text.insert(i, String(i % 10));

    const writes: string[] = [];
    mongoose.set('debug', (collection: string, method: string) => {
      if (collection === 'docupdates') writes.push(method);
    });
    const log = new UpdateLog();
    const stored: number[] = [];
    try {
      await Promise.all(
        updates.map((update, i) =>
          log.append({ doc: key, update, userId: null, processId: 'test' }).then(async () => {
            // Resolved means stored: the row is there already.
            const rows = await DocUpdateModel.countDocuments({ doc: key });
            expect(rows).to.be.greaterThan(i);
            stored.push(i);
          }),
        ),
      );
    } finally {
      mongoose.set('debug', false);
    }
    const inserts = writes.filter((method) => method === 'insertMany');
    expect(inserts.length).to.be.within(1, 3);
    expect(stored).to.have.length(30);

    const rows = await DocUpdateModel.find({ doc: key }).sort({ _id: 1 }).lean();
    const replay = new Y.Doc();
    for (const row of rows) Y.applyUpdate(replay, bytesOf(row.update));
    expect(rows).to.have.length(30);
    expect(replay.getText('t').toJSON()).to.equal(text.toJSON());
    // In the accepted order: each row's update is the one appended at its place.
    expect(rows.map((row) => Buffer.from(bytesOf(row.update)).toString('hex'))).to.deep.equal(
      updates.map((u) => Buffer.from(u).toString('hex')),
    );
  });
});
