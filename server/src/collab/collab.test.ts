import { expect } from 'chai';
import * as Y from 'yjs';
import { DiscussionModel } from '../models/discussion.js';
import { DocUpdateModel } from '../models/doc-update.js';
import { DocVersionModel } from '../models/doc-version.js';
import { addMember, buildDiscussion, buildGroup } from '../test/factories.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { openEditor, paragraphText, syncMessage, until, type Editor } from './test-editors.js';

describe('collaborative documents', function () {
  this.timeout(30_000);
  let app: TestApp;
  const open: Editor[] = [];

  before(async () => {
    app = await startTestApp({ COLLAB_COMPACT_AFTER_MS: '200', COLLAB_RELEASE_AFTER_MS: '100' });
  });
  afterEach(() => {
    for (const editor of open.splice(0)) editor.close();
  });
  after(() => app.close());

  async function editorFor(user: Parameters<TestApp['tokenFor']>[0] | null, discussionId: string) {
    const editor = await openEditor({
      url: app.url,
      token: user ? app.tokenFor(user) : null,
      discussionId,
      key: `discussion:${discussionId}:context`,
    });
    open.push(editor);
    return editor;
  }

  it('seeds the document from the record, carries edits between editors, stores them before acknowledging, and writes the text back to the record', async () => {
    const group = await buildGroup();
    const discussion = await buildDiscussion({ group, context: 'Hello' });
    const id = String(discussion._id);
    const a = await editorFor(group.coordinator, id);
    const b = await editorFor(group.coordinator, id);
    expect(a.text()).to.equal('Hello');
    expect(a.provider.canEdit).to.equal(true);

    paragraphText(a.doc).insert(5, ', world');
    await until(() => a.provider.saved, 3000, 'saved');
    // Acknowledged means stored: the update is in the log (or already compacted into the record).
    const logged = await DocUpdateModel.countDocuments({ doc: `discussion:${id}:context` });
    const record = (await DiscussionModel.findById(id))?.context;
    expect(logged > 0 || record === 'Hello, world').to.equal(true);
    await until(() => b.text() === 'Hello, world', 3000, 'peer text');

    const deadline = Date.now() + 3000;
    while ((await DiscussionModel.findById(id))?.context !== 'Hello, world') {
      if (Date.now() > deadline) throw new Error('record text not written');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const versions = await DocVersionModel.find({ doc: `discussion:${id}:context` }).lean();
    expect(versions.map((v) => v.text)).to.include('Hello, world');
    expect(versions.at(-1)?.editorIds.map(String)).to.deep.equal([String(group.coordinator._id)]);

    // The personal data export names the document (P2).
    const exported = await app.get<{ collaborativeEdits: Array<{ document: string }> }>(
      '/api/me/export',
      { as: group.coordinator },
    );
    expect(exported.body.collaborativeEdits.map((e) => e.document)).to.include(
      `discussion:${id}:context`,
    );
  });

  it('settles every document that goes quiet at the same moment (compactions take turns)', async () => {
    const group = await buildGroup();
    const discussions = await Promise.all(
      Array.from({ length: 6 }, (_, i) => buildDiscussion({ group, context: `Doc ${i}` })),
    );
    const editors = await Promise.all(
      discussions.map((d) => editorFor(group.coordinator, String(d._id))),
    );
    editors.forEach((editor, i) => paragraphText(editor.doc).insert(5, ` edited ${i}`));
    await until(() => editors.every((e) => e.provider.saved), 5000, 'all saved');
    const settled = async () =>
      (await DiscussionModel.find({ _id: { $in: discussions.map((d) => d._id) } }).lean())
        .map((d) => d.context)
        .sort();
    const settle = async (expected: string[]) => {
      const deadline = Date.now() + 10_000;
      while (JSON.stringify(await settled()) !== JSON.stringify(expected)) {
        if (Date.now() > deadline)
          throw new Error(`not settled: ${JSON.stringify(await settled())}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const expected = discussions.map((_, i) => `Doc ${i} edited ${i}`);
    await settle(expected);
    const keys = discussions.map((d) => `discussion:${String(d._id)}:context`);
    expect(await DocUpdateModel.countDocuments({ doc: { $in: keys } })).to.equal(0);
    // And the next ones still get their turn.
    paragraphText(editors[0].doc).insert(0, 'Again: ');
    expected[0] = `Again: ${expected[0]}`;
    await settle(expected.sort());
  });

  it('lets a reader watch live but refuses, counts and never applies their updates', async () => {
    const group = await buildGroup();
    const member = await addMember(group);
    const discussion = await buildDiscussion({ group, context: 'Draft' });
    const id = String(discussion._id);
    const writer = await editorFor(group.coordinator, id);
    const reader = await editorFor(member, id);
    expect(reader.provider.canEdit).to.equal(false);
    const refusedBefore = app.server.collab.hub.refused;

    // Bypass the provider (which does not send for readers): a raw update from the reader's socket.
    const rogue = new Y.Doc();
    Y.applyUpdate(rogue, Y.encodeStateAsUpdate(reader.doc));
    paragraphText(rogue).insert(0, 'HACKED ');
    const update = Y.encodeStateAsUpdate(rogue, Y.encodeStateVector(reader.doc));
    const reply = await new Promise<unknown>((resolve) =>
      reader.socket.emit(
        'collab:sync',
        { doc: `discussion:${id}:context`, sync: syncMessage(update) },
        resolve,
      ),
    );
    expect(reply).to.have.nested.property('error.id', 'authorization_error');
    expect(app.server.collab.hub.refused).to.equal(refusedBefore + 1);

    paragraphText(writer.doc).insert(5, ' two');
    await until(() => reader.text() === 'Draft two', 3000, 'reader sees the edit');
    expect(writer.text()).to.equal('Draft two');
  });

  it('closes the documents of a discussion the socket stops watching, and tells it', async () => {
    const group = await buildGroup();
    const discussion = await buildDiscussion({ group, context: 'Watched' });
    const id = String(discussion._id);
    const key = `discussion:${id}:context`;
    const writer = await editorFor(group.coordinator, id);
    const told: unknown[] = [];
    writer.socket.on('collab:rights', (payload) => told.push(payload));
    await new Promise((resolve) =>
      writer.socket.emit('discussion:unwatch', { discussionId: id }, resolve),
    );
    await until(() => writer.provider.status === 'closed', 3000, 'closed');
    expect(told).to.deep.equal([{ doc: key, canEdit: false, closed: true }]);
    expect(app.server.collab.hub.docs.get(key)?.sessions.size ?? 0).to.equal(0);
    const rogue = new Y.Doc();
    Y.applyUpdate(rogue, Y.encodeStateAsUpdate(writer.doc));
    const before = Y.encodeStateVector(rogue);
    paragraphText(rogue).insert(0, 'Unseen ');
    const reply = await new Promise<unknown>((resolve) =>
      writer.socket.emit(
        'collab:sync',
        { doc: key, sync: syncMessage(Y.encodeStateAsUpdate(rogue, before)) },
        resolve,
      ),
    );
    expect(reply).to.have.nested.property('error.id', 'not_found');
  });
});
