import { expect } from 'chai';
import { io as connect } from 'socket.io-client';
import * as Y from 'yjs';
import type { AckResponse } from '../../../shared/events.js';
import { CollabProvider } from '../../../shared/collab-provider.js';
import { textOf, toMarkdown } from '../../../shared/collab-markdown.js';
import { buildDiscussion, buildGroup } from '../test/factories.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import type { Client } from '../realtime/test-clients.js';
import { openEditor, paragraphText, until, watchFirst, type Editor } from './test-editors.js';

type Answer = AckResponse<unknown> | undefined;
/** Decides, per emitted event, whether the server sees it (undefined) or it is answered here. */
type Gate = (event: string, sent: number) => Answer;

/**
 * The provider's own timing, made deterministic: its socket is real and the
 * server answers, except for the events `gate` answers itself (a refusal as
 * the server would give it). The emits are recorded with their time.
 */
describe('collaborative documents: the provider saves whatever the timing', function () {
  this.timeout(30_000);
  let app: TestApp;
  const sockets: Client[] = [];
  const providers: CollabProvider[] = [];
  const editors: Editor[] = [];

  before(async () => {
    app = await startTestApp({ COLLAB_COMPACT_AFTER_MS: '200', COLLAB_RELEASE_AFTER_MS: '100' });
  });
  afterEach(() => {
    for (const provider of providers.splice(0)) provider.destroy();
    for (const socket of sockets.splice(0)) socket.disconnect();
    for (const editor of editors.splice(0)) editor.close();
  });
  after(() => app.close());

  async function fixture() {
    const group = await buildGroup();
    const discussion = await buildDiscussion({ group, context: 'Seed' });
    const id = String(discussion._id);
    const key = `discussion:${id}:context`;
    const token = app.tokenFor(group.coordinator);
    const peer = await openEditor({ url: app.url, token, discussionId: id, key });
    editors.push(peer);
    return { id, key, token, peer };
  }

  /** A provider on a fresh socket whose emits pass `gate`; `sent` lists each emit and its time. */
  function gatedProvider(
    props: { id: string; key: string; token: string },
    gate: Gate,
    beforeOpen?: (doc: Y.Doc) => Promise<void>,
  ) {
    const socket: Client = connect(app.url, {
      transports: ['websocket'],
      auth: { token: props.token },
      reconnection: false,
    });
    sockets.push(socket);
    const sent: Array<{ event: string; at: number }> = [];
    const emit = socket.emit.bind(socket) as (...args: unknown[]) => Client;
    (socket as unknown as { emit: (...args: unknown[]) => Client }).emit = (...args) => {
      const event = String(args[0]);
      sent.push({ event, at: Date.now() });
      const answer = gate(event, sent.filter((s) => s.event === event).length);
      if (!answer) return emit(...args);
      const ack = args.at(-1) as (reply: AckResponse<unknown>) => void;
      setTimeout(() => ack(answer), 5);
      return socket;
    };
    const doc = new Y.Doc();
    const watch = watchFirst(socket, props.id);
    const provider = new CollabProvider(socket, props.key, doc, {
      beforeOpen: async () => {
        await watch();
        await beforeOpen?.(doc);
      },
    });
    providers.push(provider);
    return { provider, doc, sent };
  }

  const pass: Gate = () => undefined;

  it('reports saved after an edit made while the document was opening (it went with the open)', async () => {
    const props = await fixture();
    let statusAtEdit = '';
    let opens = 0;
    const { provider } = gatedProvider(props, pass, (doc) => {
      if (opens++ > 0) return Promise.resolve();
      // Runs once the provider has emitted `collab:open` and before its answer can arrive.
      setImmediate(() => {
        statusAtEdit = provider.status;
        paragraphText(doc).insert(0, 'typed while opening');
      });
      return Promise.resolve();
    });
    await until(() => statusAtEdit !== '', 5000, 'the edit');
    expect(statusAtEdit).to.equal('syncing');
    await until(() => provider.saved && provider.status === 'synced', 5000, 'saved');
    await until(
      () => toMarkdown(props.peer.doc).includes('typed while opening'),
      5000,
      'the peer has the edit',
    );
  });

  it('opens again after a refused update and reports saved only once the server has it', async () => {
    const props = await fixture();
    const refusal: Answer = { error: { id: 'internal_error', message: 'Something went wrong' } };
    const { provider, doc, sent } = gatedProvider(props, (event, n) =>
      event === 'collab:sync' && n === 1 ? refusal : undefined,
    );
    await until(() => provider.status === 'synced', 5000, 'opened');
    paragraphText(doc).insert(0, 'refused once ');
    await until(() => sent.some((s) => s.event === 'collab:sync'), 5000, 'sent');
    // Refused: not saved, whatever else happens meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(provider.saved).to.equal(false);
    await until(() => provider.saved && provider.status === 'synced', 5000, 'saved');
    expect(sent.filter((s) => s.event === 'collab:open').length).to.be.greaterThan(1);
    await until(
      () => toMarkdown(props.peer.doc).includes('refused once'),
      5000,
      'the peer has the edit',
    );
  });

  it('waits the retryAfterMs of a rate_limited answer before sending again', async () => {
    const props = await fixture();
    const limited: Answer = {
      error: { id: 'rate_limited', message: 'Slow down', retryAfterMs: 800 },
    };
    const { provider, doc, sent } = gatedProvider(props, (event, n) =>
      event === 'collab:sync' && n === 1 ? limited : undefined,
    );
    await until(() => provider.status === 'synced', 5000, 'opened');
    paragraphText(doc).insert(0, 'paced ');
    await until(() => provider.saved && provider.status === 'synced', 5000, 'saved');
    const syncs = sent.filter((s) => s.event === 'collab:sync');
    expect(syncs.length).to.be.greaterThan(1);
    expect(syncs[1].at - syncs[0].at).to.be.at.least(800);
    await until(() => toMarkdown(props.peer.doc).includes('paced'), 5000, 'the peer has it');
  });

  it('merges keystrokes made while updates are in flight instead of sending each one', async () => {
    const props = await fixture();
    const { provider, doc, sent } = gatedProvider(props, pass);
    await until(() => provider.status === 'synced', 5000, 'opened');
    const text = paragraphText(doc);
    for (let i = 0; i < 60; i += 1) text.insert(text.length, String.fromCharCode(97 + (i % 26)));
    await until(() => provider.saved && provider.status === 'synced', 5000, 'saved');
    // Two in flight, then the other keystrokes merged into one (the paragraph was one more).
    expect(sent.filter((s) => s.event === 'collab:sync').length).to.be.at.most(4);
    const typed = textOf(text);
    await until(() => toMarkdown(props.peer.doc).includes(typed), 5000, 'the peer has it');
  });
});
