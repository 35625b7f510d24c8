import { expect } from 'chai';
import mongoose from 'mongoose';
import { DocAwarenessModel } from '../models/doc-awareness.js';
import { buildDiscussion, buildGroup } from '../test/factories.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { openEditor, until, type Editor } from './test-editors.js';

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

describe('collaborative documents: carets renewed together reach each socket together', function () {
  this.timeout(60_000);
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  it('sends a watcher the renewals of many editors in a few messages, each with its latest clock', async () => {
    const group = await buildGroup();
    const discussion = await buildDiscussion({ group, context: 'Many carets' });
    const id = String(discussion._id);
    const key = `discussion:${id}:context`;
    const token = app.tokenFor(group.coordinator);
    const open = () => openEditor({ url: app.url, token, discussionId: id, key });
    const editors: Editor[] = [];
    for (let i = 0; i < 20; i += 1) editors.push(await open());
    const watcher = await open();
    const clockOf = (clientId: number) =>
      watcher.provider.awareness.meta.get(clientId)?.clock ?? -1;
    try {
      // A state's first clock (0) is never applied by others: the first change shows it.
      for (const e of editors) e.provider.awareness.setLocalStateField('cursor', null);
      await until(
        () => editors.every((e) => watcher.provider.awareness.getStates().has(e.doc.clientID)),
        10_000,
        'the watcher sees every editor',
      );
      const before = new Map(editors.map((e) => [e.doc.clientID, clockOf(e.doc.clientID)]));
      let messages = 0;
      watcher.socket.on('collab:awareness', () => (messages += 1));
      // What y-protocols does every 15 s for a state that did not change: all at once here.
      for (const e of editors)
        e.provider.awareness.setLocalState(e.provider.awareness.getLocalState());
      await until(
        () => editors.every((e) => clockOf(e.doc.clientID) > before.get(e.doc.clientID)!),
        10_000,
        'the watcher sees every renewal',
      );
      expect(messages).to.be.below(editors.length / 2);
    } finally {
      for (const e of [...editors, watcher]) e.close();
    }
  });
});
