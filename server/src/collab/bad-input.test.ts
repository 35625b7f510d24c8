import { expect } from 'chai';
import * as Y from 'yjs';
import type { AckResponse } from '../../../shared/events.js';
import { buildDiscussion, buildGroup, buildUser } from '../test/factories.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { TestClients, watch, type Client } from '../realtime/test-clients.js';
import { DEFAULT_SOCKET_LIMITS } from '../realtime/socket-limits.js';
import { openEditor, paragraphText, syncMessage, until, type Editor } from './test-editors.js';

const emit = (
  socket: Client,
  event: 'collab:open' | 'collab:sync' | 'collab:awareness',
  payload: unknown,
) =>
  new Promise<AckResponse<unknown>>((resolve) =>
    (socket.emit as (e: string, p: unknown, ack: (r: AckResponse<unknown>) => void) => void)(
      event,
      payload,
      resolve,
    ),
  );
const errorOf = (reply: AckResponse<unknown>) => ('error' in reply ? reply.error.id : null);

describe('collaborative documents: bad input', function () {
  this.timeout(30_000);
  let app: TestApp;
  let clients: TestClients;
  const editors: Editor[] = [];

  before(async () => {
    app = await startTestApp({ COLLAB_MAX_UPDATE_BYTES: '1024' });
    clients = new TestClients(app);
  });
  afterEach(() => {
    clients.closeAll();
    for (const editor of editors.splice(0)) editor.close();
  });
  after(() => app.close());

  it('answers malformed, oversized, unauthorised and flooding messages with stable error ids and keeps serving everyone else', async () => {
    const group = await buildGroup();
    const discussion = await buildDiscussion({ group, context: 'Stable' });
    const id = String(discussion._id);
    const key = `discussion:${id}:context`;
    const good = await openEditor({
      url: app.url,
      token: app.tokenFor(group.coordinator),
      discussionId: id,
      key,
    });
    editors.push(good);
    const bad = await clients.watching(group.coordinator, id);
    // A sync step 1 with an empty state vector.
    const step1 = new Uint8Array([0, 1, 0]);

    expect(
      errorOf(await emit(bad, 'collab:open', { doc: 'discussion:nope', sync: step1 })),
    ).to.equal('validation_error');
    expect(errorOf(await emit(bad, 'collab:open', { doc: key, sync: 'not binary' }))).to.equal(
      'invalid_request',
    );
    expect(
      errorOf(await emit(bad, 'collab:open', { doc: key, sync: new Uint8Array([9, 9, 9]) })),
    ).to.equal('invalid_request');
    expect(errorOf(await emit(bad, 'collab:open', { doc: key, sync: step1, extra: 1 }))).to.equal(
      'validation_error',
    );
    // Not opened yet: nothing to write to.
    expect(
      errorOf(
        await emit(bad, 'collab:sync', { doc: key, sync: syncMessage(new Uint8Array([0, 0])) }),
      ),
    ).to.equal('not_found');
    expect(errorOf(await emit(bad, 'collab:open', { doc: key, sync: step1 }))).to.equal(null);

    for (const garbage of [
      new Uint8Array([2, 5, 1, 2]),
      new Uint8Array([2, 3, 255, 255, 255]),
      syncMessage(new Uint8Array([7, 7, 7, 7, 7, 7])),
    ])
      expect(errorOf(await emit(bad, 'collab:sync', { doc: key, sync: garbage }))).to.equal(
        'invalid_request',
      );
    const big = new Y.Doc();
    paragraphText(big).insert(0, 'x'.repeat(4000));
    expect(
      errorOf(
        await emit(bad, 'collab:sync', { doc: key, sync: syncMessage(Y.encodeStateAsUpdate(big)) }),
      ),
    ).to.equal('payload_too_large');
    expect(
      errorOf(await emit(bad, 'collab:awareness', { doc: key, awareness: new Uint8Array([1, 2]) })),
    ).to.equal('invalid_request');

    // A document one may not read does not exist for them.
    const outsider = await clients.connect(await buildUser());
    expect(errorOf(await emit(outsider, 'collab:open', { doc: key, sync: step1 }))).to.equal(
      'not_found',
    );
    // Even one who could read must watch the discussion first.
    const unwatched = await clients.connect(group.coordinator);
    expect(errorOf(await emit(unwatched, 'collab:open', { doc: key, sync: step1 }))).to.equal(
      'not_found',
    );

    // A flood is throttled: past the burst, refusals (a few more and the socket would be
    // disconnected as a flooder: realtime/flood.test.ts).
    const { burst } = DEFAULT_SOCKET_LIMITS.perEvent['collab:sync']!;
    const replies = await Promise.all(
      Array.from({ length: burst + 10 }, () =>
        emit(bad, 'collab:sync', { doc: key, sync: new Uint8Array([2, 0]) }),
      ),
    );
    expect(replies.map(errorOf)).to.include('rate_limited');

    // Nothing of that reached the document; the others go on editing.
    paragraphText(good.doc).insert(6, '!');
    await until(() => good.provider.saved, 3000, 'saved');
    const other = await openEditor({
      url: app.url,
      token: app.tokenFor(group.coordinator),
      discussionId: id,
      key,
    });
    editors.push(other);
    expect(other.text()).to.equal('Stable!');
    expect((await watch(outsider, id)).constructor).to.equal(Object);
  });
});
