import { expect } from 'chai';
import * as Y from 'yjs';
import { io as connect } from 'socket.io-client';
import { startEngine, type RunningEngine } from '../engine/index.js';
import { silentLogger } from '../logger.js';
import { DiscussionModel } from '../models/discussion.js';
import { buildDiscussion, buildGroup, addMember } from '../test/factories.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { freePort, QuorumChild, sharedSecret } from '../realtime/test-process.js';
import type { Client } from '../realtime/test-clients.js';
import { parseDocKey } from './documents.js';
import { toMarkdown } from '../../../shared/collab-markdown.js';
import { applyAll, loadState } from './persistence.js';
import {
  openEditor,
  paragraphText,
  syncMessage,
  until,
  watchFirst,
  type Editor,
} from './test-editors.js';

/** A small seeded generator, so a failing run can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Several editors on two Quorum processes (children, so they can be killed),
 * one database (the engine in this test process).
 */
describe('collaborative documents: convergence and durability across processes', function () {
  this.timeout(180_000);
  let engine: RunningEngine;
  let a: TestApp;
  const servers: QuorumChild[] = [];
  const editors: Editor[] = [];
  let jwtSecret: string;

  before(async () => {
    engine = await startEngine({ host: '127.0.0.1', port: 0, dataDir: null });
    jwtSecret = sharedSecret();
    process.env.COLLAB_COMPACT_AFTER_MS = '300';
    process.env.COLLAB_RELEASE_AFTER_MS = '200';
    // A, in this process, only for factories and tokens (it shares the database).
    a = await startTestApp({ MONGODB_URI: engine.uri, JWT_SECRET: jwtSecret });
    for (let i = 0; i < 2; i += 1) {
      const child = new QuorumChild({ mongodbUri: engine.uri, port: await freePort(), jwtSecret });
      await child.start();
      servers.push(child);
    }
  });
  afterEach(() => {
    for (const editor of editors.splice(0)) editor.close();
  });
  after(async () => {
    delete process.env.COLLAB_COMPACT_AFTER_MS;
    delete process.env.COLLAB_RELEASE_AFTER_MS;
    for (const child of servers) await child.stop();
    await a?.close();
    await engine?.close();
  });

  async function storedMarkdown(key: string): Promise<string> {
    const doc = new Y.Doc();
    applyAll(doc, (await loadState(parseDocKey(key))).updates, silentLogger, null);
    return toMarkdown(doc);
  }

  for (const seed of [1201, 1202]) {
    it(`seed ${seed}: random edits, disconnects, offline edits and restarts end with identical texts everywhere`, async () => {
      const next = random(seed);
      const group = await buildGroup();
      const people = [
        group.coordinator,
        await addMember(group, undefined, 'coordinator'),
        await addMember(group, undefined, 'coordinator'),
      ];
      const discussion = await buildDiscussion({ group, context: 'Seed text' });
      const id = String(discussion._id);
      const key = `discussion:${id}:context`;
      for (let i = 0; i < 4; i += 1)
        editors.push(
          await openEditor({
            url: servers[i % 2].url,
            token: a.tokenFor(people[i % people.length]),
            discussionId: id,
            key,
            reconnection: true,
          }),
        );
      let restarts = 0;
      for (let step = 0; step < 120; step += 1) {
        const editor = editors[Math.floor(next() * editors.length)];
        const text = paragraphText(editor.doc);
        const roll = next();
        if (roll < 0.6 || text.length < 3) {
          text.insert(
            Math.floor(next() * (text.length + 1)),
            String.fromCharCode(97 + Math.floor(next() * 26)).repeat(1 + Math.floor(next() * 3)),
          );
        } else if (roll < 0.85) {
          const at = Math.floor(next() * (text.length - 1));
          text.delete(at, Math.min(1 + Math.floor(next() * 3), text.length - at));
        } else if (roll < 0.95) {
          // Offline for a while: edits made meanwhile are sent when it reconnects.
          if (editor.socket.connected) editor.socket.disconnect();
          else editor.socket.connect();
        } else if (restarts < 2) {
          restarts += 1;
          const server = servers[Math.floor(next() * servers.length)];
          if (next() < 0.5) await server.kill();
          else await server.stop();
          await pause(200);
          await server.start({ feedOpen: false });
        }
        await pause(Math.floor(next() * 30));
      }
      for (const editor of editors) if (!editor.socket.connected) editor.socket.connect();
      await until(
        () => editors.every((e) => e.provider.saved && e.provider.status === 'synced'),
        30_000,
        'every editor saved',
      ).catch((error: Error) => {
        const states = editors.map(
          (e) => `${e.provider.status}/${e.provider.pending}/${e.socket.connected}`,
        );
        throw new Error(`${error.message}: ${states.join(', ')}`);
      });
      // Saved means each editor's own changes are stored; the others' may still be on their way
      // (through the other process's change feed), so agreement is on whatever they all end with.
      await until(
        () => editors.every((e) => e.markdown() === editors[0].markdown()),
        15_000,
        'editors agree',
      );
      const expected = editors[0].markdown();
      expect(expected).not.to.equal('');
      // The stored document and, once compacted, the record say the same.
      expect(await storedMarkdown(key)).to.equal(expected);
      const deadline = Date.now() + 10_000;
      while ((await DiscussionModel.findById(id).lean())?.context !== expected) {
        if (Date.now() > deadline)
          throw new Error('the record did not settle on the document text');
        await pause(100);
      }
    });
  }

  it('keeps every acknowledged update when the server is killed (SIGKILL) during a burst', async () => {
    const group = await buildGroup();
    const discussion = await buildDiscussion({ group, context: '' });
    const id = String(discussion._id);
    const key = `discussion:${id}:context`;
    const server = servers[0];
    const socket: Client = connect(server.url, {
      transports: ['websocket'],
      auth: { token: a.tokenFor(group.coordinator) },
      reconnection: false,
    });
    await new Promise((resolve) => socket.once('connect', () => resolve(null)));
    await watchFirst(socket, id)();
    const opened = await new Promise<unknown>((resolve) =>
      socket.emit('collab:open', { doc: key, sync: new Uint8Array([0, 1, 0]) }, resolve),
    );
    expect(opened).to.have.property('data');
    const doc = new Y.Doc();
    const text = paragraphText(doc);
    const acknowledged: string[] = [];
    const send = (update: Uint8Array, mark: string) =>
      socket.emit('collab:sync', { doc: key, sync: syncMessage(update) }, (reply) => {
        if ('data' in reply) acknowledged.push(mark);
      });
    send(Y.encodeStateAsUpdate(doc), '');
    let n = 0;
    const burst = setInterval(() => {
      for (let i = 0; i < 5; i += 1) {
        const mark = `<${n++}>`;
        let update: Uint8Array | null = null;
        const capture = (u: Uint8Array) => (update = u);
        doc.once('update', capture);
        text.insert(text.length, mark);
        if (update) send(update, mark);
      }
    }, 10);
    await until(() => acknowledged.length > 40, 10_000, 'some acknowledged');
    await server.kill();
    clearInterval(burst);
    socket.disconnect();
    await server.start({ feedOpen: false });
    const reader = await openEditor({
      url: server.url,
      token: a.tokenFor(group.coordinator),
      discussionId: id,
      key,
    });
    editors.push(reader);
    const after = reader.text();
    const missing = acknowledged.filter((mark) => !after.includes(mark));
    expect(missing, `acknowledged ${acknowledged.length}, sent ${n}`).to.deep.equal([]);
  });
});
