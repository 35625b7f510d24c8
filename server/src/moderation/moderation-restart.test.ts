import { expect } from 'chai';
import * as Y from 'yjs';
import type { AckResponse } from '../../../shared/events.js';
import { startEngine, type RunningEngine } from '../engine/index.js';
import { RestrictionModel } from '../models/restriction.js';
import { buildUser } from '../test/factories.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { freePort, QuorumChild, sharedSecret } from '../realtime/test-process.js';
import { openEditor, paragraphText, syncMessage, type Editor } from '../collab/test-editors.js';
import { act, moderationWorld, postAs } from './test-support.js';

/**
 * Mutes, bans, suspensions and slow mode live in the database, not in a
 * process: imposed through one process they hold on another at once, and
 * they hold after the process that imposed them restarts.
 */
describe('moderation across processes and restarts', function () {
  this.timeout(90_000);
  let engine: RunningEngine;
  let a: TestApp | null = null;
  let b: QuorumChild;
  const secret = sharedSecret();
  const editors: Editor[] = [];
  const startA = async () => {
    a = await startTestApp({ MONGODB_URI: engine.uri, JWT_SECRET: secret });
    await a.server.realtime.ready;
    return a;
  };

  before(async () => {
    engine = await startEngine({ host: '127.0.0.1', port: 0, dataDir: null });
    await startA();
    b = new QuorumChild({ mongodbUri: engine.uri, port: await freePort(), jwtSecret: secret });
    await b.start();
  });
  afterEach(() => {
    for (const editor of editors.splice(0)) editor.close();
  });
  after(async () => {
    await b?.stop();
    await a?.close();
    await engine?.close();
  });

  /** A request to process B, signed for `as` (B shares the JWT secret). */
  const onB = async (
    method: string,
    path: string,
    as: Parameters<TestApp['tokenFor']>[0],
    body?: unknown,
  ) => {
    const res = await fetch(`${b.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${a!.tokenFor(as)}`,
        'content-type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json().catch((): unknown => null) };
  };

  it('a mute and slow mode imposed through A hold on B at once, for REST and for an editor on B', async () => {
    const app = a!;
    const w = await moderationWorld();
    const own = await app.post<{ discussion: { id: string } }>(
      '/api/discussions',
      { groupId: w.groupId, title: 'Mine', context: 'Text' },
      { as: w.author },
    );
    const ownId = own.body.discussion.id;
    const key = `discussion:${ownId}:context`;
    const editor = await openEditor({
      url: b.url,
      token: app.tokenFor(w.author),
      discussionId: ownId,
      key,
    });
    editors.push(editor);
    expect(editor.provider.canEdit).to.equal(true);
    const edit = (text: string) => {
      const copy = new Y.Doc();
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(editor.doc));
      const before = Y.encodeStateVector(copy);
      paragraphText(copy).insert(0, text);
      const sync = syncMessage(Y.encodeStateAsUpdate(copy, before));
      return new Promise<AckResponse<null>>((resolve) =>
        editor.socket.emit('collab:sync', { doc: key, sync }, resolve),
      );
    };
    expect(await edit('first ')).to.have.property('data');

    await act(app, w.coordinator, w.groupId, {
      target: { kind: 'person', id: String(w.author._id) },
      action: 'mute',
      reason: 'Across processes',
      minutes: 15,
    });
    const comment = await onB('POST', `/api/discussions/${w.discussionId}/comments`, w.author, {
      body: 'through B',
    });
    expect(comment.status).to.equal(403);
    expect(comment.body).to.have.nested.property('error.id', 'muted');
    // B's collaboration feed hears of the mute on its own (no process tells another directly).
    let reply: AckResponse<null> = await edit('a ');
    for (let i = 0; i < 100 && 'data' in reply; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      reply = await edit(`${i} `);
    }
    expect(reply).to.have.nested.property('error.id', 'muted');

    const slow = await app.request(
      'PUT',
      `/api/moderation/discussions/${w.discussionId}/slow-mode`,
      { body: { seconds: 600, reason: 'Cool it' }, as: w.coordinator },
    );
    expect(slow.status).to.equal(200);
    expect(
      (await onB('POST', `/api/discussions/${w.discussionId}/comments`, w.reporter, { body: '1' }))
        .status,
    ).to.equal(201);
    const second = await onB('POST', `/api/discussions/${w.discussionId}/comments`, w.reporter, {
      body: '2',
    });
    expect(second.status).to.equal(429);
    expect(second.body).to.have.nested.property('error.id', 'slow_mode');
  });

  it('mutes, bans, suspensions and slow mode hold after a restart, and a mute whose time passed meanwhile is over', async () => {
    let app = a!;
    const w = await moderationWorld({ membershipPolicy: 'open' });
    const [banned, suspended, shortMuted] = [
      await buildUser(),
      await buildUser(),
      await buildUser(),
    ];
    for (const user of [banned, suspended, shortMuted])
      expect((await app.post(`/api/groups/${w.groupId}/join`, {}, { as: user })).status).to.equal(
        201,
      );
    await act(app, w.coordinator, w.groupId, {
      target: { kind: 'person', id: String(w.author._id) },
      action: 'mute',
      reason: 'Long mute',
      minutes: 120,
    });
    await act(app, w.coordinator, w.groupId, {
      target: { kind: 'person', id: String(banned._id) },
      action: 'ban',
      reason: 'Banned',
    });
    await act(app, w.coordinator, w.groupId, {
      target: { kind: 'person', id: String(shortMuted._id) },
      action: 'mute',
      reason: 'Short mute',
      minutes: 1,
    });
    const admin = await buildUser({ isAdmin: true });
    const suspendedRes = await app.post(
      `/api/moderation/site/users/${String(suspended._id)}/suspension`,
      { reason: 'Suspended', minutes: 60 },
      { as: admin },
    );
    expect(suspendedRes.status).to.equal(204);
    await app.request('PUT', `/api/moderation/discussions/${w.discussionId}/slow-mode`, {
      body: { seconds: 600, reason: 'Slow' },
      as: w.coordinator,
    });
    await postAs(app, w.reporter, w.discussionId, 'before the restart');

    // The short mute's minute runs out around the restart (moved into the past here).
    await RestrictionModel.updateOne(
      { userId: shortMuted._id, kind: 'mute' },
      { $set: { until: new Date(Date.now() - 1000) } },
    );
    await app.close();
    a = null;
    app = await startA();

    const comment = (as: typeof w.author, body: string) =>
      app.post(`/api/discussions/${w.discussionId}/comments`, { body }, { as });
    const muted = await comment(w.author, 'after');
    expect(muted.body).to.have.nested.property('error.id', 'muted');
    expect(muted.body).to.have.nested.property('error.until');
    expect((await comment(suspended, 'after')).body).to.have.nested.property(
      'error.id',
      'suspended',
    );
    const rejoin = await app.post(`/api/groups/${w.groupId}/join`, {}, { as: banned });
    expect(rejoin.body).to.have.nested.property('error.id', 'banned');
    const slow = await comment(w.reporter, 'too soon');
    expect(slow.body).to.have.nested.property('error.id', 'slow_mode');
    expect((await comment(shortMuted, 'my mute is over')).status).to.equal(201);
    const discussion = await app.get(`/api/discussions/${w.discussionId}`, { as: null });
    expect(discussion.body).to.have.nested.property('discussion.slowModeSeconds', 600);

    // What the composer loads on (re)connecting still says why and until when.
    const mine = await app.get<{ restrictions: Array<{ kind: string; reason: string }> }>(
      '/api/moderation/me',
      { as: w.author },
    );
    expect(mine.body.restrictions).to.have.length(1);
    expect(mine.body.restrictions[0]).to.include({ kind: 'mute', reason: 'Long mute' });
  });
});
