import { expect } from 'chai';
import { encodeAwarenessUpdate } from 'y-protocols/awareness';
import { MembershipModel } from '../models/membership.js';
import { UserModel } from '../models/user.js';
import { addMember, buildDiscussion, buildGroup } from '../test/factories.js';
import { startEngine, type RunningEngine } from '../engine/index.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { freePort, QuorumChild, sharedSecret } from '../realtime/test-process.js';
import { openEditor, paragraphText, until, type Editor } from './test-editors.js';

/**
 * Rights change while people edit: process A (in this test) and process B
 * (a child) on one database; the editors sit on B, the changes go through A.
 */
describe('collaborative documents: rights change during editing, on two processes', function () {
  this.timeout(90_000);
  let engine: RunningEngine;
  let a: TestApp;
  let b: QuorumChild;
  const editors: Editor[] = [];

  before(async () => {
    engine = await startEngine({ host: '127.0.0.1', port: 0, dataDir: null });
    const jwtSecret = sharedSecret();
    a = await startTestApp({ MONGODB_URI: engine.uri, JWT_SECRET: jwtSecret });
    await a.server.realtime.ready;
    b = new QuorumChild({ mongodbUri: engine.uri, port: await freePort(), jwtSecret });
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

  const editor = async (url: string, user: Parameters<TestApp['tokenFor']>[0], id: string) => {
    const opened = await openEditor({
      url,
      token: a.tokenFor(user),
      discussionId: id,
      key: `discussion:${id}:context`,
    });
    editors.push(opened);
    return opened;
  };

  it('makes a demoted coordinator read-only, cuts off a removed member and a deactivated account at once, and their carets go', async () => {
    const group = await buildGroup();
    const demoted = await addMember(group, undefined, 'coordinator');
    const removed = await addMember(group, undefined, 'coordinator');
    const deactivated = await addMember(group, undefined, 'coordinator');
    const discussion = await buildDiscussion({ group, context: 'Start' });
    const id = String(discussion._id);
    const watcherOnA = await editor(a.url, group.coordinator, id);
    const onB = {
      demoted: await editor(b.url, demoted, id),
      removed: await editor(b.url, removed, id),
      deactivated: await editor(b.url, deactivated, id),
    };
    for (const e of Object.values(onB)) {
      expect(e.provider.canEdit).to.equal(true);
      e.provider.awareness.setLocalStateField('cursor', null);
    }
    // Carets cross processes, with a name and a colour only.
    await until(() => watcherOnA.provider.awareness.getStates().size >= 4, 5000, 'carets on A');
    for (const [clientId, state] of watcherOnA.provider.awareness.getStates())
      if (clientId !== watcherOnA.doc.clientID)
        expect(Object.keys((state as { user: object }).user).sort()).to.deep.equal([
          'color',
          'name',
        ]);

    await MembershipModel.updateOne(
      { groupId: group._id, userId: demoted._id },
      { $set: { role: 'member' } },
    );
    await until(() => !onB.demoted.provider.canEdit, 5000, 'read-only after demotion');
    expect(onB.demoted.provider.status).not.to.equal('closed');

    expect(
      (
        await a.delete(`/api/groups/${String(group._id)}/members/${String(removed._id)}`, {
          as: group.coordinator,
        })
      ).status,
    ).to.equal(204);
    await until(() => onB.removed.provider.status === 'closed', 5000, 'closed after removal');

    await UserModel.updateOne({ _id: deactivated._id }, { $set: { deactivatedAt: new Date() } });
    await until(() => !onB.deactivated.socket.connected, 5000, 'disconnected after deactivation');

    // Their carets are gone on the other process; updates no longer reach the removed one.
    const clientIds = Object.values(onB).map((e) => e.doc.clientID);
    await until(
      () => clientIds.every((clientId) => !watcherOnA.provider.awareness.getStates().has(clientId)),
      5000,
      'carets gone',
    );
    paragraphText(watcherOnA.doc).insert(5, ' again');
    await until(() => onB.demoted.text() === 'Start again', 5000, 'read-only still reads live');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(onB.removed.text()).to.equal('Start');

    // The demoted one's writes are refused, even when sent by hand.
    const reply = await new Promise<unknown>((resolve) =>
      onB.demoted.socket.emit(
        'collab:awareness',
        {
          doc: `discussion:${id}:context`,
          awareness: encodeAwarenessUpdate(onB.demoted.provider.awareness, [
            onB.demoted.doc.clientID,
          ]),
        },
        resolve,
      ),
    );
    expect(reply).to.have.nested.property('error.id', 'authorization_error');
  });
});
