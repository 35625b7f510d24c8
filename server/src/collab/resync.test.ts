import { expect } from 'chai';
import mongoose from 'mongoose';
import * as Y from 'yjs';
import { startEngine, type RunningEngine } from '../engine/index.js';
import { DocUpdateModel } from '../models/doc-update.js';
import { buildDiscussion, buildGroup } from '../test/factories.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { openEditor, paragraphText, until, type Editor } from './test-editors.js';

/** How many change events the engine keeps: a commit larger than this outruns any stream. */
const HISTORY = 40;

/**
 * The collab change feed loses its place (an engine with a tiny retention, and
 * one transaction of more events than it keeps, whose first is an update
 * another process stored): the feed restarts from now, so that update never
 * arrives through it; the open document must reload it from the database and
 * its editors receive it.
 */
describe('collaborative documents: when the change feed cannot resume', function () {
  this.timeout(30_000);
  let engine: RunningEngine;
  let app: TestApp;
  let editor: Editor | null = null;

  before(async () => {
    engine = await startEngine({
      host: '127.0.0.1',
      port: 0,
      dataDir: null,
      historyMaxEvents: HISTORY,
    });
    app = await startTestApp({ MONGODB_URI: engine.uri, COLLAB_COMPACT_AFTER_MS: '60000' });
  });
  after(async () => {
    editor?.close();
    await app?.close();
    await engine?.close();
  });

  it('reloads open documents from the database and sends their editors what they missed', async () => {
    const group = await buildGroup();
    const discussion = await buildDiscussion({ group, context: 'Before' });
    const id = String(discussion._id);
    const key = `discussion:${id}:context`;
    editor = await openEditor({
      url: app.url,
      token: app.tokenFor(group.coordinator),
      discussionId: id,
      key,
    });
    expect(editor.text()).to.equal('Before');

    // Another process accepted an update: stored, then lost in the gap of the feed.
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(editor.doc));
    const vector = Y.encodeStateVector(other);
    paragraphText(other).insert(6, ' and after');
    const update = Y.encodeStateAsUpdate(other, vector);
    await mongoose.connection.transaction(async (session) => {
      await DocUpdateModel.create(
        [{ doc: key, update: Buffer.from(update), userId: null, processId: 'elsewhere' }],
        { session },
      );
      const filler = Array.from({ length: HISTORY * 3 }, (_, i) => ({ i }));
      await mongoose.connection.collection('collab_resync_filler').insertMany(filler, { session });
    });

    const current = editor;
    await until(() => current.text() === 'Before and after', 10_000, 'the missed update');
    expect(app.server.collab.hub.docs.get(key)?.ydoc.getXmlFragment('default').length).to.equal(1);
  });
});
