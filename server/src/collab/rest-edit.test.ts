import { expect } from 'chai';
import * as Y from 'yjs';
import { toMarkdown } from '../../../shared/collab-markdown.js';
import { DiscussionModel } from '../models/discussion.js';
import { DocSnapshotModel } from '../models/doc-snapshot.js';
import { DocUpdateModel } from '../models/doc-update.js';
import { PollModel } from '../models/poll.js';
import { buildDiscussion, buildGroup } from '../test/factories.js';
import { buildPoll, buildPollScene } from '../test/factories-polls.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { bytesOf } from './persistence.js';
import { openEditor, paragraphText, until, type Editor } from './test-editors.js';

/** The stored document's text: snapshot and log, as a process opening it would load them. */
async function storedText(key: string): Promise<string> {
  const doc = new Y.Doc();
  const snapshot = await DocSnapshotModel.findById(key).lean();
  if (snapshot) Y.applyUpdate(doc, bytesOf(snapshot.state));
  for (const row of await DocUpdateModel.find({ doc: key }).sort({ _id: 1 }).lean())
    Y.applyUpdate(doc, bytesOf(row.update));
  return toMarkdown(doc);
}

async function eventually(check: () => Promise<boolean>, what: string, ms = 4000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('collaborative documents: REST edits of a collaborative field', function () {
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

  it('puts a PATCH of the context into the document: open editors see it, and further typing does not lose it', async () => {
    const group = await buildGroup();
    const discussion = await buildDiscussion({ group, context: 'Hello' });
    const id = String(discussion._id);
    const key = `discussion:${id}:context`;
    const editor = await openEditor({
      url: app.url,
      token: app.tokenFor(group.coordinator),
      discussionId: id,
      key,
    });
    open.push(editor);

    const res = await app.patch(
      `/api/discussions/${id}`,
      { context: 'Set by REST' },
      { as: group.coordinator },
    );
    expect(res.status).to.equal(200);
    expect(res.body).to.have.nested.property('discussion.context', 'Set by REST');
    await until(() => editor.markdown() === 'Set by REST', 3000, 'the editor sees the REST edit');

    const text = paragraphText(editor.doc);
    text.insert(text.length, ' and typed');
    await until(() => editor.provider.saved, 3000, 'saved');
    await eventually(
      async () => (await DiscussionModel.findById(id))?.context === 'Set by REST and typed',
      'the record after compaction',
    );
    expect(await storedText(key)).to.equal('Set by REST and typed');
    expect(editor.markdown()).to.equal('Set by REST and typed');
  });

  it('does the same for a poll’s details, and an unchanged field re-sent by a form changes nothing', async () => {
    const scene = await buildPollScene();
    const poll = await buildPoll({ discussion: scene.discussion, author: scene.member });
    const key = `poll:${String(poll._id)}:details`;
    const editor = await openEditor({
      url: app.url,
      token: app.tokenFor(scene.member),
      discussionId: String(scene.discussion._id),
      key,
    });
    open.push(editor);
    const text = paragraphText(editor.doc);
    text.insert(text.length, 'Typed live');
    await until(() => editor.provider.saved, 3000, 'saved');

    // A form that loaded the details before the typing re-sends them with a new title.
    const stale = (await PollModel.findById(poll._id))!.details;
    const resent = await app.patch(
      `/api/polls/${String(poll._id)}`,
      { title: 'New title', details: stale },
      { as: scene.member },
    );
    expect(resent.status).to.equal(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(editor.markdown()).to.equal(`${stale}Typed live`);

    const res = await app.patch(
      `/api/polls/${String(poll._id)}`,
      { details: '**Bold** details' },
      { as: scene.member },
    );
    expect(res.status).to.equal(200);
    await until(() => editor.markdown() === '**Bold** details', 3000, 'the editor sees it');
    paragraphText(editor.doc).insert(0, 'Now ');
    await until(() => editor.provider.saved, 3000, 'saved');
    await eventually(
      async () => (await PollModel.findById(poll._id))?.details === 'Now **Bold** details',
      'the record after compaction',
    );
    expect(await storedText(key)).to.equal('Now **Bold** details');
  });
});
