import { expect } from 'chai';
import mongoose from 'mongoose';
import { DocAwarenessModel } from '../models/doc-awareness.js';
import { buildDiscussion, buildGroup } from '../test/factories.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { openEditor, until } from './test-editors.js';

describe('collaborative documents: caret writes for other processes are throttled', function () {
  this.timeout(30_000);
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  it('relays every caret move at once here, writes the database at most every 200 ms, the latest state last', async () => {
    const group = await buildGroup();
    const discussion = await buildDiscussion({ group, context: 'Carets' });
    const id = String(discussion._id);
    const key = `discussion:${id}:context`;
    const open = (token: string) => openEditor({ url: app.url, token, discussionId: id, key });
    const mover = await open(app.tokenFor(group.coordinator));
    const watcher = await open(app.tokenFor(group.coordinator));
    const writes: string[] = [];
    mongoose.set('debug', (collection: string, method: string) => {
      if (collection === 'docawareness' && method === 'updateOne') writes.push(method);
    });
    try {
      for (let i = 1; i <= 20; i += 1) {
        mover.provider.awareness.setLocalStateField('cursor', { at: i });
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const caretOf = () =>
        (
          watcher.provider.awareness.getStates().get(mover.doc.clientID)?.cursor as
            { at?: number } | undefined
        )?.at;
      await until(() => caretOf() === 20, 3000, 'the watcher sees the last caret');
      await new Promise((resolve) => setTimeout(resolve, 400));
      const row = await DocAwarenessModel.findOne({
        doc: key,
        clientId: mover.doc.clientID,
      }).lean();
      expect(row && JSON.parse(row.state)).to.have.nested.property('cursor.at', 20);
    } finally {
      mongoose.set('debug', false);
      mover.close();
      watcher.close();
    }
    expect(writes.length).to.be.within(1, 4);
  });
});
